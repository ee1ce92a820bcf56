"""Message events with an unmodified Telethon: edits, revoked deletes, read receipts and
typing reach the other account's event handlers as live pushes. The program is
clients/telethon_message_events.py (see its docstring).
"""

import pytest

import harness

PHONE_A = "+9996626001"
PHONE_B = "+9996626002"


@pytest.mark.interop
def test_message_events_edit_delete_read_typing(server, result_row):
    run = harness.run_client("telethon", "full", server, timeout=90,
                             extra=["--phone-a", PHONE_A, "--phone-b", PHONE_B],
                             script=harness.INTEROP / "clients/telethon_message_events.py")
    result_row.update(harness.expected_row("telethon", "full",
                                           "TCP full; message events: edit, delete, read, typing"))
    report = run.report or {}
    result_row.update(version=report.get("version", result_row["version"]),
                      layer=report.get("layer", result_row["layer"]), note=run.summary())
    assert run.ok, run.describe()
