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

import hashlib
import struct

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


def new_client(args, server_key):
    """A client on an empty StringSession pointed at chappe (DC 2), trusting its key."""
    rsa.add_key(server_key.pem, old=False)
    session = StringSession()
    session.set_dc(common.EXPECTED_THIS_DC, args.host, args.port)
    return make_client(args, session)


async def log_in_test_number(report, client, phone, tag):
    """Connects and logs in with a test number; notes the user id as `<tag>_user_id`."""
    report.stage(f"{tag}: login")
    await client.connect()
    await client.send_code_request(phone)
    user = await client.sign_in(phone, common.test_code(phone))
    report.note(f"{tag}_user_id", user.id)
    return user


async def expect_unauthorized(report, name, client, message=None):
    """users.getUsers([inputUserSelf]) must fail with 401 (and `message`, if given)."""
    report.stage(f"users.getUsers([inputUserSelf]): {name}")
    await common.expect_rpc_error(
        report, name, client(functions.users.GetUsersRequest([types.InputUserSelf()])),
        errors.UnauthorizedError, code=401, message=message)


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
    client = new_client(args, server_key)

    report.stage("connect")
    # connect() makes the key, sends invokeWithLayer(initConnection(help.getConfig)) and
    # then get_me(), which must end in a 401 for connect() to succeed.
    await client.connect()
    first_key = client.session.auth_key.key
    report.note("auth_key_id", key_id(first_key))

    await exercise(report, client, args, "first")
    await expect_unauthorized(report, "getUsers.401", client)

    report.stage("is_user_authorized")
    report.check("is_user_authorized.false", not await client.is_user_authorized(),
                 "updates.getState succeeded before login")

    if args.mode == "restart":
        saved = StringSession.save(client.session)
        report.stage("waiting for the server restart")
        await common.wait_for_harness({"phase": 1, "auth_key_id": key_id(first_key)})

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


def main(run, extra):
    """common.main for Telethon; `extra` adds the program's own options."""
    def options(parser):
        parser.add_argument("--connection-retries", type=int, default=2)
        extra(parser)

    common.main("telethon", telethon.__version__, EXPECTED_VERSION, LAYER, EXPECTED_LAYER,
                TRANSPORTS, run, options)


if __name__ == "__main__":
    main(run, lambda parser: parser.add_argument("--mode", choices=("basic", "restart"),
                                                 default="basic"))
