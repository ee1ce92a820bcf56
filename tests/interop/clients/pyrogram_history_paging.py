"""Pyrogram 2.0.106 / kurigram 2.2: get_chat_history paging (test_catch_up.py).

B logs in (--phone-b; a second device of the account telethon_history_paging.py used) after
Telethon's A sent B --count messages "page 00", ... It finds A with contacts.resolvePhone and
reads the whole chat with one raw messages.getHistory(limit=100): exactly those texts,
newest first. Then get_chat_history with each combination below must yield exactly the
messages the library's documented parameters name, computed from that list (ids newest
first; the library may split a call into several getHistory requests).

- Pyrogram 2.0.106: limit, offset (add_offset), offset_id (exclusive), offset_date.
- kurigram 2.2.26: offset_id is deprecated and ignored (it always starts from max_id or the
  newest message), so the calls use limit, offset, max_id / min_id (inclusive) and reverse.
"""

import datetime

import common
import pyrogram_common

from pyrogram import raw


def combinations(full):
    """(name, get_chat_history keyword arguments, expected ids in yield order)."""
    ids = [i for i, _ in full]
    newest_date = full[0][1]
    older = [i for i, d in full if d < newest_date]
    at = datetime.datetime.fromtimestamp(newest_date)
    if pyrogram_common.IS_KURIGRAM:
        return [
            ("newest 10", {"limit": 10}, ids[:10]),
            ("offset 5", {"offset": 5, "limit": 10}, ids[5:15]),
            ("max_id (inclusive)", {"max_id": ids[25], "limit": 20}, ids[25:45]),
            ("min_id (inclusive)", {"min_id": ids[10], "limit": 20}, ids[:11]),
            ("reverse from min_id", {"reverse": True, "min_id": ids[40], "limit": 5},
             ids[36:41][::-1]),
            ("offset_date", {"offset_date": at, "limit": 10}, older[:10]),
        ]
    return [
        ("newest 10", {"limit": 10}, ids[:10]),
        ("offset 5", {"offset": 5, "limit": 10}, ids[5:15]),
        ("older than offset_id", {"offset_id": ids[25], "limit": 20}, ids[26:46]),
        ("around offset_id", {"offset_id": ids[25], "offset": -10, "limit": 20}, ids[16:36]),
        ("past the oldest", {"offset_id": ids[40], "limit": 20}, ids[41:]),
        ("offset_date", {"offset_date": at, "limit": 10}, older[:10]),
    ]


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    report.stage("login")
    sent = await client.send_code(args.phone_b)
    await client.sign_in(args.phone_b, sent.phone_code_hash, common.test_code(args.phone_b))
    resolved = await pyrogram_common.invoke(
        client, raw.functions.contacts.ResolvePhone(phone=args.phone_a.lstrip("+")))
    a_id = resolved.users[0].id

    report.stage("whole chat")
    whole = await pyrogram_common.invoke(client, raw.functions.messages.GetHistory(
        peer=await client.resolve_peer(a_id), offset_id=0, offset_date=0, add_offset=0,
        limit=100, max_id=0, min_id=0, hash=0))
    texts = [f"page {i:02d}" for i in range(args.count)]
    report.check("whole.texts", [m.message for m in whole.messages] == texts[::-1],
                 f"{[m.message for m in whole.messages]!r}")
    full = [(m.id, m.date) for m in whole.messages]
    if len(full) != args.count:
        return

    report.stage("get_chat_history combinations")
    for name, params, want in combinations(full):
        got = [m.id async for m in client.get_chat_history(a_id, **params)]
        report.check(f"page.{name}", got == want,
                     f"{ {k: str(v) for k, v in params.items()} }: got {got}, want {want}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone-a", required=True)
    parser.add_argument("--phone-b", required=True)
    parser.add_argument("--count", type=int, default=50)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
