"""Runs a chappe server and the third-party client programs for the interop tests.

Nothing is built here: the chappe binary comes from $CHAPPE_BIN or <repo>/target/debug/chappe,
and the clients from scripts/interop-setup.sh.
"""

import json
import os
import queue
import random
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

INTEROP = Path(__file__).resolve().parent
REPO = INTEROP.parents[1]
HOST = "127.0.0.1"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
CLIENT_TIMEOUT = 60.0

# What each client kind runs, and what it is expected to be (used for the results table
# when a client dies before it can say for itself).
CLIENTS = {
    "telethon": {"python": INTEROP / ".venv/bin/python", "script": INTEROP / "clients/telethon_client.py",
                 "version": "1.45.0", "layer": 229},
    "pyrogram": {"python": INTEROP / ".venv/bin/python", "script": INTEROP / "clients/pyrogram_client.py",
                 "version": "2.0.106", "layer": 158},
    "kurigram": {"python": INTEROP / ".venv-kurigram/bin/python", "script": INTEROP / "clients/kurigram_client.py",
                 "version": "2.2.26", "layer": 229},
    "gramjs": {"node": True, "script": INTEROP / "node/gramjs_client.js",
               "version": "2.26.22", "layer": 198},
}


TRANSPORT_NAMES = {
    "full": "TCP full",
    "abridged": "TCP abridged",
    "intermediate": "TCP intermediate",
    "padded-intermediate": "TCP padded intermediate",
    "obfuscated": "TCP obfuscated2 + abridged",
    "obfuscated-abridged": "TCP obfuscated2 + abridged",
    "obfuscated-intermediate": "TCP obfuscated2 + intermediate",
    "obfuscated-padded": "TCP obfuscated2 + padded intermediate",
    "websocket": "WebSocket /apiws, obfuscated2 + abridged",
}


# The login program of each client kind (clients/*_login.py, node/gramjs_login.js).
LOGIN_SCRIPTS = {
    "telethon": INTEROP / "clients/telethon_login.py",
    "pyrogram": INTEROP / "clients/pyrogram_login.py",
    "kurigram": INTEROP / "clients/pyrogram_login.py",
    "gramjs": INTEROP / "node/gramjs_login.js",
}
CODE_HOOK = INTEROP / "code_hook.sh"


def restart_label(how):
    return f"TCP full, server restart ({how.upper()})"


def expected_row(kind, transport, label=None):
    """A results-table row from what the test was meant to run."""
    spec = CLIENTS[kind]
    return {"client": kind, "version": spec["version"], "layer": spec["layer"],
            "transport": label or TRANSPORT_NAMES.get(transport, transport)}


def chappe_bin():
    return Path(os.environ.get("CHAPPE_BIN") or REPO / "target/debug/chappe")


def free_ports(count):
    """Distinct free loopback ports below 32768 (GramJS keeps ports as signed 16-bit,
    and Linux hands out ephemeral ports from 32768 up, so these never collide with those)."""
    ports = []
    while len(ports) < count:
        port = random.randrange(20000, 32000)
        if port in ports:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
        ports.append(port)
    return ports


def _accepts(port):
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


class ChappeServer:
    """One chappe data directory and port pair; the process can be stopped and started again."""

    def __init__(self, binary, workdir, extra_args=(), extra_env=None):
        """`extra_args` go to `chappe serve`; `extra_env` to the server and the clients."""
        self.binary = Path(binary)
        self.extra_args = list(extra_args)
        self.extra_env = dict(extra_env or {})
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.port, self.ws_port = free_ports(2)
        self.proc = None
        self.runs = 0
        self.log_path = None
        self.key_path = self.workdir / "server-key.txt"
        self.fingerprint = None

    def export_key(self):
        """`chappe key` (which also creates the data dir and key) -> a file the clients read."""
        out = subprocess.run([str(self.binary), "key", "--data", str(self.data_dir)],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"`chappe key` failed ({out.returncode}):\n{out.stderr}")
        if "-----BEGIN RSA PUBLIC KEY-----" not in out.stdout:
            raise RuntimeError(f"`chappe key` printed no PKCS#1 PEM block:\n{out.stdout}")
        for line in out.stdout.splitlines():
            if line.startswith("fingerprint:"):
                self.fingerprint = int(line.split(":", 1)[1])
        if self.fingerprint is None:
            raise RuntimeError(f"`chappe key` printed no fingerprint line:\n{out.stdout}")
        self.key_path.write_text(out.stdout)

    def start(self):
        self.runs += 1
        self.log_path = self.workdir / f"server-run{self.runs}.log"
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "info")
        env.setdefault("RUST_BACKTRACE", "1")
        env.update(self.extra_env)
        cmd = [str(self.binary), "serve", "--data", str(self.data_dir),
               "--listen", f"{HOST}:{self.port}", "--ws-listen", f"{HOST}:{self.ws_port}",
               *self.extra_args]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chappe exited with {self.proc.returncode} while starting:\n"
                                   f"{self.log_text()}")
            if _accepts(self.port) and _accepts(self.ws_port):
                return
            time.sleep(0.1)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"chappe did not accept connections within {READY_TIMEOUT:.0f}s:\n"
                           f"{self.log_text()}")

    def stop(self, sig=signal.SIGINT):
        """SIGINT is chappe's graceful shutdown; SIGKILL simulates a crash."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(STOP_TIMEOUT)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_text(self, since=0, path=None):
        path = path or self.log_path
        if path is None or not path.exists():
            return ""
        with open(path, "rb") as f:
            f.seek(since)
            return f.read().decode("utf-8", "replace")

    def log_size(self):
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def count_in_log(self, needle, run):
        text = self.log_text(path=self.workdir / f"server-run{run}.log")
        return sum(1 for line in text.splitlines() if needle.lower() in line.lower())

    def client_env(self, timeout):
        env = dict(os.environ)
        env.update(self.extra_env)
        env.update(CHAPPE_HOST=HOST, CHAPPE_PORT=str(self.port), CHAPPE_WS_PORT=str(self.ws_port),
                   CHAPPE_PEM=str(self.key_path),
                   # The client gives up a little before we kill it, so it can say why.
                   CHAPPE_CLIENT_TIMEOUT=str(max(5.0, timeout - 10)))
        return env


def client_command(kind, transport, extra=(), script=None):
    """`script` replaces the kind's usual program (e.g. its login program)."""
    spec = CLIENTS[kind]
    if spec.get("node"):
        runner = os.environ.get("NODE", "node")
    else:
        runner = str(spec["python"])
        if not Path(runner).exists():
            raise RuntimeError(f"{runner} is missing: run scripts/interop-setup.sh first")
    if spec.get("node") and not (INTEROP / "node/node_modules/telegram").exists():
        raise RuntimeError("GramJS is not installed: run scripts/interop-setup.sh first")
    return [runner, str(script or spec["script"]), "--transport", transport, *extra]


