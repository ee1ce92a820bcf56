"""Telethon 1.45: private messages between two accounts on chappe, with the public API only.

A and B log in with test numbers (--phone-a, --phone-b). A finds B with
contacts.resolvePhone and sends one message: B's events.NewMessage handler must fire with
the text (live push). B disconnects; A sends 20 messages; B connects again and catch_up()
must deliver all 20, in order (updates.getDifference on the durable log). Then history
paging: A's get_messages(B, limit=5) is the newest five, offset_id the next five, and the
total is 21; B sees the same texts from its own box.
"""


import common
from telethon_client import log_in_test_number, main, new_client

from telethon import events, functions

BATCH = 20
WAIT = 15.0


async def run(args, report, server_key):
    a = new_client(args, server_key)
    b = new_client(args, server_key)
    await log_in_test_number(report, a, args.phone_a, "a")
    user_b = await log_in_test_number(report, b, args.phone_b, "b")

    received = []

    @b.on(events.NewMessage(incoming=True))
    async def on_message(event):
        received.append(event.raw_text)

    report.stage("a: contacts.resolvePhone(b)")
    resolved = await a(functions.contacts.ResolvePhoneRequest(phone=args.phone_b.lstrip("+")))
    peer_b = resolved.users[0]
    report.check("resolve.b", peer_b.id == user_b.id, f"resolved {peer_b.id}, want {user_b.id}")

    report.stage("live: a sends, b's NewMessage fires")
    sent = await a.send_message(peer_b, "hello from a")
    report.check("live.sent_id", sent.id == 1, f"first message id {sent.id}")
    got = await common.wait_until(lambda: received == ["hello from a"], WAIT)
    report.check("live.received", got, f"b's handler saw {received!r}")

    report.stage("offline: b disconnects, a sends 20")
    await b.disconnect()
    texts = [f"batch {i}" for i in range(BATCH)]
    for text in texts:
        await a.send_message(peer_b, text)

    report.stage("catch up: b reconnects")
    await b.connect()
    await b.catch_up()
    got = await common.wait_until(lambda: len(received) >= 1 + BATCH, WAIT)
    report.check("catch_up.all", got and received[1:] == texts,
                 f"b's handler saw {len(received) - 1} of {BATCH}: {received[1:]!r}")

    report.stage("history paging")
    newest = await a.get_messages(peer_b, limit=5)
    report.check("history.newest", [m.text for m in newest] == texts[:-6:-1],
                 f"{[m.text for m in newest]!r}")
    report.check("history.total", newest.total == 1 + BATCH, f"total {newest.total}")
    older = await a.get_messages(peer_b, limit=5, offset_id=newest[-1].id)
    report.check("history.older", [m.text for m in older] == texts[-6:-11:-1],
                 f"{[m.text for m in older]!r}")
    report.check("history.out", all(m.out for m in newest + older), "a's copies not out")
    resolved = await b(functions.contacts.ResolvePhoneRequest(phone=args.phone_a.lstrip("+")))
    theirs = await b.get_messages(resolved.users[0], limit=BATCH + 1)
    report.check("history.b", [m.text for m in theirs][::-1] == ["hello from a", *texts],
                 f"{[m.text for m in theirs]!r}")
    report.check("history.b_incoming", not any(m.out for m in theirs), "b's copies are out")
    await a.disconnect()
    await b.disconnect()


def options(parser):
    parser.add_argument("--phone-a", required=True)
    parser.add_argument("--phone-b", required=True)


if __name__ == "__main__":
    main(run, options)
