"""kurigram 2.2: a subscriber's side of the channel interop test, with the public API.

K logs in (--phone; signs up as "Kurigram" if the number is new), prints {"phase": 1} and
waits for a line holding {"channel": ..., "group": ...} (two usernames). It resolves both with
resolve_peer (contacts.resolveUsername), joins with channels.joinChannel and prints {"phase": 2}; after
another line (Telethon posted to the channel) get_chat_history of the channel must hold the
post, and K posts to the supergroup.
"""

import asyncio
import json
import sys

import common
import pyrogram_common

import pyrogram
from pyrogram import raw, utils

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
        # join_chat() puts the inputPeerChannel from resolve_peer where channels.joinChannel
        # wants an InputChannel, which chappe's strict decoder refuses (Telegram accepts
        # it); so resolve with the public API and join with the raw method.
        report.stage(f"resolve_peer({kind})")
        peer = await client.resolve_peer(names[kind])
        report.check(f"resolve.{kind}", isinstance(peer, raw.types.InputPeerChannel),
                     f"peer {peer!r}")
        report.stage(f"channels.joinChannel({kind})")
        updates = await client.invoke(raw.functions.channels.JoinChannel(
            channel=raw.types.InputChannel(channel_id=peer.channel_id,
                                           access_hash=peer.access_hash)))
        channel = [c for c in updates.chats if isinstance(c, raw.types.Channel)]
        report.check(f"join.{kind}", len(channel) == 1 and not channel[0].left
                     and channel[0].broadcast == (kind == "channel"), f"chats {updates.chats!r}")
        chats[kind] = utils.get_channel_id(peer.channel_id)
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
