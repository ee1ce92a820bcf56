"""Shared plumbing for the interop client programs (Telethon, Pyrogram, kurigram).

Each client program is a standalone script run by a venv's Python. It is told where
chappe listens by command-line options (defaulting to environment variables), prints
exactly one JSON object as its last line of stdout and exits 0 only when every check
passed. Library logs go to stderr. Only the standard library is used here because the
kurigram venv holds nothing else.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import logging
import os
import struct
import sys
import traceback

EXPECTED_THIS_DC = 2
EXPECTED_DC_IDS = (1, 2, 3, 4, 5)


def parse_args(transports, extra=None):
    """Command line shared by all Python clients; env vars give the defaults."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("CHAPPE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CHAPPE_PORT", "0")))
    parser.add_argument("--ws-port", type=int, default=int(os.environ.get("CHAPPE_WS_PORT", "0")))
    parser.add_argument("--pem", default=os.environ.get("CHAPPE_PEM"),
                        help="file holding `chappe key` output (PEM, optionally a fingerprint line)")
    parser.add_argument("--transport", choices=sorted(transports), default=transports[0])
    parser.add_argument("--timeout", type=float,
                        default=float(os.environ.get("CHAPPE_CLIENT_TIMEOUT", "45")),
                        help="seconds before the whole run is abandoned")
    if extra:
        extra(parser)
    args = parser.parse_args()
    if not args.port or not args.pem:
        parser.error("--port (CHAPPE_PORT) and --pem (CHAPPE_PEM) are required")
    return args


