"""Telethon 1.45 logs in to chappe with its public API: send_code_request, sign_in
(auth.signUp, raw, when the number is new and --first-name is given), then get_me and
is_user_authorized. The code is --code (test numbers) or read from the delivery hook's file.

Options: --logout   log_out(), then a new client on the saved StringSession (same auth key)
                    must get 401 from users.getUsers([inputUserSelf]).
         --restart  print {"phase": 1} and wait for a line on stdin (the harness restarts the
                    server), then a new client on the saved StringSession must still be
                    authorized as the same user, without logging in again.
"""

import asyncio
import json
import sys

import common
from telethon_client import EXPECTED_LAYER, EXPECTED_VERSION, TRANSPORTS, key_id, make_client

import telethon
from telethon import errors, functions, types
from telethon.crypto import rsa
from telethon.sessions import StringSession
from telethon.tl.alltlobjects import LAYER


async def log_in(args, report, client):
    report.stage("send_code_request")
    code_file = common.CodeFile(args.phone)
    sent = await client.send_code_request(args.phone)
    report.note("sent_code_type", type(sent.type).__name__)
    code = args.code or await code_file.wait_new()

    report.stage("sign_in")
    try:
        user = await client.sign_in(args.phone, code)
    except errors.PhoneNumberUnoccupiedError:
        if not args.first_name:
            raise
        # Telethon 1.45's sign_up() refuses on the client side ("Third-party applications
        # cannot sign up"), so the request goes raw, with the hash send_code_request returned.
        report.stage("auth.signUp (raw)")
        auth = await client(functions.auth.SignUpRequest(
            phone_number=args.phone, phone_code_hash=sent.phone_code_hash,
            first_name=args.first_name, last_name=""))
        user = auth.user
    report.note("user_id", user.id)
    common.check_me(report, "sign_in", args, user.id, user.is_self, user.phone, user.first_name)
    return user


async def check_authorized(report, client, user_id, tag):
    report.stage(f"{tag}: get_me")
    me = await client.get_me()
    report.check(f"{tag}.get_me", me is not None and me.id == user_id,
                 f"get_me() -> {me and me.id}, logged in as {user_id}")
    report.stage(f"{tag}: is_user_authorized")
    report.check(f"{tag}.is_user_authorized", await client.is_user_authorized() is True,
                 "is_user_authorized() is false after login")
    return me


async def run(args, report, server_key):
    rsa.add_key(server_key.pem, old=False)
    session = StringSession()
    session.set_dc(common.EXPECTED_THIS_DC, args.host, args.port)
    client = make_client(args, session)

    report.stage("connect")
    await client.connect()
    report.note("auth_key_id", key_id(client.session.auth_key.key))
    user = await log_in(args, report, client)
    me = await check_authorized(report, client, user.id, "after-login")
    if me is not None:
        common.check_me(report, "get_me", args, me.id, me.is_self, me.phone, me.first_name)
    saved = StringSession.save(client.session)

    if args.restart:
        await client.disconnect()
        print(json.dumps({"phase": 1, "user_id": user.id}), flush=True)
        report.stage("waiting for the server restart")
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        if not line:
            raise RuntimeError("harness closed stdin instead of signalling the restart")
        report.stage("new client from StringSession after restart")
        client = make_client(args, StringSession(saved))
        await client.connect()
        await check_authorized(report, client, user.id, "after-restart")

    if args.logout:
        report.stage("log_out")
        report.check("log_out", await client.log_out() is True, "log_out() returned false")
        report.stage("same key after log_out")
        again = make_client(args, StringSession(saved))
        await again.connect()
        try:
            await again(functions.users.GetUsersRequest([types.InputUserSelf()]))
            report.check("after-logout.getUsers.401", False, "returned a user after log_out")
        except errors.UnauthorizedError as e:
            report.check("after-logout.getUsers.401", e.code == 401,
                         f"{type(e).__name__} {e.code} {e.message}")
        report.check("after-logout.is_user_authorized", not await again.is_user_authorized(),
                     "updates.getState succeeded after log_out")
        await again.disconnect()
    else:
        await client.disconnect()


def main():
    common.setup_logging()

    def extra(parser):
        common.add_login_args(parser)
        parser.add_argument("--restart", action="store_true")
        parser.add_argument("--connection-retries", type=int, default=2)

    args = common.parse_args(list(TRANSPORTS), extra)
    report = common.Report("telethon", telethon.__version__, LAYER, args.transport)

    async def body():
        report.stage("versions")
        if not report.check("version", telethon.__version__ == EXPECTED_VERSION,
                            f"installed {telethon.__version__}, want {EXPECTED_VERSION}"):
            return
        if not report.check("layer", LAYER == EXPECTED_LAYER,
                            f"speaks {LAYER}, want {EXPECTED_LAYER}"):
            return
        await run(args, report, common.ServerKey.load(args.pem))

    common.run_main(body, report, args.timeout)


if __name__ == "__main__":
    main()
