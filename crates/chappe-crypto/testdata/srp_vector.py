"""Regenerates the fixed SRP vector in src/srp/tests.rs with a real client's implementation.

Telethon 1.45's `telethon/password.py` computes the client side (A and M1, and the verifier
sent as new_password_hash). We play the server by hand with a fixed exponent b, and replace
os.urandom so Telethon's secret `a` is fixed too.

    python3 -m venv /tmp/srpvenv && /tmp/srpvenv/bin/pip install telethon==1.45.0
    /tmp/srpvenv/bin/python testdata/srp_vector.py
"""

import hashlib

from telethon import password as tpw
from telethon.tl import types

P_BYTES = bytes.fromhex(
    "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f"
    "48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37"
    "20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64"
    "2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4"
    "a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754"
    "fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4"
    "e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f"
    "0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b"
)
P = int.from_bytes(P_BYTES, "big")
G = 3


def stream(label: bytes, length: int) -> bytes:
    """Deterministic filler bytes: SHA-256(label | counter) blocks."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(label + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


PASSWORD = "chappe-2fa-pässword"
SALT1_SERVER_PREFIX = stream(b"salt1 prefix", 8)
SALT1_CLIENT_SUFFIX = stream(b"salt1 suffix", 32)
SALT1 = SALT1_SERVER_PREFIX + SALT1_CLIENT_SUFFIX
SALT2 = stream(b"salt2", 16)
SERVER_B_SECRET = stream(b"server b", 256)
CLIENT_A_SECRET = stream(b"client a", 256)
SRP_ID = 0x1122334455667788

algo = types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow(
    salt1=SALT1, salt2=SALT2, g=G, p=P_BYTES
)

# What the client sends as new_password_hash when it sets the password: v, 256 bytes.
x = tpw.compute_hash(algo, PASSWORD)
v_bytes = tpw.compute_digest(algo, PASSWORD)
v = int.from_bytes(v_bytes, "big")

# Server side by hand: B = (k*v + g^b) mod p, with g^b in the range clients accept.
k = int.from_bytes(hashlib.sha256(P_BYTES + G.to_bytes(256, "big")).digest(), "big")
g_b = pow(G, int.from_bytes(SERVER_B_SECRET, "big"), P)
assert tpw.is_good_mod_exp_first(g_b, P)
B = (k * v + g_b) % P
B_bytes = B.to_bytes(256, "big")

# Telethon draws `a` with os.urandom(256); hand it our fixed bytes.
tpw.os.urandom = lambda n: CLIENT_A_SECRET[:n]
request = types.account.Password(
    new_algo=types.PasswordKdfAlgoUnknown(),
    new_secure_algo=types.SecurePasswordKdfAlgoUnknown(),
    secure_random=b"",
    has_password=True,
    current_algo=algo,
    srp_B=B_bytes,
    srp_id=SRP_ID,
)
check = tpw.compute_check(request, PASSWORD)
assert check.srp_id == SRP_ID

for name, value in [
    ("SALT1", SALT1),
    ("SALT2", SALT2),
    ("SERVER_B_SECRET", SERVER_B_SECRET),
    ("CLIENT_A_SECRET", CLIENT_A_SECRET),
    ("PASSWORD_HASH_X", x),
    ("VERIFIER", v_bytes),
    ("SRP_B", B_bytes),
    ("CHECK_A", check.A),
    ("CHECK_M1", check.M1),
]:
    print(f"{name} ({len(value)} bytes):\n{value.hex()}")
print(f"SRP_ID: {SRP_ID:#x}")
