"""Pyrogram 2.0.106 (layer 158, TCP abridged hard-wired) against chappe.

`Client.connect()` on an empty in-memory session makes the key on a first connection
(req_pq_multi .. set_client_DH_params, then closes it), opens a second one, sends an
unwrapped `ping` with salt 0 and then invokeWithLayer(158, initConnection(help.getConfig)),
each with a 2 s timeout. Then help.getConfig, ping and a users.getUsers([inputUserSelf])
that must fail with 401. How it is pointed at chappe: pyrogram_common.py.
"""

import pyrogram_common

TRANSPORTS = ["abridged"]  # Connection.connect() always builds TCPAbridged

if __name__ == "__main__":
    pyrogram_common.main(TRANSPORTS, pyrogram_common.run_basic)
