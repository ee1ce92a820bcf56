"""Telethon 1.45: the creator's side of a basic group migrated to a supergroup.

A logs in (--phone), finds the two other members with contacts.resolvePhone
(--phone-kurigram, --phone-gramjs; they logged in already), creates a basic group with
messages.createChat, posts in it and migrates it with messages.migrateChat. The answer must
carry updateChannel, the supergroup's first post (messageActionChannelMigrateFrom) and the
group's last message (messageActionChatMigrateTo), the group deactivated with migrated_to,
and the supergroup; channels.getFullChannel must name the old group. A posts in the
supergroup and prints {"phase": 1, "chat_id": ..., "channel_id": ...}, then waits for a
line on stdin: meanwhile kurigram and GramJS post in the supergroup. Then A's
events.NewMessage handler must have seen both posts (pushed as updateNewChannelMessage) and
the supergroup's history must hold everything in order.
"""

import asyncio
import json
import sys

import common
from telethon_client import main, new_client

from telethon import events, functions, types

WAIT = 20.0
TITLE = "Migrating libraries"
BEFORE = "before the migration"
FIRST = "telethon in the supergroup"
KURIGRAM = "kurigram in the supergroup"
GRAMJS = "gramjs in the supergroup"


async def resolve(report, client, phone, tag):
    report.stage(f"contacts.resolvePhone({tag})")
    resolved = await client(functions.contacts.ResolvePhoneRequest(phone=phone.lstrip("+")))
    user = resolved.users[0]
    report.note(f"{tag}_user_id", user.id)
    return user


def action_of(update):
    return type(update.message.action).__name__ if isinstance(
        update.message, types.MessageService) else None


async def run(args, report, server_key):
    client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    me = await client.sign_in(args.phone, common.test_code(args.phone))
    report.note("user_id", me.id)

    received = []

    @client.on(events.NewMessage(incoming=True))
    async def on_message(event):
        received.append((event.chat_id, event.sender_id, event.raw_text))

    kurigram = await resolve(report, client, args.phone_kurigram, "kurigram")
    gramjs = await resolve(report, client, args.phone_gramjs, "gramjs")

    report.stage("messages.createChat")
    invited = await client(functions.messages.CreateChatRequest(
        users=[kurigram, gramjs], title=TITLE))
    chats = [c for c in invited.updates.chats if isinstance(c, types.Chat)]
    if not report.check("create.chat", len(chats) == 1, f"chats {invited.updates.chats!r}"):
        return
    chat = chats[0]
    report.note("chat_id", chat.id)
    await client.send_message(types.PeerChat(chat.id), BEFORE)

    report.stage("messages.migrateChat")
    updates = await client(functions.messages.MigrateChatRequest(chat_id=chat.id))
    kinds = [type(u).__name__ for u in updates.updates]
    report.note("migrate.updates", kinds)
    report.check("migrate.update_channel", "UpdateChannel" in kinds, f"updates {kinds!r}")
    from_ = [u for u in updates.updates if isinstance(u, types.UpdateNewChannelMessage)]
    to = [u for u in updates.updates if isinstance(u, types.UpdateNewMessage)]
    report.check("migrate.from", len(from_) == 1
                 and action_of(from_[0]) == "MessageActionChannelMigrateFrom"
                 and from_[0].message.action.chat_id == chat.id, f"updates {updates.updates!r}")
    report.check("migrate.to", len(to) == 1 and action_of(to[0]) == "MessageActionChatMigrateTo",
                 f"updates {updates.updates!r}")
    channels = [c for c in updates.chats if isinstance(c, types.Channel)]
    old = [c for c in updates.chats if isinstance(c, types.Chat)]
    if not report.check("migrate.channel", len(channels) == 1 and channels[0].megagroup
                        and channels[0].creator and channels[0].title == TITLE,
                        f"chats {updates.chats!r}"):
        return
    channel = channels[0]
    report.check("migrate.to_channel", len(to) == 1
                 and to[0].message.action.channel_id == channel.id, f"channel {channel.id}")
    report.check("migrate.old_chat", len(old) == 1 and old[0].deactivated
                 and old[0].migrated_to is not None
                 and old[0].migrated_to.channel_id == channel.id, f"chats {updates.chats!r}")

    report.stage("channels.getFullChannel")
    full = await client(functions.channels.GetFullChannelRequest(channel=channel))
    report.check("full.migrated_from", full.full_chat.migrated_from_chat_id == chat.id
                 and full.full_chat.migrated_from_max_id == to[0].message.id,
                 f"migrated_from {full.full_chat.migrated_from_chat_id} "
                 f"{full.full_chat.migrated_from_max_id}")
    report.check("full.participants", full.full_chat.participants_count == 3,
                 f"participants_count {full.full_chat.participants_count}")

    report.stage("send to the old group")
    try:
        await client.send_message(types.PeerChat(chat.id), "too late")
        report.check("old.send_refused", False, "the deactivated group took a message")
    except Exception as error:  # noqa: BLE001 - any RPC error is the refusal
        report.check("old.send_refused", "PEER_ID_INVALID" in str(error)
                     or "PeerIdInvalid" in type(error).__name__, f"error {error!r}")

    report.stage("send to the supergroup")
    sent = await client.send_message(channel, FIRST)
    report.check("send.peer", isinstance(sent.peer_id, types.PeerChannel)
                 and sent.peer_id.channel_id == channel.id, f"peer {sent.peer_id!r}")

    print(json.dumps({"phase": 1, "chat_id": chat.id, "channel_id": channel.id}), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")

    report.stage("events")
    marked = -(10**12 + channel.id)
    want = [(marked, kurigram.id, KURIGRAM), (marked, gramjs.id, GRAMJS)]
    got = await common.wait_until(lambda: received == want, WAIT)
    report.check("events.new_message", got, f"NewMessage saw {received!r}")

    report.stage("supergroup history")
    history = await client.get_messages(channel, limit=10)
    texts = [m.text if not m.action else type(m.action).__name__ for m in history][::-1]
    report.check("history.order", texts == ["MessageActionChannelMigrateFrom", FIRST, KURIGRAM,
                                            GRAMJS], f"history {texts!r}")
    old_history = await client.get_messages(types.PeerChat(chat.id), limit=10)
    old_texts = [m.text if not m.action else type(m.action).__name__
                 for m in old_history][::-1]
    report.check("old.history", old_texts == ["MessageActionChatCreate", BEFORE,
                                              "MessageActionChatMigrateTo"],
                 f"old history {old_texts!r}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--phone-kurigram", required=True)
    parser.add_argument("--phone-gramjs", required=True)


if __name__ == "__main__":
    main(run, options)
