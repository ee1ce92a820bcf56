"""kurigram 2.2: a member's side of a basic group migrated to a supergroup, public API.

B logs in (--phone; signs up as "Kurigram" if the number is new), prints {"phase": 1} and
waits for a line holding {"chat_id": ..., "channel_id": ...} (Telethon created the group with
B in it, migrated it and posted in the supergroup). Then get_dialogs must list the
supergroup (type SUPERGROUP), the old group's history must end with the "migrated to"
service message, the supergroup's history must hold Telethon's post, and B posts there and
prints {"phase": 2}. After another line (GramJS posted) the supergroup's history must hold
GramJS's post too.
"""

import asyncio
import json
import sys

import common
import pyrogram_common

import pyrogram
from pyrogram import enums

TELETHON = "telethon in the supergroup"
MINE = "kurigram in the supergroup"
GRAMJS = "gramjs in the supergroup"


async def log_in(args, report, client):
    report.stage("send_code / sign_in")
    sent = await client.send_code(args.phone)
    code = common.test_code(args.phone)
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


async def texts_of(client, chat_id):
    history = [m async for m in client.get_chat_history(chat_id, limit=10)][::-1]
    return [m.text if not m.service else str(m.service) for m in history]


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    me = await log_in(args, report, client)
    report.note("user_id", me.id)

    ids = json.loads(await next_line({"phase": 1, "user_id": me.id}))
    chat_id = -int(ids["chat_id"])
    channel_id = -(10**12 + int(ids["channel_id"]))

    report.stage("get_dialogs")
    dialogs = {d.chat.id: d.chat async for d in client.get_dialogs()}
    supergroup = dialogs.get(channel_id)
    report.check("dialogs.supergroup", supergroup is not None
                 and supergroup.type == enums.ChatType.SUPERGROUP,
                 f"dialogs {[(c.id, str(c.type)) for c in dialogs.values()]!r}")
    if supergroup is None:
        raise RuntimeError("the supergroup is not in the chat list")

    report.stage("get_chat_history(old group)")
    old = await texts_of(client, chat_id)
    report.note("old_history", old)
    report.check("old.migrated", bool(old) and "MIGRATE_TO_CHAT_ID" in old[-1],
                 f"old history {old!r}")

    report.stage("get_chat_history(supergroup)")
    seen = await texts_of(client, channel_id)
    report.note("history", seen)
    report.check("history.telethon", TELETHON in seen, f"history {seen!r}")

    report.stage("send_message(supergroup)")
    sent = await client.send_message(channel_id, MINE)
    report.check("send.supergroup", sent.chat.id == channel_id and sent.text == MINE,
                 f"sent to {sent.chat.id}: {sent.text!r}")

    await next_line({"phase": 2})
    report.stage("get_chat_history(supergroup) again")
    seen = await texts_of(client, channel_id)
    report.note("history_after", seen)
    texts = [t for t in seen if t in (TELETHON, MINE, GRAMJS)]
    report.check("history.all", texts == [TELETHON, MINE, GRAMJS], f"history {seen!r}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
