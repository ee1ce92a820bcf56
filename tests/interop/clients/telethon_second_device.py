"""A second device logs in with the code the first device receives from the service account.

Device A (Telethon) logs in to an ordinary number (signing it up with the code from the
delivery hook if it is new) and waits for a message from user 777000 ("Telegram") with
`events.NewMessage`. Device B (Telethon, a new auth key) asks for a code for the same
number: the server must answer auth.sentCodeTypeApp, because the account is logged in
elsewhere, and push the code to device A as a message. B signs in with the digits A read
from that message, and both devices must be the same user.
"""

import asyncio
import re

import common
from telethon_client import key_id, main, new_client
from telethon_login import log_in

from telethon import events, types

SERVICE_USER_ID = 777000
CODE_WAIT_SECS = 20


async def run(args, report, server_key):
    first = new_client(args, server_key)
    report.stage("device A: connect and log in")
    await first.connect()
    user = await log_in(args, report, first)
    report.note("user_id", user.id)
    # Any call after login makes the session take updates.
    await first.get_me()

    loop = asyncio.get_running_loop()
    code_seen = loop.create_future()

    @first.on(events.NewMessage(incoming=True))
    async def on_message(event):
        if event.sender_id != SERVICE_USER_ID or code_seen.done():
            return
        found = re.search(r"\b(\d{5})\b", event.raw_text or "")
        if found:
            code_seen.set_result(found.group(1))

    second = new_client(args, server_key)
    report.stage("device B: connect and send_code_request")
    await second.connect()
    report.note("second_auth_key_id", key_id(second.session.auth_key.key))
    sent = await second.send_code_request(args.phone)
    report.check("sent_code.type_app", isinstance(sent.type, types.auth.SentCodeTypeApp),
                 f"sent code type {type(sent.type).__name__}, want SentCodeTypeApp")

    report.stage("device A: waiting for the code from 777000")
    code = await asyncio.wait_for(code_seen, CODE_WAIT_SECS)
    report.note("code_from_777000", code)

    report.stage("device B: sign_in with the code from device A")
    second_user = await second.sign_in(args.phone, code)
    report.check("same_user", second_user.id == user.id,
                 f"device B is {second_user.id}, device A is {user.id}")
    me = await second.get_me()
    report.check("device_b.get_me", me is not None and me.id == user.id, f"get_me -> {me}")

    report.stage("device A: the chat with 777000 is in the dialogs, the code in its history")
    # updateShortMessage names the sender by id only; getDialogs brings the user with it.
    dialogs = await first.get_dialogs()
    service = [d for d in dialogs if d.id == SERVICE_USER_ID]
    report.check("dialogs.has_777000", len(service) == 1,
                 f"dialog ids {[d.id for d in dialogs]}")
    if service:
        report.check("dialogs.777000.name", service[0].name == "Telegram",
                     f"named {service[0].name!r}")
        history = await first.get_messages(service[0].entity, limit=1)
        report.check("history.has_code",
                     bool(history) and code in (history[0].raw_text or ""),
                     f"last message from 777000: {history[0].raw_text if history else None!r}")
    await second.disconnect()
    await first.disconnect()


def options(parser):
    common.add_login_args(parser)


if __name__ == "__main__":
    main(run, options)
