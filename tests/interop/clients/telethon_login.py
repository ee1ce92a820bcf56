"""Telethon 1.45 logs in to chappe with its public API: send_code_request, sign_in
(sign_in(password=...) when the server answers SESSION_PASSWORD_NEEDED and --password is
given; auth.signUp, raw, when the number is new and --first-name is given), then get_me
and is_user_authorized. The code is --code (test numbers) or read from the delivery hook's file.

Options: --logout              log_out(), then a new client on the saved StringSession (same
                               auth key) must get 401 from users.getUsers([inputUserSelf]).
         --restart             print {"phase": 1} and wait for a line on stdin (the harness
                               restarts the server), then a new client on the saved
                               StringSession must still be authorized as the same user.
         --set-password PW     edit_2fa(new_password=PW) after login; account.getPassword
                               must then say a password is set.
         --end-sessions one|all  account.getAuthorizations (--expect-sessions N of them, one
                               current), then account.resetAuthorization of every other one
                               (`one`) or auth.resetAuthorizations (`all`); afterwards only
                               the current one is listed and this client still works.
         --expect-login-error, --expect-revoked: see common.add_login_args.
"""

import common
from telethon_client import expect_unauthorized, key_id, main, make_client, new_client

from telethon import errors, functions
from telethon.sessions import StringSession


async def log_in(args, report, client):
    report.stage("send_code_request")
    code_file = common.CodeFile(args.phone)
    sent = await client.send_code_request(args.phone)
    report.note("sent_code_type", type(sent.type).__name__)
    code = args.code or await code_file.wait_new()

    report.stage("sign_in")
    password_asked = False
    try:
        user = await client.sign_in(args.phone, code)
    except errors.SessionPasswordNeededError:
        password_asked = True
        if args.password is None:
            raise
        report.stage("sign_in(password=...) (account.getPassword, auth.checkPassword)")
        user = await client.sign_in(password=args.password)
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
    common.check_password_asked(report, args, password_asked)
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


async def set_password(args, report, client):
    report.stage("edit_2fa (account.getPassword, account.updatePasswordSettings)")
    report.check("edit_2fa", await client.edit_2fa(new_password=args.set_password) is True,
                 "edit_2fa() returned false")
    state = await client(functions.account.GetPasswordRequest())
    report.check("get_password.has_password", state.has_password is True,
                 f"has_password={state.has_password} after edit_2fa")


async def end_sessions(args, report, client, user_id):
    report.stage("account.getAuthorizations")
    listed = (await client(functions.account.GetAuthorizationsRequest())).authorizations
    report.note("authorizations", [{"hash": a.hash, "current": a.current,
                                    "device_model": a.device_model} for a in listed])
    current = [a for a in listed if a.current]
    others = [a for a in listed if not a.current]
    report.check("sessions.one_current", len(current) == 1, f"{len(current)} marked current")
    if args.expect_sessions is not None:
        report.check("sessions.count", len(listed) == args.expect_sessions,
                     f"{len(listed)} listed, want {args.expect_sessions}")
    if args.end_sessions == "one":
        for auth in others:
            report.stage(f"account.resetAuthorization({auth.hash})")
            done = await client(functions.account.ResetAuthorizationRequest(hash=auth.hash))
            report.check(f"reset_authorization.{auth.hash}", done is True, f"-> {done}")
    else:
        report.stage("auth.resetAuthorizations")
        done = await client(functions.auth.ResetAuthorizationsRequest())
        report.check("reset_authorizations", done is True, f"-> {done}")
    report.stage("account.getAuthorizations after ending the others")
    left = (await client(functions.account.GetAuthorizationsRequest())).authorizations
    report.check("sessions.only_current_left", len(left) == 1 and left[0].current,
                 f"{[(a.hash, a.current) for a in left]}")
    await check_authorized(report, client, user_id, "after-ending-others")


async def run(args, report, server_key):
    client = new_client(args, server_key)

    report.stage("connect")
    await client.connect()
    report.note("auth_key_id", key_id(client.session.auth_key.key))
    user = await common.login_unless_expected_error(report, args, log_in(args, report, client),
                                                    errors.RPCError)
    if user is None:
        await client.disconnect()
        return
    report.note("user_id", user.id)
    common.check_me(report, "sign_in", args, user.id, user.is_self, user.phone, user.first_name)
    me = await check_authorized(report, client, user.id, "after-login")
    if me is not None:
        common.check_me(report, "get_me", args, me.id, me.is_self, me.phone, me.first_name)
    saved = StringSession.save(client.session)

    if args.set_password is not None:
        await set_password(args, report, client)
    if args.end_sessions is not None:
        await end_sessions(args, report, client, user.id)
    if args.expect_revoked:
        report.stage("waiting while another client ends this session")
        await common.wait_for_harness({"phase": 1, "user_id": user.id})
        await expect_unauthorized(report, "after-revoke.getUsers.401", client,
                                  message="AUTH_KEY_UNREGISTERED")

    if args.restart:
        await client.disconnect()
        report.stage("waiting for the server restart")
        await common.wait_for_harness({"phase": 1, "user_id": user.id})
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
        await expect_unauthorized(report, "after-logout.getUsers.401", again)
        report.check("after-logout.is_user_authorized", not await again.is_user_authorized(),
                     "updates.getState succeeded after log_out")
        await again.disconnect()
    else:
        await client.disconnect()


def options(parser):
    common.add_login_args(parser)
    parser.add_argument("--restart", action="store_true")
    parser.add_argument("--set-password")
    parser.add_argument("--end-sessions", choices=("one", "all"))
    parser.add_argument("--expect-sessions", type=int)


if __name__ == "__main__":
    main(run, options)
