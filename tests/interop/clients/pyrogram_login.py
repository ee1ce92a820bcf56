"""Pyrogram 2.0.106 or kurigram 2.2 (whichever venv runs this; both install as `pyrogram`)
logs in to chappe with its public API: connect(), send_code, sign_in (sign_up when the
number is new and --first-name is given), then get_me. The code is --code (test numbers)
or read from the delivery hook's file. --logout: auth.logOut, then users.getUsers(
[inputUserSelf]) on the same key must fail with 401.
"""

import common

import pyrogram
from pyrogram import Client, errors, raw
from pyrogram.crypto import rsa
from pyrogram.raw.all import layer as LAYER

IS_KURIGRAM = not pyrogram.__version__.startswith("2.0.")
KIND = "kurigram" if IS_KURIGRAM else "pyrogram"
EXPECTED_VERSION = "2.2.26" if IS_KURIGRAM else "2.0.106"
EXPECTED_LAYER = 229 if IS_KURIGRAM else 158
REQUEST_TIMEOUT = 10
RETRIES = 1 if IS_KURIGRAM else 0  # kurigram counts attempts, Pyrogram retries


def make_client(args):
    if IS_KURIGRAM:
        from kurigram_client import connection_to
        return Client("chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True,
                      connection_factory=connection_to(args.host, args.port))
    from pyrogram.session.internals import DataCenter
    address = (args.host, args.port)
    DataCenter.__new__ = lambda cls, dc_id, test_mode, ipv6, media: address
    return Client("chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True)


async def run(args, report, server_key):
    rsa.server_public_keys[server_key.fingerprint] = rsa.PublicKey(server_key.n, server_key.e)
    client = make_client(args)

    report.stage("connect")
    authorized = await client.connect()
    report.check("connect.not_authorized", authorized is False, f"connect() -> {authorized}")

    report.stage("send_code")
    code_file = common.CodeFile(args.phone)
    sent = await client.send_code(args.phone)
    report.note("sent_code_type", str(sent.type))
    code = args.code or await code_file.wait_new()

    report.stage("sign_in")
    user = await client.sign_in(args.phone, sent.phone_code_hash, code)
    if not isinstance(user, pyrogram.types.User):
        report.note("sign_in_result", type(user).__name__)
        if not args.first_name:
            raise RuntimeError(f"sign_in returned {user!r}: the number needs signing up")
        report.stage("sign_up")
        user = await client.sign_up(args.phone, sent.phone_code_hash, args.first_name)
    report.note("user_id", user.id)
    common.check_me(report, "sign_in", args, user.id, user.is_self, user.phone_number,
                    user.first_name)

    report.stage("get_me")
    me = await client.get_me()
    report.check("get_me.same_user", me.id == user.id, f"get_me() -> {me.id}, signed in as {user.id}")
    common.check_me(report, "get_me", args, me.id, me.is_self, me.phone_number, me.first_name)

    if args.logout:
        report.stage("auth.logOut")
        await client.invoke(raw.functions.auth.LogOut(), retries=RETRIES, timeout=REQUEST_TIMEOUT)
        report.stage("users.getUsers([inputUserSelf]) after log-out")
        try:
            await client.invoke(raw.functions.users.GetUsers(id=[raw.types.InputUserSelf()]),
                                retries=RETRIES, timeout=REQUEST_TIMEOUT)
            report.check("after-logout.getUsers.401", False, "returned a user after log-out")
        except errors.Unauthorized as e:
            report.check("after-logout.getUsers.401", e.CODE == 401, f"{type(e).__name__}: {e}")

    report.stage("disconnect")
    await client.disconnect()


def main():
    common.setup_logging()
    args = common.parse_args(["abridged"], common.add_login_args)
    report = common.Report(KIND, pyrogram.__version__, LAYER, args.transport)

    async def body():
        report.stage("versions")
        if not report.check("version", pyrogram.__version__ == EXPECTED_VERSION,
                            f"installed {pyrogram.__version__}, want {EXPECTED_VERSION}"):
            return
        if not report.check("layer", LAYER == EXPECTED_LAYER,
                            f"speaks {LAYER}, want {EXPECTED_LAYER}"):
            return
        await run(args, report, common.ServerKey.load(args.pem))

    common.run_main(body, report, args.timeout)


if __name__ == "__main__":
    main()
