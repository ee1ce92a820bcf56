"""kurigram 2.2: a subscriber's side of the channel interop test, with the public API.

K logs in (--phone; signs up as "Kurigram" if the number is new), prints {"phase": 1} and
waits for a line holding {"channel": ..., "group": ...} (two usernames). It resolves both with
join_chat (contacts.resolveUsername, channels.joinChannel) and prints {"phase": 2}; after
another line (Telethon posted to the channel) get_chat_history of the channel must hold the
post, and K posts to the supergroup.
"""

import asyncio
import json
import sys

import common
import pyrogram_common

import pyrogram
from pyrogram import enums

POST = "first post from telethon"
MINE = "kurigram in the group"


async def log_in(args, report, client):
    report.stage("send_code / sign_in")
    sent = await client.send_code(args.phone)
    code = args.phone.lstrip("+")[5] * 5
    user = await client.sign_in(args.phone, sent.phone_code_hash, code)
    if not isinstance(user, pyrogram.types.User):
        report.stage("sign_up")
        user = await client.sign_up(args.phone, sent.phone_code_hash, "Kurigram")
    return user


async def next_line(phase):
    print(json.dumps(phase), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")
    return line


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    me = await log_in(args, report, client)
    report.note("user_id", me.id)

    names = json.loads(await next_line({"phase": 1, "user_id": me.id}))
    chats = {}
    for kind in ("channel", "group"):
        # join_chat() sends the inputPeerChannel of resolve_peer where joinChannel takes an
        # InputChannel, as Telegram allows, and reads messages.chatInviteJoinResultOk.
        report.stage(f"join_chat({kind})")
        joined = await client.join_chat(names[kind])
        chat = getattr(joined, "chat", None)
        want = enums.ChatType.CHANNEL if kind == "channel" else enums.ChatType.SUPERGROUP
        report.check(f"join.{kind}", chat is not None and chat.type == want,
                     f"join_chat -> {joined!r}")
        if chat is None:
            raise RuntimeError(f"join_chat({names[kind]!r}) did not join: {joined!r}")
        chats[kind] = chat.id
    await next_line({"phase": 2})

    report.stage("get_chat_history(channel)")
    history = [m async for m in client.get_chat_history(chats["channel"], limit=10)]
    texts = [m.text for m in history if not m.service]
    report.note("history", texts)
    report.check("history.post", texts == [POST], f"history {texts!r}")

    report.stage("send_message(group)")
    sent = await client.send_message(chats["group"], MINE)
    report.check("send.group", sent.chat.id == chats["group"] and sent.text == MINE,
                 f"sent to {sent.chat.id}: {sent.text!r}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
