"""Private messages with an unmodified Telethon: live push to the recipient's handler,
catch-up after being offline (updates.getDifference over the durable update log), and
history paging. The program is clients/telethon_messages.py (see its docstring).
"""

import pytest

import harness

PHONE_A = "+9996614401"
PHONE_B = "+9996614402"


@pytest.mark.interop
def test_private_messages_push_catch_up_and_history(server, result_row):
    run = harness.run_client("telethon", "full", server, timeout=90,
                             extra=["--phone-a", PHONE_A, "--phone-b", PHONE_B],
                             script=harness.INTEROP / "clients/telethon_messages.py")
    result_row.update(harness.expected_row("telethon", "full",
                                           "TCP full; messages: push, catch_up, history"))
    report = run.report or {}
    result_row.update(version=report.get("version", result_row["version"]),
                      layer=report.get("layer", result_row["layer"]), note=run.summary())
    assert run.ok, run.describe()
