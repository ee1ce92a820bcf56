"""Telethon 1.45 (layer 229) against chappe, unmodified: only its public knobs are used.

Modes:
  basic    connect (key exchange + invokeWithLayer(initConnection(help.getConfig)) +
           users.getUsers([inputUserSelf]) that must fail 401), then help.getConfig, ping,
           is_user_authorized() == False.
  restart  basic, then prints a JSON line {"phase": 1, ...} and waits for a line on stdin
           (the harness restarts the server meanwhile); then the same client object
           (auto-reconnect) and a new client built from the saved StringSession both call
           help.getConfig and ping again, and must still hold the first auth key.
"""

import asyncio
import hashlib
import json
import struct
import sys

import common

import telethon
from telethon import TelegramClient, errors, functions, types
from telethon.crypto import rsa
from telethon.network import connection as conn
from telethon.network.connection.connection import ObfuscatedConnection
from telethon.network.connection.tcpintermediate import (
    IntermediatePacketCodec, RandomizedIntermediatePacketCodec)
from telethon.network.connection.tcpobfuscated import ObfuscatedIO
from telethon.sessions import StringSession
from telethon.tl.alltlobjects import LAYER

EXPECTED_VERSION = "1.45.0"
EXPECTED_LAYER = 229


# Telethon ships the obfuscated2 wrapper and both intermediate codecs but pairs the
# wrapper only with abridged; these pairings use nothing but its own classes.
class ConnectionTcpObfuscatedIntermediate(ObfuscatedConnection):
    obfuscated_io = ObfuscatedIO
    packet_codec = IntermediatePacketCodec


class ConnectionTcpObfuscatedPadded(ObfuscatedConnection):
    obfuscated_io = ObfuscatedIO
    packet_codec = RandomizedIntermediatePacketCodec


TRANSPORTS = {
    "full": conn.ConnectionTcpFull,  # Telethon's default
    "abridged": conn.ConnectionTcpAbridged,
    "intermediate": conn.ConnectionTcpIntermediate,
    "obfuscated": conn.ConnectionTcpObfuscated,  # obfuscated2 + abridged
    "obfuscated-intermediate": ConnectionTcpObfuscatedIntermediate,
    "obfuscated-padded": ConnectionTcpObfuscatedPadded,
}


def key_id(key_bytes):
    """auth_key_id: the lower 64 bits of SHA1(auth_key), little-endian signed."""
    return struct.unpack("<q", hashlib.sha1(key_bytes).digest()[-8:])[0]


def make_client(args, session):
    return TelegramClient(
        session, api_id=1, api_hash="0" * 32,
        connection=TRANSPORTS[args.transport],
        timeout=10,
        request_retries=3,
        # Enough retries to ride out a server restart in restart mode.
        connection_retries=args.connection_retries,
        retry_delay=1,
        auto_reconnect=True,
    )


async def exercise(report, client, args, tag):
    """getConfig + ping on an already connected client."""
    report.stage(f"{tag}: help.getConfig")
    config = await client(functions.help.GetConfigRequest())
    common.check_config(report, config, args.host, args.port, prefix=f"{tag}.config")
    report.stage(f"{tag}: ping")
    ping_id = common.random_ping_id()
    pong = await client(functions.PingRequest(ping_id=ping_id))
    report.check(f"{tag}.pong", isinstance(pong, types.Pong) and pong.ping_id == ping_id,
                 repr(pong))


async def run(args, report, server_key):
    rsa.add_key(server_key.pem, old=False)

    session = StringSession()
    session.set_dc(common.EXPECTED_THIS_DC, args.host, args.port)
    client = make_client(args, session)

    report.stage("connect")
    # connect() makes the key, sends invokeWithLayer(initConnection(help.getConfig)) and
    # then get_me(), which must end in a 401 for connect() to succeed.
    await client.connect()
    first_key = client.session.auth_key.key
    report.note("auth_key_id", key_id(first_key))

    await exercise(report, client, args, "first")

    report.stage("users.getUsers([inputUserSelf])")
    try:
        await client(functions.users.GetUsersRequest([types.InputUserSelf()]))
        report.check("getUsers.401", False, "returned a user before login")
    except errors.UnauthorizedError as e:
        report.check("getUsers.401", e.code == 401, f"{type(e).__name__} {e.code} {e.message}")

    report.stage("is_user_authorized")
    report.check("is_user_authorized.false", not await client.is_user_authorized(),
                 "updates.getState succeeded before login")

    if args.mode == "restart":
        saved = StringSession.save(client.session)
        print(json.dumps({"phase": 1, "auth_key_id": key_id(first_key)}), flush=True)
        report.stage("waiting for the server restart")
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        if not line:
            raise RuntimeError("harness closed stdin instead of signalling the restart")

        # The old connection is dead; Telethon notices, reconnects with the key it has
        # and resends (its auto-reconnect path sends users.getUsers without initConnection).
        await exercise(report, client, args, "same-client")
        report.check("same-client.same_key", client.session.auth_key.key == first_key,
                     "auth key changed after reconnect")
        await client.disconnect()

        report.stage("new client from StringSession")
        fresh = make_client(args, StringSession(saved))
        await fresh.connect()
        report.check("new-client.same_key", fresh.session.auth_key.key == first_key,
                     "auth key changed for the saved session")
        await exercise(report, fresh, args, "new-client")
        await fresh.disconnect()
    else:
        await client.disconnect()


def main():
    common.setup_logging()

    def extra(parser):
        parser.add_argument("--mode", choices=("basic", "restart"), default="basic")
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
        server_key = common.ServerKey.load(args.pem)
        if server_key.announced_fingerprint is not None:
            report.check("fingerprint", server_key.announced_fingerprint == server_key.fingerprint,
                         f"chappe says {server_key.announced_fingerprint}, "
                         f"computed {server_key.fingerprint}")
        await run(args, report, server_key)

    common.run_main(body, report, args.timeout)


if __name__ == "__main__":
    main()
