"""kurigram 2.2: the kurigram sides of the channel edit interop test, with the public API.

--mode subscriber: K logs in (--phone; signs up as "Kurigram" if the number is new),
starts its dispatcher (initialize) with an on_edited_message handler, prints {"phase": 1}
and waits for a line holding {"channel": ...} (a username). It joins with join_chat and
prints {"phase": 2}; after another line holding {"message_id": ...} (Telethon posted and
edited) the handler must have seen the post with --edited as its text and an edit date
(pushed as updateEditChannelMessage).

--mode revoked: K logs in and joins with --link, which Telethon revoked: join_chat
(messages.importChatInvite) must fail with INVITE_HASH_EXPIRED.
"""

import asyncio
import json
import sys

import common
import pyrogram_common

import pyrogram
from pyrogram import enums
from pyrogram.handlers import EditedMessageHandler

WAIT = 20.0


async def log_in(args, report, client):
    report.stage("send_code / sign_in")
    sent = await client.send_code(args.phone)
    code = common.test_code(args.phone)
    user = await client.sign_in(args.phone, sent.phone_code_hash, code)
    if not isinstance(user, pyrogram.types.User):
        report.stage("sign_up")
        user = await client.sign_up(args.phone, sent.phone_code_hash, "Kurigram")
    return user


async def subscriber(args, report, client):
    edited = []

    async def on_edited(_client, message):
        edited.append((message.chat.id if message.chat else None, message.id, message.text,
                       message.edit_date))

    client.add_handler(EditedMessageHandler(on_edited))
    report.stage("initialize")
    await client.initialize()
    line = await next_line({"phase": 1})
    names = json.loads(line)
    report.stage("join_chat(channel)")
    joined = await client.join_chat(names["channel"])
    chat = getattr(joined, "chat", None)
    report.check("join.channel", chat is not None and chat.type == enums.ChatType.CHANNEL,
                 f"join_chat -> {joined!r}")
    if chat is None:
        raise RuntimeError(f"join_chat({names['channel']!r}) did not join: {joined!r}")
    posted = json.loads(await next_line({"phase": 2}))

    report.stage("on_edited_message")
    want = (chat.id, posted["message_id"], args.edited)
    got = await common.wait_until(lambda: any(e[:3] == want and e[3] for e in edited), WAIT)
    report.note("edited", [list(map(str, e)) for e in edited])
    report.check("events.edited_channel_message", got, f"handler saw {edited!r}")
    await client.terminate()


async def next_line(phase):
    print(json.dumps(phase), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")
    return line


async def revoked(args, report, client):
    report.stage("join_chat(revoked link)")
    await common.expect_rpc_error(report, "join.revoked", client.join_chat(args.link),
                                  pyrogram.errors.RPCError, code=400,
                                  message="INVITE_HASH_EXPIRED")


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    me = await log_in(args, report, client)
    report.note("user_id", me.id)
    if args.mode == "subscriber":
        await subscriber(args, report, client)
    else:
        await revoked(args, report, client)
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--mode", choices=["subscriber", "revoked"], required=True)
    parser.add_argument("--edited", default="")
    parser.add_argument("--link", default="")


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
