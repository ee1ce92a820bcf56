"""Login by QR code with unmodified Telethon: one logged-in device accepts the token another,
fresh device exported, and the fresh device ends up logged in as the same user
(clients/telethon_qr_login.py does both devices and prints one JSON report)."""

import pytest

import harness

QR_NUMBER = "+9996620401"


@pytest.mark.interop
def test_telethon_qr_login(server, result_row):
    phone = QR_NUMBER
    run = harness.run_client("telethon", "full", server,
                             extra=["--phone", phone, "--code", phone.lstrip("+")[5] * 5],
                             script=harness.INTEROP / "clients/telethon_qr_login.py")
    result_row.update(harness.expected_row("telethon", "full", "TCP full; QR code login"))
    report = run.report or {}
    result_row.update(version=report.get("version", result_row["version"]),
                      layer=report.get("layer", result_row["layer"]), note=run.summary())
    assert run.ok, run.describe()
