"""kurigram 2.2 (layer 229) against chappe, through its public Client options.

`connection_factory` gets a Connection subclass that dials chappe whatever address the
session holds (a new in-memory session starts with Telegram's DC 2 address);
`protocol_factory` picks the transport; chappe's key goes into the RSA key table shared
with Pyrogram. Like Pyrogram, `connect()` makes the key on its own connection, then opens
another and sends `ping` (salt 0) and invokeWithLayer(229, initConnection(help.getConfig)).
Then help.getConfig, ping and users.getUsers([inputUserSelf]) that must fail with 401.
"""

import common

import pyrogram
from pyrogram import Client, errors, raw
from pyrogram.connection import Connection
from pyrogram.connection import transport as tr
from pyrogram.crypto import rsa
from pyrogram.raw.all import layer as LAYER

EXPECTED_VERSION = "2.2.26"
EXPECTED_LAYER = 229
REQUEST_TIMEOUT = 10
# kurigram's `retries` counts attempts (Pyrogram 2.0.106's counts retries after the first).
ATTEMPTS = 1

TRANSPORTS = {
    "abridged": tr.TCPAbridged,  # kurigram's default
    "intermediate": tr.TCPIntermediate,
    "padded-intermediate": tr.TCPIntermediatePadded,
    "full": tr.TCPFull,
    "obfuscated-abridged": tr.TCPAbridgedO,
    "obfuscated-intermediate": tr.TCPIntermediateO,
}


def connection_to(host, port):
    class ChappeConnection(Connection):
        # kurigram builds every Connection with keyword arguments only.
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, "server_address": host, "port": port})

    return ChappeConnection


async def run(args, report, server_key):
    rsa.server_public_keys[server_key.fingerprint] = rsa.PublicKey(server_key.n, server_key.e)

    client = Client(
        "chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True,
        connection_factory=connection_to(args.host, args.port),
        protocol_factory=TRANSPORTS[args.transport],
    )
    report.stage("connect (key exchange, ping, initConnection)")
    authorized = await client.connect()
    report.check("connect.not_authorized", authorized is False, f"connect() -> {authorized}")
    report.note("auth_key_id", int.from_bytes(client.session.auth_key_id, "little", signed=True))

    report.stage("help.getConfig")
    config = await client.invoke(raw.functions.help.GetConfig(), retries=ATTEMPTS,
                                 timeout=REQUEST_TIMEOUT)
    common.check_config(report, config, args.host, args.port)

    report.stage("ping")
    ping_id = common.random_ping_id()
    pong = await client.invoke(raw.functions.Ping(ping_id=ping_id), retries=ATTEMPTS,
                               timeout=REQUEST_TIMEOUT)
    report.check("pong", isinstance(pong, raw.types.Pong) and pong.ping_id == ping_id,
                 repr(pong))

    report.stage("users.getUsers([inputUserSelf])")
    try:
        await client.invoke(raw.functions.users.GetUsers(id=[raw.types.InputUserSelf()]),
                            retries=ATTEMPTS, timeout=REQUEST_TIMEOUT)
        report.check("getUsers.401", False, "returned a user before login")
    except errors.Unauthorized as e:
        report.check("getUsers.401", e.CODE == 401, f"{type(e).__name__}: {e}")

    report.stage("disconnect")
    await client.disconnect()


def main():
    common.setup_logging()
    args = common.parse_args(list(TRANSPORTS))
    report = common.Report("kurigram", pyrogram.__version__, LAYER, args.transport)

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
