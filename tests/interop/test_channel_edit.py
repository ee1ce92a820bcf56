"""Channel post edits and revoked invite links across libraries: a Telethon admin creates a
public broadcast channel and exports an invite link; a kurigram and a GramJS subscriber join
by username. The admin posts and edits the post (messages.editMessage): kurigram's
on_edited_message handler must see the new text (pushed as updateEditChannelMessage) and
GramJS's getMessages must show it with an edit date. The admin then revokes the link
(messages.editExportedChatInvite) and a second kurigram user's join_chat with it must fail
with INVITE_HASH_EXPIRED.

Programs: clients/telethon_channel_edit.py, clients/kurigram_channel_edit.py and
node/gramjs_channel_edit.js (see their docstrings). Test numbers +9996628101..4 (code 22222).
"""

import json

import pytest

import harness

PHONE_ADMIN = "+9996628101"
PHONE_KURIGRAM = "+9996628102"
PHONE_GRAMJS = "+9996628103"
PHONE_OUTSIDER = "+9996628104"
TEXT = "post before the edit"
EDITED = "post after the edit"


@pytest.mark.interop
def test_channel_edit_and_revoked_link_across_libraries(server, result_row):
    result_row.update(harness.expected_row("telethon", "full",
                                           "channel edits, revoked link: Telethon + kurigram + GramJS"))
    result_row["client"] = "telethon, kurigram, gramjs"
    clients = []
    try:
        admin, phase = harness.start_phased("telethon", "full", server,
                                            harness.INTEROP / "clients/telethon_channel_edit.py",
                                            ["--phone", PHONE_ADMIN, "--text", TEXT, "--edited", EDITED])
        clients.append(admin)
        link = phase["link"]
        names = json.dumps({"channel": phase["channel"]})
        kurigram, _ = harness.start_phased("kurigram", "abridged", server,
                                           harness.INTEROP / "clients/kurigram_channel_edit.py",
                                           ["--phone", PHONE_KURIGRAM, "--mode", "subscriber",
                                            "--edited", EDITED])
        clients.append(kurigram)
        gramjs, _ = harness.start_phased("gramjs", "full", server,
                                         harness.INTEROP / "node/gramjs_channel_edit.js",
                                         ["--phone", PHONE_GRAMJS, "--edited", EDITED])
        clients.append(gramjs)
        for client, name in ((kurigram, "kurigram"), (gramjs, "gramjs")):
            harness.next_phase(client, names, name)

        posted = harness.next_phase(admin, "go", "telethon admin")
        message = json.dumps({"message_id": posted["message_id"]})
        kurigram.send_line(message)
        kurigram_run = kurigram.finish(timeout=60)
        assert kurigram_run.ok, kurigram_run.describe()
        gramjs.send_line(message)
        gramjs_run = gramjs.finish(timeout=60)
        assert gramjs_run.ok, gramjs_run.describe()

        harness.next_phase(admin, "go", "telethon admin")
        outsider = harness.run_client("kurigram", "abridged", server,
                                      extra=["--phone", PHONE_OUTSIDER, "--mode", "revoked",
                                             "--link", link],
                                      script=harness.INTEROP / "clients/kurigram_channel_edit.py")
        result_row["note"] = outsider.summary()
        assert outsider.ok, outsider.describe()

        admin.send_line("go")
        admin_run = admin.finish(timeout=60)
        result_row.update(note=admin_run.summary())
        assert admin_run.ok, admin_run.describe()
    finally:
        for client in clients:
            client.kill()
