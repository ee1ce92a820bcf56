"""A second device of an account logs in with the code the server sends, as Telegram does,
in a message from the service account 777000 to the account's logged-in devices.

The program is clients/telethon_second_device.py (two Telethon clients, two auth keys).
"""

import pytest

import harness

PHONE, NAME = "+15550100021", "Second"


@pytest.mark.interop
def test_second_device_logs_in_with_code_from_777000(hook_server, result_row):
    """Device A signs up an ordinary number (hook code) and listens with events.NewMessage;
    device B's send_code_request answers sentCodeTypeApp, A receives the code from 777000,
    B signs in with it and is the same user; the code message stays in A's history."""
    extra = ["--phone", PHONE, "--first-name", NAME]
    run = harness.run_client("telethon", "full", hook_server, extra=extra,
                             script=harness.INTEROP / "clients/telethon_second_device.py")
    result_row.update(harness.expected_row(
        "telethon", "full", "TCP full; second device logs in with the code 777000 sent the first"))
    result_row["note"] = run.summary()
    assert run.ok, run.describe()
