"""Invite links across libraries: a Telethon admin creates a private supergroup and exports
an invite link (messages.exportChatInvite); a kurigram user joins with it through its public
join_chat (messages.importChatInvite, answered in layer 229's messages.chatInviteJoinResultOk)
and posts; the admin then finds the post and two participants.

Programs: clients/telethon_invite.py, clients/kurigram_invite.py. Test numbers
+9996629001..2 (code 22222).
"""

import pytest

import harness

PHONE_ADMIN = "+9996629001"
PHONE_MEMBER = "+9996629002"
TITLE = "Invite link group"
TEXT = "joined by link"


@pytest.mark.interop
def test_invite_link_across_libraries(server, result_row):
    result_row.update(harness.expected_row(
        "telethon", "full", "invite link: Telethon exports, kurigram joins and posts"))
    result_row["client"] = "telethon, kurigram"
    create = harness.run_client("telethon", "full", server,
                                extra=["--phone", PHONE_ADMIN, "--mode", "create",
                                       "--title", TITLE],
                                script=harness.INTEROP / "clients/telethon_invite.py")
    result_row["note"] = create.summary()
    assert create.ok, create.describe()
    link = create.report["link"]

    join = harness.run_client("kurigram", "abridged", server,
                              extra=["--phone", PHONE_MEMBER, "--link", link, "--text", TEXT],
                              script=harness.INTEROP / "clients/kurigram_invite.py")
    result_row["note"] = join.summary()
    assert join.ok, join.describe()

    verify = harness.run_client("telethon", "full", server,
                                extra=["--phone", PHONE_ADMIN, "--mode", "verify",
                                       "--title", TITLE, "--expect-text", TEXT],
                                script=harness.INTEROP / "clients/telethon_invite.py")
    result_row["note"] = verify.summary()
    assert verify.ok, verify.describe()
