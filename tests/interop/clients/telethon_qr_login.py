"""Telethon 1.45 logs a second device in by QR code: device A logs in with a test number
(send_code_request + sign_in); device B, on a fresh session, calls client.qr_login()
(auth.exportLoginToken); A accepts the token (auth.acceptLoginToken); B's qr.wait() sees
updateLoginToken, exports again and gets auth.loginTokenSuccess; B's get_me() must then be
A's user, and A's account.getAuthorizations must list B's session.
"""

import common
from telethon_client import key_id, main, new_client
from telethon_login import check_authorized, log_in

from telethon import functions


async def run(args, report, server_key):
    a = new_client(args, server_key)
    report.stage("device A: connect")
    await a.connect()
    user = await log_in(args, report, a)
    report.note("user_id", user.id)

    b = new_client(args, server_key)
    report.stage("device B: connect")
    await b.connect()
    report.note("b_auth_key_id", key_id(b.session.auth_key.key))
    report.check("b.not_authorized", not await b.is_user_authorized(),
                 "device B is authorized before the QR login")

    report.stage("device B: qr_login (auth.exportLoginToken)")
    qr = await b.qr_login()
    report.note("qr_url", qr.url)
    report.check("qr.token", len(qr.token) > 0, "empty token")

    report.stage("device A: auth.acceptLoginToken")
    accepted = await a(functions.auth.AcceptLoginTokenRequest(token=qr.token))
    report.check("accept.not_current", accepted.current is False, repr(accepted))

    report.stage("device B: qr.wait (updateLoginToken, auth.exportLoginToken again)")
    me = await qr.wait(timeout=20)
    report.check("qr.wait.user", me is not None and me.id == user.id,
                 f"qr.wait() -> {me and me.id}, want {user.id}")
    await check_authorized(report, b, user.id, "device-B")

    report.stage("device A: account.getAuthorizations")
    listed = (await a(functions.account.GetAuthorizationsRequest())).authorizations
    report.check("a.sessions", len(listed) == 2, f"{len(listed)} authorizations listed")

    await b.disconnect()
    await a.disconnect()


def options(parser):
    common.add_login_args(parser)


if __name__ == "__main__":
    main(run, options)
