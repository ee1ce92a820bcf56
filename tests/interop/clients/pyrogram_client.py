"""Pyrogram 2.0.106 (layer 158, TCP abridged hard-wired) against chappe.

Pyrogram keeps Telegram's addresses in `DataCenter`; its `__new__` is replaced so every
DC resolves to chappe, and chappe's key is added to its RSA key table. Nothing else is
touched. `Client.connect()` on an empty in-memory session makes the key on a first
connection (req_pq_multi .. set_client_DH_params, then closes it), opens a second one,
sends an unwrapped `ping` with salt 0 and then invokeWithLayer(158, initConnection(
help.getConfig)), each with a 2 s timeout. Then help.getConfig, ping and a
users.getUsers([inputUserSelf]) that must fail with 401.
"""

import common

import pyrogram
from pyrogram import Client, errors, raw
from pyrogram.crypto import rsa
from pyrogram.raw.all import layer as LAYER
from pyrogram.session.internals import DataCenter

EXPECTED_VERSION = "2.0.106"
EXPECTED_LAYER = 158
TRANSPORTS = ["abridged"]  # Connection.connect() always builds TCPAbridged
REQUEST_TIMEOUT = 10


async def run(args, report, server_key):
    address = (args.host, args.port)
    DataCenter.__new__ = lambda cls, dc_id, test_mode, ipv6, media: address
    rsa.server_public_keys[server_key.fingerprint] = rsa.PublicKey(server_key.n, server_key.e)

    client = Client("chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True)
    report.stage("connect (key exchange, ping, initConnection)")
    authorized = await client.connect()
    report.check("connect.not_authorized", authorized is False, f"connect() -> {authorized}")
    report.note("auth_key_id", int.from_bytes(client.session.auth_key_id, "little", signed=True))

    report.stage("help.getConfig")
    config = await client.invoke(raw.functions.help.GetConfig(), retries=0,
                                 timeout=REQUEST_TIMEOUT)
    common.check_config(report, config, args.host, args.port)

    report.stage("ping")
    ping_id = common.random_ping_id()
    pong = await client.invoke(raw.functions.Ping(ping_id=ping_id), retries=0,
                               timeout=REQUEST_TIMEOUT)
    report.check("pong", isinstance(pong, raw.types.Pong) and pong.ping_id == ping_id,
                 repr(pong))

    report.stage("users.getUsers([inputUserSelf])")
    try:
        await client.invoke(raw.functions.users.GetUsers(id=[raw.types.InputUserSelf()]),
                            retries=0, timeout=REQUEST_TIMEOUT)
        report.check("getUsers.401", False, "returned a user before login")
    except errors.Unauthorized as e:
        report.check("getUsers.401", e.CODE == 401, f"{type(e).__name__}: {e}")

    report.stage("disconnect")
    await client.disconnect()


def main():
    common.setup_logging()
    args = common.parse_args(TRANSPORTS)
    report = common.Report("pyrogram", pyrogram.__version__, LAYER, args.transport)

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
