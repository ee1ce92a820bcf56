"""A basic group migrated to a supergroup across three libraries: Telethon creates it with a
kurigram user and a GramJS user, posts, and migrates it with messages.migrateChat, then posts
in the supergroup; kurigram finds the supergroup in its chat list, reads the old group's
history (ending with the "migrated to" message) and Telethon's post, and posts; GramJS sees
the old group deactivated, reads both posts in order and posts; kurigram then reads GramJS's
post, and Telethon's event handler has seen both posts and its history holds all of them.

Programs: clients/telethon_migrate.py, clients/kurigram_migrate.py and
node/gramjs_migrate.js (see their docstrings). Test numbers 9996631001..3 (code 33333).
"""

import json

import pytest

import harness

PHONE_TELETHON = "+9996631001"
PHONE_KURIGRAM = "+9996631002"
PHONE_GRAMJS = "+9996631003"


@pytest.mark.interop
def test_migrate_chat_across_libraries(server, result_row):
    result_row.update(harness.expected_row("telethon", "full",
                                           "migrate chat: Telethon + kurigram + GramJS"))
    result_row["client"] = "telethon, kurigram, gramjs"
    clients = []
    try:
        kurigram, _ = harness.start_phased("kurigram", "abridged", server,
                                           harness.INTEROP / "clients/kurigram_migrate.py",
                                           ["--phone", PHONE_KURIGRAM])
        clients.append(kurigram)
        gramjs, _ = harness.start_phased("gramjs", "full", server,
                                         harness.INTEROP / "node/gramjs_migrate.js",
                                         ["--phone", PHONE_GRAMJS])
        clients.append(gramjs)
        telethon, phase = harness.start_phased("telethon", "full", server,
                                               harness.INTEROP / "clients/telethon_migrate.py",
                                               ["--phone", PHONE_TELETHON, "--phone-kurigram", PHONE_KURIGRAM,
                                                "--phone-gramjs", PHONE_GRAMJS])
        clients.append(telethon)
        ids = json.dumps({"chat_id": phase["chat_id"], "channel_id": phase["channel_id"]})

        kurigram.send_line(ids)
        if kurigram.wait_for_json("phase", timeout=60) is None:
            run = kurigram.finish(timeout=5)
            pytest.fail("kurigram ended before posting:\n" + run.describe(), pytrace=False)

        gramjs.send_line(ids)
        gramjs_run = gramjs.finish(timeout=60)
        assert gramjs_run.ok, gramjs_run.describe()

        kurigram.send_line("go")
        kurigram_run = kurigram.finish(timeout=60)
        assert kurigram_run.ok, kurigram_run.describe()

        telethon.send_line("go")
        telethon_run = telethon.finish(timeout=60)
        result_row.update(note=telethon_run.summary())
        assert telethon_run.ok, telethon_run.describe()
    finally:
        for client in clients:
            client.kill()