def parse_report(stdout):
    """The client's report is its last stdout line that is a JSON object."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


class ClientRun:
    """A finished client program: its report (or None) and what it printed."""

    def __init__(self, kind, transport, returncode, stdout, stderr, timed_out=False):
        self.kind, self.transport = kind, transport
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        self.timed_out = timed_out
        self.report = parse_report(stdout)

    @property
    def ok(self):
        return (not self.timed_out and self.returncode == 0
                and self.report is not None and self.report.get("ok") is True)

    def describe(self):
        """Why it failed, for the assertion message."""
        parts = [f"{self.kind} / {self.transport}: exit {self.returncode}"
                 + (" (killed: timeout)" if self.timed_out else "")]
        if self.report:
            parts.append(f"stage: {self.report.get('stage')}")
            if self.report.get("error"):
                parts.append(f"error: {self.report['error']}")
            for failure in self.report.get("failures", []):
                parts.append(f"failed check: {failure}")
        else:
            parts.append("no JSON report on stdout")
        parts.append("--- client stderr (tail) ---\n" + _tail(self.stderr, 60))
        return "\n".join(parts)

    def summary(self):
        """Short note for the results table."""
        if self.ok:
            return ""
        if self.timed_out:
            return "killed after timeout"
        if not self.report:
            return f"exit {self.returncode}, no report"
        first = (self.report.get("failures") or [None])[0] or self.report.get("error") or ""
        return f"{self.report.get('stage')}: {first}"[:120]


def _tail(text, lines):
    return "\n".join(text.splitlines()[-lines:])


def run_client(kind, transport, server, timeout=CLIENT_TIMEOUT, extra=(), script=None):
    cmd = client_command(kind, transport, extra, script)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             env=server.client_env(timeout), stdin=subprocess.DEVNULL)
        return ClientRun(kind, transport, out.returncode, out.stdout, out.stderr)
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")
        return ClientRun(kind, transport, None, text(e.stdout), text(e.stderr), timed_out=True)


class InteractiveClient:
    """A client program that reports a phase on stdout and waits for a line on stdin."""

    def __init__(self, kind, transport, server, timeout=CLIENT_TIMEOUT, extra=(), script=None):
        self.kind, self.transport = kind, transport
        self.stderr_path = server.workdir / f"{kind}-{transport}.stderr"
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(client_command(kind, transport, extra, script), text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=server.client_env(timeout))
        self.lines = queue.Queue()
        self.stdout = []
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self):
        for line in self.proc.stdout:
            self.stdout.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_json(self, key, timeout):
        """The next JSON line holding `key`, or None if the program ended or went quiet."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                return None
            if line is None:
                return None
            line = line.strip()
            if line.startswith("{"):
                try:
                    data = json.loads(line)
                except ValueError:
                    continue
                if key in data:
                    return data

    def send_line(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def finish(self, timeout):
        timed_out = False
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()
        self._reader.join(5)  # it has read everything once the pipe closes
        return ClientRun(self.kind, self.transport, self.proc.returncode, "".join(self.stdout),
                         self.stderr_path.read_text(errors="replace"), timed_out)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def start_phased(kind, transport, server, script, extra, timeout=120):
    """Starts an interactive client program and waits for its first `phase` report.

    Fails the test with the program's output if it ends before reporting one.
    """
    import pytest

    client = InteractiveClient(kind, transport, server, timeout=timeout, extra=extra,
                               script=script)
    phase = client.wait_for_json("phase", timeout=60)
    if phase is None:
        run = client.finish(timeout=5)
        pytest.fail(f"{kind} ended before its first phase:\n" + run.describe(), pytrace=False)
    return client, phase


def next_phase(client, line, name):
    """Sends `line` to an interactive client program and waits for its next `phase` report."""
    import pytest

    client.send_line(line)
    phase = client.wait_for_json("phase", timeout=60)
    if phase is None:
        run = client.finish(timeout=5)
        pytest.fail(f"{name} ended before its next phase:\n" + run.describe(), pytrace=False)
    return phase
