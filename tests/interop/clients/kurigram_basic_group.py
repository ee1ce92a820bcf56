"""kurigram 2.2: a member's side of a basic group on chappe, with the public API.

B logs in (--phone; signs up as "Kurigram" if the number is new), prints {"phase": 1} and
waits for a line holding {"chat_id": ...} on stdin (Telethon has created the group with B
in it and posted). Then get_chat_history must show the "created" service message and
Telethon's text, in order, and B replies to that text with send_message.
"""

import asyncio
import json
import sys

import common
import pyrogram_common

import pyrogram

FIRST = "hello from telethon"
REPLY = "reply from kurigram"


async def log_in(args, report, client):
    report.stage("send_code / sign_in")
    sent = await client.send_code(args.phone)
    code = common.test_code(args.phone)
    user = await client.sign_in(args.phone, sent.phone_code_hash, code)
    if not isinstance(user, pyrogram.types.User):
        report.stage("sign_up")
        user = await client.sign_up(args.phone, sent.phone_code_hash, "Kurigram")
    return user


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    me = await log_in(args, report, client)
    report.note("user_id", me.id)

    report.stage("waiting for the group")
    print(json.dumps({"phase": 1, "user_id": me.id}), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")
    chat_id = -int(json.loads(line)["chat_id"])

    report.stage("get_chat_history")
    history = [m async for m in client.get_chat_history(chat_id, limit=10)][::-1]
    seen = [m.text if not m.service else str(m.service) for m in history]
    report.note("history", seen)
    report.check("history.len", len(history) == 2, f"history {seen!r}")
    if len(history) == 2:
        report.check("history.created", history[0].service is not None, f"first {seen[0]!r}")
        report.check("history.text", history[1].text == FIRST, f"second {seen[1]!r}")
        report.check("history.chat", history[1].chat.id == chat_id,
                     f"chat {history[1].chat.id}, want {chat_id}")
        report.check("history.incoming", not history[1].outgoing, "Telethon's message is out")

    report.stage("send_message (a reply to Telethon's message)")
    reply = None
    if len(history) == 2:
        reply = pyrogram.types.ReplyParameters(message_id=history[1].id)
    sent = await client.send_message(chat_id, REPLY, reply_parameters=reply)
    report.check("send.chat", sent.chat.id == chat_id and sent.text == REPLY,
                 f"sent to {sent.chat.id}: {sent.text!r}")
    report.check("send.reply", reply is not None and sent.reply_to_message_id == history[1].id,
                 f"reply_to_message_id {sent.reply_to_message_id}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
