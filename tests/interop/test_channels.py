"""Channels across libraries: a Telethon admin creates a broadcast channel and a supergroup,
both public (usernames); a second Telethon client, a kurigram user and a GramJS user join
both by username. The admin posts to the channel: the Telethon subscriber's
events.NewMessage must see it (pushed as updateNewChannelMessage), and every subscriber's
history holds it (one copy, in the channel's own box). kurigram and GramJS then post in the
supergroup and the admin reads both posts and the member count.

Programs: clients/telethon_channels.py (both Telethon roles), clients/kurigram_channels.py
and node/gramjs_channels.js (see their docstrings). Test numbers 9996627001..4 (code 22222).
"""

import json

import pytest

import harness

PHONE_ADMIN = "+9996627001"
PHONE_TELETHON = "+9996627002"
PHONE_KURIGRAM = "+9996627003"
PHONE_GRAMJS = "+9996627004"


@pytest.mark.interop
def test_channels_across_libraries(server, result_row):
    result_row.update(harness.expected_row("telethon", "full",
                                           "channels: Telethon + kurigram + GramJS"))
    result_row["client"] = "telethon, kurigram, gramjs"
    clients = []
    try:
        admin, phase = harness.start_phased("telethon", "full", server,
                                            harness.INTEROP / "clients/telethon_channels.py",
                                            ["--phone", PHONE_ADMIN, "--role", "admin"])
        clients.append(admin)
        names = json.dumps({"channel": phase["channel"], "group": phase["group"]})
        subscriber, _ = harness.start_phased("telethon", "abridged", server,
                                             harness.INTEROP / "clients/telethon_channels.py",
                                             ["--phone", PHONE_TELETHON, "--role", "subscriber"])
        clients.append(subscriber)
        kurigram, _ = harness.start_phased("kurigram", "abridged", server,
                                           harness.INTEROP / "clients/kurigram_channels.py",
                                           ["--phone", PHONE_KURIGRAM])
        clients.append(kurigram)
        gramjs, _ = harness.start_phased("gramjs", "full", server,
                                         harness.INTEROP / "node/gramjs_channels.js",
                                         ["--phone", PHONE_GRAMJS])
        clients.append(gramjs)

        for client, name in ((subscriber, "telethon subscriber"), (kurigram, "kurigram"),
                             (gramjs, "gramjs")):
            harness.next_phase(client, names, name)
        harness.next_phase(admin, "go", "telethon admin")

        subscriber.send_line("go")
        subscriber_run = subscriber.finish(timeout=60)
        assert subscriber_run.ok, subscriber_run.describe()
        kurigram.send_line("go")
        kurigram_run = kurigram.finish(timeout=60)
        assert kurigram_run.ok, kurigram_run.describe()
        gramjs.send_line("go")
        gramjs_run = gramjs.finish(timeout=60)
        assert gramjs_run.ok, gramjs_run.describe()

        admin.send_line("go")
        admin_run = admin.finish(timeout=60)
        result_row.update(note=admin_run.summary())
        assert admin_run.ok, admin_run.describe()
    finally:
        for client in clients:
            client.kill()
