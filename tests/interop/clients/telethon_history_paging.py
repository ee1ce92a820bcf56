"""Telethon 1.45: messages.getHistory paging against lists computed from the whole chat
(test_catch_up.py).

A and B log in (--phone-a, --phone-b); A sends B --count messages "page 00", "page 01", ...
in two halves a little over a second apart (so offset_date has two dates to tell apart).
A reads the whole chat with one raw messages.getHistory(limit=100): it must be exactly those
texts, newest first, with count = --count. Then raw messages.getHistory with the
combinations of core.telegram.org/api/offsets must return exactly the ids the docs' formula
gives: the window starts offsetFromID(offset_id) + add_offset results from the newest
(offsetFromID counts the results down to offset_id, inclusive; for offset_date, the results
sent at or after it), holds `limit` results, and max_id / min_id keep only ids strictly
below / above them. The combinations with max_id / min_id are chosen so that applying the
bounds before or after the window gives the same list (the docs do not say which).
"""

import asyncio

import common
from telethon_client import main, new_client

from telethon import functions

PAUSE = 1.2


async def log_in(report, client, phone, tag):
    report.stage(f"{tag}: login")
    await client.connect()
    await client.send_code_request(phone)
    user = await client.sign_in(phone, common.test_code(phone))
    report.note(f"{tag}_user_id", user.id)
    return user


def window(full, offset_id=0, offset_date=0, add_offset=0, limit=20, max_id=0, min_id=0):
    """The docs' answer: `full` is [(id, date)] newest first."""
    if offset_id:
        start = sum(1 for i, _ in full if i >= offset_id)
    elif offset_date:
        start = sum(1 for _, d in full if d >= offset_date)
    else:
        start = 0
    start += add_offset
    page = full[max(start, 0):max(start + limit, 0)]
    return [i for i, _ in page if (not max_id or i < max_id) and (not min_id or i > min_id)]


def combinations(ids, newest_date):
    """(name, getHistory parameters) from the docs' sample use cases and the bounds."""
    return [
        ("newest 20", {"limit": 20}),
        ("older than MSGID", {"offset_id": ids[25], "limit": 20}),
        ("newer than MSGID", {"offset_id": ids[25], "add_offset": -20, "limit": 20}),
        ("around MSGID", {"offset_id": ids[25], "add_offset": -10, "limit": 20}),
        ("skip 5", {"add_offset": 5, "limit": 10}),
        ("around near the newest", {"offset_id": ids[3], "add_offset": -10, "limit": 20}),
        ("older, past the oldest", {"offset_id": ids[45], "limit": 20}),
        ("min_id, newest 20", {"limit": 20, "min_id": ids[10]}),
        ("max_id inside the window", {"offset_id": ids[20], "add_offset": -10, "limit": 20,
                                      "max_id": ids[15]}),
        ("min_id and max_id", {"offset_id": ids[10], "limit": 30, "min_id": ids[30],
                               "max_id": ids[5]}),
        ("offset_date", {"offset_date": newest_date, "limit": 10}),
        ("offset_date, add_offset -3", {"offset_date": newest_date, "add_offset": -3,
                                        "limit": 10}),
    ]


async def get_history(client, peer, params):
    return await client(functions.messages.GetHistoryRequest(
        peer=peer, offset_id=params.get("offset_id", 0),
        offset_date=params.get("offset_date", 0), add_offset=params.get("add_offset", 0),
        limit=params.get("limit", 20), max_id=params.get("max_id", 0),
        min_id=params.get("min_id", 0), hash=0))


async def run(args, report, server_key):
    a = new_client(args, server_key)
    b = new_client(args, server_key)
    await log_in(report, a, args.phone_a, "a")
    await log_in(report, b, args.phone_b, "b")
    resolved = await a(functions.contacts.ResolvePhoneRequest(phone=args.phone_b.lstrip("+")))
    peer_b = resolved.users[0]

    report.stage(f"a sends {args.count}")
    texts = [f"page {i:02d}" for i in range(args.count)]
    for i, text in enumerate(texts):
        if i == args.count // 2:
            await asyncio.sleep(PAUSE)
        await a.send_message(peer_b, text)
    report.note("sent", args.count)
    await b.disconnect()

    report.stage("whole chat")
    whole = await get_history(a, peer_b, {"limit": 100})
    report.check("whole.texts", [m.message for m in whole.messages] == texts[::-1],
                 f"{[m.message for m in whole.messages]!r}")
    report.check("whole.count", getattr(whole, "count", len(whole.messages)) == args.count,
                 f"count {getattr(whole, 'count', None)}")
    full = [(m.id, int(m.date.timestamp())) for m in whole.messages]
    ids = [i for i, _ in full]
    newest_date = full[0][1]
    report.check("whole.two_dates", any(d < newest_date for _, d in full),
                 "every message has the same date")

    report.stage("paging combinations")
    for name, params in combinations(ids, newest_date):
        answer = await get_history(a, peer_b, params)
        got = [m.id for m in answer.messages]
        want = window(full, **params)
        report.check(f"page.{name}", got == want, f"{params}: got {got}, want {want}")
    await a.disconnect()


def options(parser):
    parser.add_argument("--phone-a", required=True)
    parser.add_argument("--phone-b", required=True)
    parser.add_argument("--count", type=int, default=50)


if __name__ == "__main__":
    main(run, options)
