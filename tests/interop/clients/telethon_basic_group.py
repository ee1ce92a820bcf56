"""Telethon 1.45: the creator's side of a basic group shared with kurigram and GramJS.

A logs in (--phone), finds the two other members with contacts.resolvePhone
(--phone-kurigram, --phone-gramjs; they logged in already), creates the group with
messages.createChat and posts one message. It prints {"phase": 1, "chat_id": ...} and waits
for a line on stdin: meanwhile kurigram reads the history and replies, and GramJS reads it,
posts, and renames the group. Then A's events.NewMessage handler must have seen both
replies (pushed as updateShortChatMessage) and events.ChatAction the rename (a service
message), and A's own history must hold all four messages in order.
"""

import asyncio
import json
import sys

import common
from telethon_client import main, new_client

from telethon import events, functions, types

WAIT = 20.0
FIRST = "hello from telethon"
KURIGRAM = "reply from kurigram"
GRAMJS = "hello from gramjs"
NEW_TITLE = "Renamed by GramJS"


async def resolve(report, client, phone, tag):
    report.stage(f"contacts.resolvePhone({tag})")
    resolved = await client(functions.contacts.ResolvePhoneRequest(phone=phone.lstrip("+")))
    user = resolved.users[0]
    report.note(f"{tag}_user_id", user.id)
    return user


async def run(args, report, server_key):
    client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    me = await client.sign_in(args.phone, common.test_code(args.phone))
    report.note("user_id", me.id)

    received = []
    actions = []

    @client.on(events.NewMessage(incoming=True))
    async def on_message(event):
        received.append((event.chat_id, event.sender_id, event.raw_text))

    @client.on(events.ChatAction())
    async def on_action(event):
        actions.append((event.chat_id, event.new_title, event.created, event.user_added))

    kurigram = await resolve(report, client, args.phone_kurigram, "kurigram")
    gramjs = await resolve(report, client, args.phone_gramjs, "gramjs")

    report.stage("messages.createChat")
    invited = await client(functions.messages.CreateChatRequest(
        users=[kurigram, gramjs], title="Three libraries"))
    report.check("create.no_missing", invited.missing_invitees == [],
                 f"missing {invited.missing_invitees!r}")
    chats = [c for c in invited.updates.chats if isinstance(c, types.Chat)]
    if not report.check("create.chat", len(chats) == 1, f"chats {invited.updates.chats!r}"):
        return
    chat = chats[0]
    report.check("create.members", chat.participants_count == 3 and chat.creator,
                 f"participants_count {chat.participants_count}, creator {chat.creator}")
    report.note("chat_id", chat.id)

    report.stage("getFullChat")
    full = await client(functions.messages.GetFullChatRequest(chat_id=chat.id))
    members = sorted(p.user_id for p in full.full_chat.participants.participants)
    report.check("full.members", members == sorted([me.id, kurigram.id, gramjs.id]),
                 f"members {members}")

    report.stage("send to the group")
    sent = await client.send_message(types.PeerChat(chat.id), FIRST)
    report.check("send.peer", isinstance(sent.peer_id, types.PeerChat)
                 and sent.peer_id.chat_id == chat.id, f"peer {sent.peer_id!r}")

    report.stage("waiting while kurigram and GramJS write")
    print(json.dumps({"phase": 1, "chat_id": chat.id}), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")

    report.stage("events")
    marked = -chat.id
    want = [(marked, kurigram.id, KURIGRAM), (marked, gramjs.id, GRAMJS)]
    got = await common.wait_until(lambda: received == want, WAIT)
    report.check("events.new_message", got, f"NewMessage saw {received!r}")
    got = await common.wait_until(lambda: any(a[1] == NEW_TITLE for a in actions), WAIT)
    report.check("events.chat_action_title", got and actions[-1][0] == marked,
                 f"ChatAction saw {actions!r}")
    report.note("chat_actions", [list(map(str, a)) for a in actions])

    report.stage("history")
    history = await client.get_messages(types.PeerChat(chat.id), limit=10)
    texts = [m.text if not m.action else type(m.action).__name__ for m in history][::-1]
    report.check("history.order", texts == ["MessageActionChatCreate", FIRST, KURIGRAM, GRAMJS,
                                            "MessageActionChatEditTitle"], f"history {texts!r}")
    by_text = {m.text: m for m in history}
    reply = by_text.get(KURIGRAM)
    report.check("history.reply", reply is not None and reply.reply_to is not None
                 and reply.reply_to.reply_to_msg_id == sent.id,
                 f"kurigram's reply_to {reply and reply.reply_to!r}, want {sent.id}")
    report.check("history.senders",
                 [m.sender_id for m in history[::-1]] == [me.id, me.id, kurigram.id, gramjs.id,
                                                         gramjs.id],
                 f"senders {[m.sender_id for m in history[::-1]]!r}")
    entity = await client.get_entity(types.PeerChat(chat.id))
    report.check("title", entity.title == NEW_TITLE, f"title {entity.title!r}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--phone-kurigram", required=True)
    parser.add_argument("--phone-gramjs", required=True)


if __name__ == "__main__":
    main(run, options)
