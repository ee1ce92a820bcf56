"""Fixtures for the interop tests: a running chappe server and the results table.

Set INTEROP_RESULTS=<path> to have the session write a Markdown table of every client
run (scripts/interop-test.sh writes tests/interop/RESULTS.md this way).
"""

import datetime
import os
import subprocess
from pathlib import Path

import pytest

import harness

_ROWS = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if item.get_closest_marker("interop"):
        _record_row(item, report)


def _failed(node):
    return any(getattr(node, f"rep_{when}", None) is not None and getattr(node, f"rep_{when}").failed
               for when in ("setup", "call"))


@pytest.fixture(scope="session")
def chappe_binary():
    binary = harness.chappe_bin()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"chappe binary not found at {binary}: build it (`cargo build -p chappe`) "
                    "or point CHAPPE_BIN at it", pytrace=False)
    return binary


def _new_server(binary, workdir, **options):
    server = harness.ChappeServer(binary, workdir, **options)
    try:
        server.export_key()
        server.start()
        return server
    except RuntimeError as e:
        problem = str(e)
    server.stop()
    pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def shared_server(chappe_binary, tmp_path_factory):
    """One server for all the plain client tests (each client makes its own key)."""
    server = _new_server(chappe_binary, tmp_path_factory.mktemp("chappe-shared"))
    yield server
    server.stop()


def _watched(shared, request):
    """Yields a session server; shows its log for this test when the test fails."""
    offset = shared.log_size()
    yield shared
    if _failed(request.node) or not shared.alive():
        print(f"\n--- chappe log during {request.node.name} ---\n{shared.log_text(offset)}")
    if not shared.alive():
        pytest.fail(f"chappe exited with {shared.proc.returncode} during this test",
                    pytrace=False)


@pytest.fixture
def server(shared_server, request):
    """The shared server, with its log for this test shown when the test fails."""
    yield from _watched(shared_server, request)


@pytest.fixture(scope="session")
def shared_hook_server(chappe_binary, tmp_path_factory):
    """A server started with `--code-hook tests/interop/code_hook.sh`: login codes for
    ordinary numbers are appended to the file in $CHAPPE_CODE_FILE (set for the server, which
    the hook inherits, and for the clients)."""
    workdir = tmp_path_factory.mktemp("chappe-hook")
    code_file = workdir / "codes.txt"
    server = _new_server(chappe_binary, workdir, extra_args=["--code-hook", str(harness.CODE_HOOK)],
                         extra_env={"CHAPPE_CODE_FILE": str(code_file)})
    server.code_file = code_file
    yield server
    server.stop()


@pytest.fixture
def hook_server(shared_hook_server, request):
    """The code-hook server, with its log for this test shown when the test fails."""
    yield from _watched(shared_hook_server, request)


@pytest.fixture
def own_server(chappe_binary, tmp_path, request):
    """A server of the test's own, for tests that stop and restart it."""
    server = _new_server(chappe_binary, tmp_path)
    yield server
    server.stop()
    if _failed(request.node):
        for run in range(1, server.runs + 1):
            log = server.log_text(path=tmp_path / f"server-run{run}.log")
            print(f"\n--- chappe log, run {run} ---\n{log}")


@pytest.fixture
def result_row(request):
    """A dict the test fills (client, version, layer, transport, note) for the results table."""
    row = {}
    request.node.interop_row = row
    return row


def _record_row(item, report):
    """Adds or updates the item's results-table row from a phase report."""
    row = getattr(item, "interop_row_recorded", None)
    if row is None:
        if not (report.when == "call" or report.failed):
            return
        row = dict(getattr(item, "interop_row", None) or {})
        if not row:
            # The test never got to fill it (its setup failed): describe what it would have run.
            params = getattr(getattr(item, "callspec", None), "params", {})
            if "kind" in params:
                row.update(harness.expected_row(params["kind"], params.get("transport", "full")))
            elif "how" in params:
                row.update(harness.expected_row("telethon", "full",
                                                harness.restart_label(params["how"])))
            else:
                return
        item.interop_row_recorded = row
        _ROWS.append(row)
    if report.when == "call":
        row["result"] = report.outcome
    elif report.failed:
        row["result"] = "error"
        row["note"] = (row.get("note") or f"{report.when} failed: "
                       + str(report.longrepr).strip().splitlines()[-1])[:120]


def _chappe_version():
    try:
        out = subprocess.run([str(harness.chappe_bin()), "--version"], capture_output=True,
                             text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("INTEROP_RESULTS")
    if not path or not _ROWS:
        return
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Interop results",
        "",
        f"Unmodified third-party Telegram clients against {_chappe_version()}, "
        f"run by `scripts/interop-test.sh` on {now}.",
        "",
        "| client | version | layer | transport | result | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in _ROWS:
        note = str(row.get("note", "")).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {row['client']} | {row['version']} | {row['layer']} | "
                     f"{row['transport']} | {row['result']} | {note} |")
    Path(path).write_text("\n".join(lines) + "\n")
