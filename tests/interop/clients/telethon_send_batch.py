"""Telethon 1.45: the sender of the catch-up tests (test_catch_up.py).

Logs in with --phone (a test number), finds --to with contacts.resolvePhone and sends
--count private messages "<prefix> 000", "<prefix> 001", ... one after another with
send_message; each answer's message id must be above the previous one.
"""

import common
from telethon_client import main, new_client

from telethon import functions


async def run(args, report, server_key):
    client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    me = await client.sign_in(args.phone, common.test_code(args.phone))
    report.note("user_id", me.id)

    report.stage("contacts.resolvePhone")
    resolved = await client(functions.contacts.ResolvePhoneRequest(phone=args.to.lstrip("+")))
    peer = resolved.users[0]

    report.stage(f"send {args.count} messages")
    last = 0
    ordered = True
    for i in range(args.count):
        sent = await client.send_message(peer, f"{args.prefix} {i:03d}")
        ordered = ordered and sent.id > last
        last = sent.id
    report.check("send.ids_increase", ordered, f"last id {last}")
    report.note("last_id", last)
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--to", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", required=True)


if __name__ == "__main__":
    main(run, options)
