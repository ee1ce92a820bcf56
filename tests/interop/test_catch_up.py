"""Cloud-chat sync with unmodified libraries (chappe issue "Cloud chats"):

- an offline device catches up 200 messages completely, exactly once and in order, across
  updates.differenceSlice answers (chappe gives 100 messages per answer): Telethon's
  catch_up(), kurigram's gap recovery on start(), and for Pyrogram 2.0.106 and GramJS 2.26
  (which never call updates.getDifference themselves) raw updates.getDifference from the
  state the device saved before going offline;
- a repeated random_id gives one message (Telethon, raw messages.sendMessage twice);
- messages.getHistory paging returns exactly the window its parameters name (raw in Telethon;
  Pyrogram/kurigram get_chat_history; GramJS getMessages), checked against lists computed
  from the whole chat.

Test numbers 99966280YY (code 22222). The sender of the catch-up tests is Telethon
(clients/telethon_send_batch.py).
"""

import pytest

import harness

SENDER = "+9996628002"
OFFLINE = 200
# id: (kind, program, transport, phone, extra options, how it catches up)
RECIPIENTS = {
    "telethon": ("telethon", "clients/telethon_catch_up.py", "full", "+9996628001", [],
                 "catch_up() after reconnect"),
    "telethon-file": ("telethon", "clients/telethon_catch_up.py", "full", "+9996628006",
                      ["--session-file"], "new client on the SQLite session file, catch_up()"),
    "kurigram": ("kurigram", "clients/pyrogram_catch_up.py", "abridged", "+9996628003", [],
                 "start() on the saved session (recover_gaps)"),
    "pyrogram": ("pyrogram", "clients/pyrogram_catch_up.py", "abridged", "+9996628004", [],
                 "raw updates.getDifference (library has no catch-up)"),
    "gramjs": ("gramjs", "node/gramjs_catch_up.js", "full", "+9996628005", [],
               "raw updates.getDifference (library has no catch-up)"),
}
PAGING_A = "+9996628020"
PAGING_B = "+9996628021"
PAGING_COUNT = 50


def send_batch(server, to, count, prefix):
    run = harness.run_client("telethon", "full", server, timeout=120,
                             extra=["--phone", SENDER, "--to", to, "--count", str(count),
                                    "--prefix", prefix],
                             script=harness.INTEROP / "clients/telethon_send_batch.py")
    assert run.ok, "sender failed:\n" + run.describe()


def fill_row(row, run):
    report = run.report or {}
    row.update(version=report.get("version", row["version"]),
               layer=report.get("layer", row["layer"]), note=run.summary() or row.get("note", ""))


@pytest.mark.interop
@pytest.mark.parametrize("device", sorted(RECIPIENTS))
def test_offline_device_catches_up(server, result_row, device):
    kind, script, transport, phone, extra, how = RECIPIENTS[device]
    result_row.update(harness.expected_row(kind, transport, f"catch-up of {OFFLINE}: {how}"))
    recipient = harness.InteractiveClient(kind, transport, server, timeout=180,
                                          extra=["--phone", phone, "--count", str(OFFLINE),
                                                 *extra],
                                          script=harness.INTEROP / script)
    try:
        if recipient.wait_for_json("phase", timeout=60) is None:
            run = recipient.finish(timeout=5)
            fill_row(result_row, run)
            pytest.fail("recipient ended before logging in:\n" + run.describe(), pytrace=False)
        send_batch(server, phone, 1, "live")
        recipient.send_line("go")
        if recipient.wait_for_json("phase", timeout=60) is None:
            run = recipient.finish(timeout=5)
            fill_row(result_row, run)
            pytest.fail("recipient ended before going offline:\n" + run.describe(), pytrace=False)
        send_batch(server, phone, OFFLINE, "offline")
        recipient.send_line("go")
        run = recipient.finish(timeout=120)
        fill_row(result_row, run)
        report = run.report or {}
        if report.get("library_catch_up") is not None:
            answers = ", ".join(k.split(".")[-1] for k in report.get("difference_answers", []))
            result_row["note"] = (f"{result_row['note']} library delivered "
                                  f"{report['library_catch_up']} by itself; raw answers: "
                                  f"{answers}").strip()
        assert run.ok, run.describe()
    finally:
        recipient.kill()


@pytest.mark.interop
def test_repeated_random_id_gives_one_message(server, result_row):
    result_row.update(harness.expected_row("telethon", "full",
                                           "messages.sendMessage twice, one random_id"))
    run = harness.run_client("telethon", "full", server, timeout=60,
                             extra=["--phone-a", "+9996628010", "--phone-b", "+9996628011"],
                             script=harness.INTEROP / "clients/telethon_random_id.py")
    fill_row(result_row, run)
    assert run.ok, run.describe()


@pytest.fixture(scope="module")
def paging_chat(shared_server):
    """Telethon's A sends B the paging chat and checks raw messages.getHistory; the other
    libraries then read the same chat as a second device of B."""
    return harness.run_client("telethon", "full", shared_server, timeout=90,
                              extra=["--phone-a", PAGING_A, "--phone-b", PAGING_B,
                                     "--count", str(PAGING_COUNT)],
                              script=harness.INTEROP / "clients/telethon_history_paging.py")


@pytest.mark.interop
def test_history_paging_telethon_raw(server, result_row, paging_chat):
    result_row.update(harness.expected_row("telethon", "full",
                                           "raw messages.getHistory paging (12 combinations)"))
    fill_row(result_row, paging_chat)
    assert paging_chat.ok, paging_chat.describe()


PAGING_READERS = {
    "pyrogram": ("clients/pyrogram_history_paging.py", "abridged", "get_chat_history paging"),
    "kurigram": ("clients/pyrogram_history_paging.py", "abridged", "get_chat_history paging"),
    "gramjs": ("node/gramjs_history_paging.js", "full", "getMessages paging"),
}


@pytest.mark.interop
@pytest.mark.parametrize("kind", sorted(PAGING_READERS))
def test_history_paging_library(server, result_row, paging_chat, kind):
    script, transport, label = PAGING_READERS[kind]
    result_row.update(harness.expected_row(kind, transport, label))
    if (paging_chat.report or {}).get("sent") != PAGING_COUNT:
        result_row["note"] = "Telethon could not send the paging chat"
        pytest.fail("the paging chat was not sent:\n" + paging_chat.describe(), pytrace=False)
    run = harness.run_client(kind, transport, server, timeout=90,
                             extra=["--phone-a", PAGING_A, "--phone-b", PAGING_B,
                                    "--count", str(PAGING_COUNT)],
                             script=harness.INTEROP / script)
    fill_row(result_row, run)
    assert run.ok, run.describe()
