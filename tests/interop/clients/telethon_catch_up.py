"""Telethon 1.45: an offline device catching up (test_catch_up.py), public API only.

B logs in (--phone), registers an events.NewMessage handler and prints {"phase": 1}. The
harness has the sender post one message ("live ..."): the handler must see it (B's session
gets pushes). B disconnects, keeping the client object and so its update state (Telethon's
MessageBox: pts, date, qts), and prints {"phase": 2}. The harness has the sender post
--count messages ("offline 000", ...). B connects again and calls catch_up(), which runs
updates.getDifference from the saved state until the server answers updates.difference
(100 messages per differenceSlice on chappe, so several calls). The handler must see every
offline message exactly once and in order.

With --session-file the device is a SQLite session file instead (Telethon stores its update
state there when it disconnects): after going offline a brand-new client on the same file
connects, registers the handler and calls catch_up(), as an app does after a restart. Such a
client must be made with TelegramClient(..., catch_up=True): with the default (False) it
ignores the saved state and catch_up() starts from a fresh updates.getState (nothing).
"""

import asyncio
import os
import tempfile

import common
from telethon_client import TRANSPORTS, main, new_client

from telethon import TelegramClient, events
from telethon.crypto import rsa
from telethon.sessions import SQLiteSession

WAIT = 30.0
SETTLE = 2.0


def file_client(args, server_key, path):
    """A client on the SQLite session file `path`, pointed at chappe (DC 2)."""
    rsa.add_key(server_key.pem, old=False)
    session = SQLiteSession(path)
    session.set_dc(common.EXPECTED_THIS_DC, args.host, args.port)
    # telethon_client.make_client's options, plus loading the saved update state.
    return TelegramClient(session, api_id=1, api_hash="0" * 32,
                          connection=TRANSPORTS[args.transport], timeout=10, request_retries=3,
                          connection_retries=args.connection_retries, retry_delay=1,
                          auto_reconnect=True, catch_up=True)


async def run(args, report, server_key):
    path = os.path.join(tempfile.mkdtemp(prefix="chappe-telethon-"), "device")
    if args.session_file:
        client = file_client(args, server_key, path)
    else:
        client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    me = await client.sign_in(args.phone, common.test_code(args.phone))
    report.note("user_id", me.id)

    received = []

    async def on_message(event):
        received.append(event.raw_text)

    client.add_event_handler(on_message, events.NewMessage(incoming=True))

    report.stage("live message")
    await common.wait_for_harness({"phase": 1, "user_id": me.id})
    got = await common.wait_until(lambda: len(received) >= 1, WAIT)
    report.check("live.received", got and received[0].startswith("live"),
                 f"handler saw {received!r}")

    report.stage("offline")
    await client.disconnect()
    await common.wait_for_harness({"phase": 2})

    report.stage("reconnect + catch_up")
    expected = [f"offline {i:03d}" for i in range(args.count)]
    if args.session_file:
        client = file_client(args, server_key, path)
        client.add_event_handler(on_message, events.NewMessage(incoming=True))
    await client.connect()
    await client.catch_up()
    await common.wait_until(lambda: len(received) >= 1 + args.count, WAIT)
    await asyncio.sleep(SETTLE)  # duplicates would arrive now
    offline = received[1:]
    report.note("caught_up", len(offline))
    report.check("catch_up.count", len(offline) == args.count,
                 f"handler saw {len(offline)} of {args.count}")
    report.check("catch_up.exactly_once_in_order", offline == expected,
                 f"first difference at {first_difference(offline, expected)}")
    await client.disconnect()


def first_difference(got, want):
    """Where two lists first differ, for the failure message."""
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f"#{i}: got {a!r}, want {b!r}"
    return f"length {len(got)} vs {len(want)}" if len(got) != len(want) else "none"


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--session-file", action="store_true",
                        help="keep the device in a SQLite session file; catch up with a new client")


if __name__ == "__main__":
    main(run, options)