def setup_logging():
    level = logging.DEBUG if os.environ.get("CHAPPE_INTEROP_DEBUG") else logging.WARNING
    logging.basicConfig(stream=sys.stderr, level=level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


class ServerKey:
    """The server's RSA public key as the clients need it."""

    def __init__(self, pem_text):
        self.pem = _pem_block(pem_text)
        self.n, self.e = _parse_pkcs1_public(self.pem)
        self.fingerprint = telegram_fingerprint(self.n, self.e)
        self.announced_fingerprint = _fingerprint_line(pem_text)

    @classmethod
    def load(cls, path):
        with open(path, encoding="ascii") as f:
            return cls(f.read())


def _pem_block(text):
    begin, end = "-----BEGIN RSA PUBLIC KEY-----", "-----END RSA PUBLIC KEY-----"
    start = text.find(begin)
    stop = text.find(end)
    if start < 0 or stop < start:
        raise ValueError("no PKCS#1 'RSA PUBLIC KEY' PEM block found")
    return text[start:stop + len(end)] + "\n"


def _fingerprint_line(text):
    for line in text.splitlines():
        if line.startswith("fingerprint:"):
            return int(line.split(":", 1)[1].strip())
    return None


def _parse_pkcs1_public(pem):
    """RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (DER)."""
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    der = base64.b64decode(body)
    tag, seq, rest = _der_read(der)
    if tag != 0x30 or rest:
        raise ValueError("PEM body is not one DER SEQUENCE")
    tag_n, n_bytes, seq = _der_read(seq)
    tag_e, e_bytes, seq = _der_read(seq)
    if tag_n != 0x02 or tag_e != 0x02 or seq:
        raise ValueError("RSAPublicKey must hold exactly two INTEGERs")
    return int.from_bytes(n_bytes, "big"), int.from_bytes(e_bytes, "big")


def _der_read(data):
    if len(data) < 2:
        raise ValueError("truncated DER")
    tag, length = data[0], data[1]
    pos = 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or len(data) < pos + count:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if len(data) < pos + length:
        raise ValueError("truncated DER value")
    return tag, data[pos:pos + length], data[pos + length:]


def _tl_bytes(b):
    if len(b) < 254:
        out = bytes([len(b)]) + b
    else:
        out = b"\xfe" + len(b).to_bytes(3, "little") + b
    return out + b"\0" * (-len(out) % 4)


def telegram_fingerprint(n, e):
    """Lower 64 bits of SHA1(rsa_public_key n:bytes e:bytes), as a signed int64."""
    def big(x):
        return x.to_bytes((x.bit_length() + 7) // 8, "big")
    digest = hashlib.sha1(_tl_bytes(big(n)) + _tl_bytes(big(e))).digest()
    return struct.unpack("<q", digest[-8:])[0]


class Report:
    """Collects the outcome of one client run and prints it as one JSON line."""

    def __init__(self, client, version, layer, transport):
        self.data = {"client": client, "version": version, "layer": layer,
                     "transport": transport, "ok": False, "stage": "start",
                     "checks": {}, "failures": [], "error": None}

    def stage(self, name):
        self.data["stage"] = name

    def check(self, name, condition, detail=None):
        """Records a named check; a failed one makes the run fail but later ones still run."""
        self.data["checks"][name] = {"ok": bool(condition), "detail": detail}
        if not condition:
            self.data["failures"].append(f"{name}: {detail}")
        return bool(condition)

    def note(self, key, value):
        self.data[key] = value

    def finish(self, error=None):
        if error is not None:
            self.data["error"] = error
        self.data["ok"] = self.data["error"] is None and not self.data["failures"]
        sys.stdout.flush()
        print(json.dumps(self.data, default=str), flush=True)
        return 0 if self.data["ok"] else 1


def check_config(report, config, host, port, prefix="config"):
    """help.getConfig must name DC 2 as this_dc and list DCs 1..5 at chappe's address."""
    report.check(f"{prefix}.this_dc", config.this_dc == EXPECTED_THIS_DC,
                 f"this_dc={config.this_dc}")
    seen = {}
    for opt in config.dc_options:
        ip = getattr(opt, "ip_address", None)
        if not getattr(opt, "ipv6", False):
            seen.setdefault(opt.id, []).append((ip, opt.port))
    report.note(f"{prefix}.dc_options", seen)
    for dc_id in EXPECTED_DC_IDS:
        report.check(f"{prefix}.dc{dc_id}", (host, port) in seen.get(dc_id, []),
                     f"IPv4 options for DC {dc_id}: {seen.get(dc_id)}")


def run_main(coro_fn, report, timeout):
    """Runs the client's coroutine under an overall timeout and turns any escape into JSON."""
    async def guarded():
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await asyncio.wait_for(coro_fn(), timeout)
            return None
        except asyncio.TimeoutError as e:
            # Libraries raise TimeoutError for their own request timeouts too.
            if loop.time() - started < timeout:
                traceback.print_exc(file=sys.stderr)
                return f"TimeoutError (from the client library): {e}"
            return f"timed out after {timeout:.0f}s during stage {report.data['stage']!r}"
        except Exception as e:  # the report is the point: every failure must be described
            traceback.print_exc(file=sys.stderr)
            return f"{type(e).__name__}: {e}"

    error = asyncio.run(guarded())
    code = report.finish(error)
    # Library background tasks (keep-alive pings, reconnect loops) must not keep us alive.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def random_ping_id():
    return struct.unpack("<q", os.urandom(8))[0]


def check_versions(report, installed, expected, layer, expected_layer):
    """The library must be the pinned release speaking the expected layer."""
    report.stage("versions")
    return (report.check("version", installed == expected,
                         f"installed {installed}, want {expected}")
            and report.check("layer", layer == expected_layer,
                             f"speaks {layer}, want {expected_layer}"))


def main(kind, installed, expected, layer, expected_layer, transports, run, extra=None):
    """A client program's main: options, logging, the version check, the server key, then
    `await run(args, report, server_key)` under the overall timeout; prints the report."""
    setup_logging()
    args = parse_args(list(transports), extra)
    report = Report(kind, installed, layer, args.transport)

    async def body():
        if not check_versions(report, installed, expected, layer, expected_layer):
            return
        server_key = ServerKey.load(args.pem)
        if server_key.announced_fingerprint is not None:
            report.check("fingerprint", server_key.announced_fingerprint == server_key.fingerprint,
                         f"chappe says {server_key.announced_fingerprint}, "
                         f"computed {server_key.fingerprint}")
        await run(args, report, server_key)

    run_main(body, report, args.timeout)


def rpc_error(e):
    """(code, error name) of an RPC error from Telethon (`code`, `message`) or Pyrogram
    (`CODE`, `ID`)."""
    code = getattr(e, "CODE", None) or getattr(e, "code", None)
    name = getattr(e, "ID", None) or getattr(e, "message", None)
    return code, name


async def expect_rpc_error(report, name, call, error_type, code=None, message=None):
    """Awaits `call`, which must fail with `error_type` (and `code` / `message` if given)."""
    try:
        result = await call
    except error_type as e:
        got_code, got_name = rpc_error(e)
        report.check(name, (code is None or got_code == code)
                     and (message is None or got_name == message),
                     f"{type(e).__name__} {got_code} {got_name}")
        return
    report.check(name, False, f"succeeded: {type(result).__name__}")


async def wait_for_harness(phase):
    """Prints {"phase": ...} for the harness and waits for its line on stdin."""
    print(json.dumps(phase), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")


# --- login helpers (the *_login.py programs) ---

def add_login_args(parser):
    """Options shared by the login programs."""
    parser.add_argument("--phone", required=True, help="number to log in with")
    parser.add_argument("--code", help="login code; without it the code is read from the file "
                                       "the delivery hook writes ($CHAPPE_CODE_FILE)")
    parser.add_argument("--first-name", help="sign up with this first name if the number is new")
    parser.add_argument("--expect-first-name", help="first name get_me must show")
    parser.add_argument("--expect-user-id", type=int, help="user id the login must return")
    parser.add_argument("--logout", action="store_true",
                        help="log out afterwards and check the key is no longer authorized")
    parser.add_argument("--password", help="2FA password to give when the server asks for it")
    parser.add_argument("--expect-login-error",
                        help="the login must fail with this RPC error (e.g. PASSWORD_HASH_INVALID)")
    parser.add_argument("--expect-revoked", action="store_true",
                        help="after login print {\"phase\": 1} and wait for a line on stdin; "
                             "then this key must get 401 AUTH_KEY_UNREGISTERED")


def check_password_asked(report, args, asked):
    """With --password the server must have asked for it (SESSION_PASSWORD_NEEDED)."""
    if args.password is not None:
        report.check("sign_in.password_needed", asked,
                     "the server let the login through without the 2FA password")
    elif asked:
        raise RuntimeError("SESSION_PASSWORD_NEEDED, but no --password was given")


async def login_unless_expected_error(report, args, login, error_type):
    """Awaits `login` and gives its user; None when it failed with an `error_type` while
    --expect-login-error was given (checked against that name). Other failures propagate."""
    want = args.expect_login_error
    try:
        user = await login
    except error_type as e:
        if want is None:
            raise
        code, name = rpc_error(e)
        report.check("login.expected_error", name == want,
                     f"{type(e).__name__} {code} {name}, want {want}")
        return None
    if want is not None:
        report.check("login.expected_error", False, f"logged in, want {want}")
    return user


def test_code(phone):
    """The code of test number 99966XYYYY: X five times."""
    return phone_digits(phone)[5] * 5


async def wait_until(condition, timeout):
    """Polls `condition` every 50 ms; False if it is still false after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def phone_digits(phone):
    return "".join(c for c in phone if c.isdigit())


class CodeFile:
    """The file tests/interop/code_hook.sh appends `<phone> <code>` lines to."""

    def __init__(self, phone):
        self.path = os.environ.get("CHAPPE_CODE_FILE")
        self.phone = phone_digits(phone)
        self.seen = len(self._codes())

    def _codes(self):
        if not self.path or not os.path.exists(self.path):
            return []
        with open(self.path, encoding="ascii", errors="replace") as f:
            pairs = [line.split() for line in f]
        return [p[1] for p in pairs if len(p) == 2 and p[0] == self.phone]

    async def wait_new(self, timeout=15.0):
        """The first code delivered after this object was made."""
        if not self.path:
            raise RuntimeError("no --code given and CHAPPE_CODE_FILE is not set")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            codes = self._codes()
            if len(codes) > self.seen:
                return codes[self.seen]
            await asyncio.sleep(0.1)
        raise RuntimeError(f"no code for {self.phone} appeared in {self.path} within {timeout:.0f}s")


def check_me(report, prefix, args, user_id, is_self, phone, first_name):
    """The user a login or get_me returned must be the caller's own account."""
    report.check(f"{prefix}.is_self", is_self is True, f"is_self={is_self}")
    report.check(f"{prefix}.phone", phone_digits(phone or "") == phone_digits(args.phone),
                 f"phone={phone!r}, logged in as {args.phone}")
    if args.expect_first_name is not None:
        report.check(f"{prefix}.first_name", first_name == args.expect_first_name,
                     f"first_name={first_name!r}, want {args.expect_first_name!r}")
    if args.expect_user_id is not None:
        report.check(f"{prefix}.user_id", user_id == args.expect_user_id,
                     f"user id {user_id}, want {args.expect_user_id}")
