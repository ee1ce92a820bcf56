"""What the Pyrogram 2.0.106 and kurigram 2.2 programs share: both install as the
`pyrogram` module (each in its own venv), so the version found tells which one runs.

Pyrogram keeps Telegram's addresses in `DataCenter`; its `__new__` is replaced so every DC
resolves to chappe. kurigram takes a `connection_factory` instead: a Connection subclass
that dials chappe whatever address the session holds. Either way chappe's key goes into
the RSA key table, and nothing else is touched.
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
# kurigram's `retries` counts attempts; Pyrogram 2.0.106's counts retries after the first.
RETRIES = 1 if IS_KURIGRAM else 0


def connection_to(host, port):
    """kurigram: a Connection class that always dials chappe."""
    from pyrogram.connection import Connection

    class ChappeConnection(Connection):
        # kurigram builds every Connection with keyword arguments only.
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, "server_address": host, "port": port})

    return ChappeConnection


def make_client(args, server_key, protocol=None):
    """A client on an empty in-memory session that reaches chappe and trusts its key;
    `protocol` (kurigram only) picks the transport class."""
    rsa.server_public_keys[server_key.fingerprint] = rsa.PublicKey(server_key.n, server_key.e)
    if IS_KURIGRAM:
        options = {"connection_factory": connection_to(args.host, args.port)}
        if protocol is not None:
            options["protocol_factory"] = protocol
        return Client("chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True, **options)
    from pyrogram.session.internals import DataCenter
    address = (args.host, args.port)
    DataCenter.__new__ = lambda cls, dc_id, test_mode, ipv6, media: address
    return Client("chappe-interop", api_id=1, api_hash="0" * 32, in_memory=True)


async def invoke(client, query):
    """A raw request, without the library's retries hiding what the server answered."""
    return await client.invoke(query, retries=RETRIES, timeout=REQUEST_TIMEOUT)


async def connect(report, client):
    report.stage("connect (key exchange, ping, initConnection)")
    authorized = await client.connect()
    report.check("connect.not_authorized", authorized is False, f"connect() -> {authorized}")
    report.note("auth_key_id", int.from_bytes(client.session.auth_key_id, "little", signed=True))


async def expect_unauthorized(report, name, client, message=None):
    """users.getUsers([inputUserSelf]) must fail with 401 (and `message`, if given)."""
    report.stage(f"users.getUsers([inputUserSelf]): {name}")
    await common.expect_rpc_error(
        report, name, invoke(client, raw.functions.users.GetUsers(id=[raw.types.InputUserSelf()])),
        errors.Unauthorized, code=401, message=message)


async def run_basic(args, report, server_key, protocol=None):
    """connect(), help.getConfig, ping, and users.getUsers([inputUserSelf]) failing 401."""
    client = make_client(args, server_key, protocol)
    await connect(report, client)

    report.stage("help.getConfig")
    config = await invoke(client, raw.functions.help.GetConfig())
    common.check_config(report, config, args.host, args.port)

    report.stage("ping")
    ping_id = common.random_ping_id()
    pong = await invoke(client, raw.functions.Ping(ping_id=ping_id))
    report.check("pong", isinstance(pong, raw.types.Pong) and pong.ping_id == ping_id,
                 repr(pong))

    await expect_unauthorized(report, "getUsers.401", client)

    report.stage("disconnect")
    await client.disconnect()


def main(transports, run, extra=None):
    common.main(KIND, pyrogram.__version__, EXPECTED_VERSION, LAYER, EXPECTED_LAYER,
                transports, run, extra)
