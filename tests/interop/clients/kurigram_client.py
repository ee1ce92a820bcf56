"""kurigram 2.2 (layer 229) against chappe, through its public Client options.

`connection_factory` dials chappe (pyrogram_common.py), `protocol_factory` picks the
transport. Like Pyrogram, `connect()` makes the key on its own connection, then opens
another and sends `ping` (salt 0) and invokeWithLayer(229, initConnection(help.getConfig)).
Then help.getConfig, ping and users.getUsers([inputUserSelf]) that must fail with 401.
"""

import pyrogram_common

from pyrogram.connection import transport as tr

TRANSPORTS = {
    "abridged": tr.TCPAbridged,  # kurigram's default
    "intermediate": tr.TCPIntermediate,
    "padded-intermediate": tr.TCPIntermediatePadded,
    "full": tr.TCPFull,
    "obfuscated-abridged": tr.TCPAbridgedO,
    "obfuscated-intermediate": tr.TCPIntermediateO,
}


async def run(args, report, server_key):
    await pyrogram_common.run_basic(args, report, server_key, TRANSPORTS[args.transport])


if __name__ == "__main__":
    pyrogram_common.main(list(TRANSPORTS), run)
