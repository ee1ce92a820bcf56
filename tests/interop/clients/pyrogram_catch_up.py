"""Pyrogram 2.0.106 / kurigram 2.2: an offline device catching up (test_catch_up.py).

B logs in (--phone) on an on-disk session (SQLite in a temporary directory, which keeps
kurigram's update state between Client objects), then runs a Client with a MessageHandler
(workers=1, so the handler sees updates in queue order) and prints {"phase": 1}. The
harness has the sender post one message: the handler must see it. B stops (the session file
stays) and prints {"phase": 2}; the harness has the sender post --count messages
("offline 000", ...). A new Client on the same session file starts again.

- kurigram (skip_updates=False): start() runs recover_gaps(), i.e. updates.getDifference
  from the pts/date it saved, until updates.difference. The handler must see every offline
  message exactly once and in order.
- Pyrogram 2.0.106 keeps no update state and never catches up on start (it calls
  updates.getDifference only to fetch the message of an updateShortMessage). The program
  saves updates.getState before going offline, checks what the handler gets on start by
  itself (reported as library_catch_up), and then runs updates.getDifference raw from the
  saved state, slice after slice: the new messages must be every offline message exactly
  once and in order, every answer but the last an updates.differenceSlice.
"""

import asyncio
import tempfile

import common
import pyrogram_common

from pyrogram import Client, raw
from pyrogram.crypto import rsa
from pyrogram.handlers import MessageHandler

WAIT = 30.0
SETTLE = 2.0
NAME = "catch-up"


def make_client(args, server_key, workdir):
    """Like pyrogram_common.make_client, on a session file in `workdir`."""
    rsa.server_public_keys[server_key.fingerprint] = rsa.PublicKey(server_key.n, server_key.e)
    options = {"workdir": workdir, "workers": 1}
    if pyrogram_common.IS_KURIGRAM:
        options["connection_factory"] = pyrogram_common.connection_to(args.host, args.port)
        options["skip_updates"] = False
    else:
        from pyrogram.session.internals import DataCenter
        address = (args.host, args.port)
        DataCenter.__new__ = lambda cls, dc_id, test_mode, ipv6, media: address
    return Client(NAME, api_id=1, api_hash="0" * 32, **options)


async def raw_difference(report, client, state, count):
    """updates.getDifference from `state` until the server says it is done."""
    texts, kinds = [], []
    pts, date, qts = state.pts, state.date, state.qts
    for _ in range(2 * count + 2):
        diff = await pyrogram_common.invoke(
            client, raw.functions.updates.GetDifference(pts=pts, date=date, qts=qts))
        kinds.append(type(diff).__name__)
        if isinstance(diff, raw.types.updates.DifferenceEmpty):
            break
        if not isinstance(diff, (raw.types.updates.Difference, raw.types.updates.DifferenceSlice)):
            report.check("difference.type", False, f"unexpected {type(diff).__name__}")
            break
        texts.extend(m.message for m in diff.new_messages)
        if isinstance(diff, raw.types.updates.Difference):
            break
        next_state = diff.intermediate_state
        if next_state.pts <= pts:
            report.check("difference.progress", False, f"slice left pts at {next_state.pts}")
            break
        pts, date, qts = next_state.pts, next_state.date, next_state.qts
    report.note("difference_answers", kinds)
    report.check("difference.slices",
                 len(kinds) >= 1 and kinds[-1] in ("Difference", "DifferenceEmpty")
                 and all(k == "DifferenceSlice" for k in kinds[:-1]),
                 f"answers {kinds}")
    return texts


async def run(args, report, server_key):
    workdir = tempfile.mkdtemp(prefix="chappe-catch-up-")
    first = make_client(args, server_key, workdir)
    report.stage("login")
    await first.connect()
    sent = await first.send_code(args.phone)
    me = await first.sign_in(args.phone, sent.phone_code_hash, common.test_code(args.phone))
    report.note("user_id", me.id)
    await first.disconnect()

    received = []

    async def on_message(_client, message):
        received.append(message.text)

    report.stage("start + live message")
    online = make_client(args, server_key, workdir)
    online.add_handler(MessageHandler(on_message))
    await online.start()
    await common.wait_for_harness({"phase": 1, "user_id": me.id})
    got = await common.wait_until(lambda: len(received) >= 1, WAIT)
    report.check("live.received", got and (received[0] or "").startswith("live"),
                 f"handler saw {received!r}")
    saved = await pyrogram_common.invoke(online, raw.functions.updates.GetState())

    report.stage("offline")
    await online.stop()
    await common.wait_for_harness({"phase": 2})

    report.stage("start again on the saved session")
    expected = [f"offline {i:03d}" for i in range(args.count)]
    again = make_client(args, server_key, workdir)
    again.add_handler(MessageHandler(on_message))
    await again.start()
    if pyrogram_common.IS_KURIGRAM:
        await common.wait_until(lambda: len(received) >= 1 + args.count, WAIT)
        await asyncio.sleep(SETTLE)  # duplicates would arrive now
        offline = received[1:]
    else:
        await asyncio.sleep(SETTLE)
        report.note("library_catch_up", len(received) - 1)
        report.stage("raw updates.getDifference from the saved state")
        offline = await raw_difference(report, again, saved, args.count)
    report.note("caught_up", len(offline))
    report.check("catch_up.count", len(offline) == args.count,
                 f"got {len(offline)} of {args.count}")
    report.check("catch_up.exactly_once_in_order", offline == expected,
                 f"first difference at {first_difference(offline, expected)}")
    await again.stop()


def first_difference(got, want):
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f"#{i}: got {a!r}, want {b!r}"
    return f"length {len(got)} vs {len(want)}" if len(got) != len(want) else "none"


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--count", type=int, default=200)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
