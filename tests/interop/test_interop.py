"""Unmodified third-party Telegram clients against a live chappe server.

Each client program (clients/*.py, node/gramjs_client.js) makes its own auth key, calls
help.getConfig and ping, and checks that it is not logged in; see the programs for the
exact checks. The restart test proves auth keys outlive a server restart.
"""

import signal

import pytest

import harness

CASES = [
    # Telethon: its four connection classes, plus its obfuscated2 wrapper paired with its
    # other two codecs (what @mtproto/core and TDLib use).
    ("telethon", "full"),
    ("telethon", "abridged"),
    ("telethon", "intermediate"),
    ("telethon", "obfuscated"),
    ("telethon", "obfuscated-intermediate"),
    ("telethon", "obfuscated-padded"),
    ("pyrogram", "abridged"),
    ("kurigram", "abridged"),
    ("kurigram", "intermediate"),
    ("kurigram", "padded-intermediate"),
    ("kurigram", "full"),
    ("kurigram", "obfuscated-abridged"),
    ("kurigram", "obfuscated-intermediate"),
    ("gramjs", "full"),
    ("gramjs", "abridged"),
    ("gramjs", "obfuscated"),
    ("gramjs", "websocket"),
]


def _fill_row(row, kind, transport, run, label=None):
    row.update(harness.expected_row(kind, transport, label))
    report = run.report or {}
    row.update(version=report.get("version", row["version"]),
               layer=report.get("layer", row["layer"]), note=run.summary())


@pytest.mark.interop
@pytest.mark.parametrize("kind,transport", CASES, ids=[f"{k}-{t}" for k, t in CASES])
def test_client(kind, transport, server, result_row):
    run = harness.run_client(kind, transport, server)
    _fill_row(result_row, kind, transport, run)
    assert run.ok, run.describe()


RESTARTS = {"sigint": signal.SIGINT, "sigkill": signal.SIGKILL}


@pytest.mark.interop
@pytest.mark.parametrize("how", list(RESTARTS))
def test_telethon_keeps_auth_key_across_restart(how, own_server, result_row):
    """Telethon's key must still work after chappe restarts on the same data directory:
    the live client reconnects by itself, a new client resumes the saved StringSession,
    and the restarted server creates no key at all."""
    server = own_server
    client = harness.InteractiveClient("telethon", "full", server, timeout=90,
                                       extra=["--mode", "restart", "--connection-retries", "30"])
    label = harness.restart_label(how)
    try:
        phase1 = client.wait_for_json("phase", timeout=60)
        if phase1 is None:
            run = client.finish(timeout=5)
            _fill_row(result_row, "telethon", "full", run, label)
            pytest.fail("client ended before the restart point:\n" + run.describe(), pytrace=False)

        created = server.count_in_log("auth key created", run=1)
        assert created >= 1, ("chappe must log 'auth key created' when it stores a new key; "
                              "found no such line after Telethon made one")

        server.stop(RESTARTS[how])
        server.start()
        client.send_line("restarted")
        run = client.finish(timeout=80)
    finally:
        client.kill()

    _fill_row(result_row, "telethon", "full", run, label)
    assert run.ok, run.describe()
    recreated = server.count_in_log("auth key created", run=2)
    if recreated:
        result_row["note"] = f"server created {recreated} new key(s) after restart"
    assert recreated == 0, f"chappe created {recreated} new auth key(s) after the restart"
