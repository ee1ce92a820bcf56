"""A basic group across three libraries: Telethon creates it with a kurigram user and a
GramJS user and posts; kurigram reads the history and replies; GramJS reads both messages
in order, posts and renames the group; Telethon's event handlers see the replies and the
rename, and its history holds everything in order. Every member's copy lives in their own
box (chappe's common box model), so each library reads its own ids.

Programs: clients/telethon_basic_group.py, clients/kurigram_basic_group.py and
node/gramjs_basic_group.js (see their docstrings). Test numbers 9996625001..3 (code 22222).
"""

import json

import pytest

import harness

PHONE_TELETHON = "+9996625001"
PHONE_KURIGRAM = "+9996625002"
PHONE_GRAMJS = "+9996625003"


@pytest.mark.interop
def test_basic_group_across_libraries(server, result_row):
    result_row.update(harness.expected_row("telethon", "full",
                                           "basic group: Telethon + kurigram + GramJS"))
    result_row["client"] = "telethon, kurigram, gramjs"
    clients = []
    try:
        kurigram, _ = harness.start_phased("kurigram", "abridged", server,
                                           harness.INTEROP / "clients/kurigram_basic_group.py",
                                           ["--phone", PHONE_KURIGRAM])
        clients.append(kurigram)
        gramjs, _ = harness.start_phased("gramjs", "full", server,
                                         harness.INTEROP / "node/gramjs_basic_group.js",
                                         ["--phone", PHONE_GRAMJS])
        clients.append(gramjs)
        telethon, phase = harness.start_phased("telethon", "full", server,
                                               harness.INTEROP / "clients/telethon_basic_group.py",
                                               ["--phone", PHONE_TELETHON, "--phone-kurigram", PHONE_KURIGRAM,
                                                "--phone-gramjs", PHONE_GRAMJS])
        clients.append(telethon)
        group = json.dumps({"chat_id": phase["chat_id"]})

        kurigram.send_line(group)
        kurigram_run = kurigram.finish(timeout=60)
        assert kurigram_run.ok, kurigram_run.describe()

        gramjs.send_line(group)
        gramjs_run = gramjs.finish(timeout=60)
        assert gramjs_run.ok, gramjs_run.describe()

        telethon.send_line("go")
        telethon_run = telethon.finish(timeout=60)
        result_row.update(note=telethon_run.summary())
        assert telethon_run.ok, telethon_run.describe()
    finally:
        for client in clients:
            client.kill()
