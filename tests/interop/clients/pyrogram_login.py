"""Pyrogram 2.0.106 or kurigram 2.2 (whichever venv runs this; both install as `pyrogram`)
logs in to chappe with its public API: connect(), send_code, sign_in (check_password when
the server answers SESSION_PASSWORD_NEEDED and --password is given; sign_up when the number
is new and --first-name is given), then get_me. The code is --code (test numbers) or read
from the delivery hook's file.

Options: --logout              auth.logOut, then users.getUsers([inputUserSelf]) on the same
                               key must fail with 401.
         --expect-login-error  the login must fail with this RPC error (nothing else runs).
         --expect-revoked      after login print {"phase": 1} and wait for a line on stdin
                               (another client ends this session meanwhile); then
                               users.getUsers must fail with 401 AUTH_KEY_UNREGISTERED.
"""

import common
import pyrogram_common
from pyrogram_common import invoke

import pyrogram
from pyrogram import errors, raw


async def log_in(args, report, client):
    report.stage("send_code")
    code_file = common.CodeFile(args.phone)
    sent = await client.send_code(args.phone)
    report.note("sent_code_type", str(sent.type))
    code = args.code or await code_file.wait_new()

    report.stage("sign_in")
    password_asked = False
    try:
        user = await client.sign_in(args.phone, sent.phone_code_hash, code)
    except errors.SessionPasswordNeeded:
        password_asked = True
        if args.password is None:
            raise
        report.stage("check_password (account.getPassword, auth.checkPassword)")
        user = await client.check_password(args.password)
    common.check_password_asked(report, args, password_asked)
    if not isinstance(user, pyrogram.types.User):
        report.note("sign_in_result", type(user).__name__)
        if not args.first_name:
            raise RuntimeError(f"sign_in returned {user!r}: the number needs signing up")
        report.stage("sign_up")
        user = await client.sign_up(args.phone, sent.phone_code_hash, args.first_name)
    return user


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)

    user = await common.login_unless_expected_error(report, args, log_in(args, report, client),
                                                    errors.RPCError)
    if user is None:
        await client.disconnect()
        return
    report.note("user_id", user.id)
    common.check_me(report, "sign_in", args, user.id, user.is_self, user.phone_number,
                    user.first_name)

    report.stage("get_me")
    me = await client.get_me()
    report.check("get_me.same_user", me.id == user.id, f"get_me() -> {me.id}, signed in as {user.id}")
    common.check_me(report, "get_me", args, me.id, me.is_self, me.phone_number, me.first_name)

    if args.expect_revoked:
        report.stage("waiting while another client ends this session")
        await common.wait_for_harness({"phase": 1, "user_id": user.id})
        await pyrogram_common.expect_unauthorized(report, "after-revoke.getUsers.401", client,
                                                  message="AUTH_KEY_UNREGISTERED")

    if args.logout:
        report.stage("auth.logOut")
        await invoke(client, raw.functions.auth.LogOut())
        await pyrogram_common.expect_unauthorized(report, "after-logout.getUsers.401", client)

    report.stage("disconnect")
    await client.disconnect()


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, common.add_login_args)
