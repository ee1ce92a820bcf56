"""One account, several libraries (chappe issue #3): what one client changes about the
account, the others must feel. A 2FA password Telethon sets is asked for (and checked) when
kurigram, Pyrogram, GramJS and Telethon log in again; a session that Telethon ends
(account.resetAuthorization, auth.resetAuthorizations) is dead for the library holding it.

Test numbers `9996634YYY` (code 33333), one per scenario; the programs are the login
programs of test_login.py with their --password, --set-password, --end-sessions and
--expect-revoked options.
"""

import pytest

import harness
from test_login import DEFAULT_TRANSPORT, code_for, fill_row, login, login_args

PASSWORD_NUMBER = "+9996634001"
PASSWORD = "correct horse 7"
PASSWORD_KINDS = ["kurigram", "gramjs", "pyrogram", "telethon"]
WRONG_PASSWORD_KINDS = ["kurigram", "gramjs"]
END_ONE_NUMBER = {"kurigram": "+9996634011", "gramjs": "+9996634012", "pyrogram": "+9996634013"}
END_ALL_NUMBER = "+9996634021"
HELD_TIMEOUT = 90


@pytest.fixture(scope="module")
def password_account(shared_server):
    """Telethon logs in to PASSWORD_NUMBER and sets PASSWORD; gives its run."""
    run = login("telethon", shared_server, PASSWORD_NUMBER, code=code_for(PASSWORD_NUMBER),
                set_password=PASSWORD)
    if not run.ok:
        pytest.fail("Telethon could not set the password:\n" + run.describe(), pytrace=False)
    return run


@pytest.mark.interop
@pytest.mark.parametrize("kind", PASSWORD_KINDS)
def test_password_set_by_telethon_is_required(kind, server, password_account, result_row):
    """After Telethon's edit_2fa, signIn answers SESSION_PASSWORD_NEEDED and the library's
    own password step (SRP: account.getPassword + auth.checkPassword) logs in to the same
    user."""
    run = login(kind, server, PASSWORD_NUMBER, code=code_for(PASSWORD_NUMBER), password=PASSWORD,
                expect_user_id=password_account.report["user_id"])
    fill_row(result_row, kind, "2FA password set by Telethon: asked for, right one logs in", run)
    assert run.ok, run.describe()


@pytest.mark.interop
@pytest.mark.parametrize("kind", WRONG_PASSWORD_KINDS)
def test_wrong_password_is_refused(kind, server, password_account, result_row):
    """A wrong password gives PASSWORD_HASH_INVALID and no login."""
    run = login(kind, server, PASSWORD_NUMBER, code=code_for(PASSWORD_NUMBER),
                password=PASSWORD + "x", expect_login_error="PASSWORD_HASH_INVALID")
    fill_row(result_row, kind, "2FA password set by Telethon: wrong one -> PASSWORD_HASH_INVALID",
             run)
    assert run.ok, run.describe()


def hold(kind, server, phone):
    """A client that logs in, reports phase 1 and waits; then it expects its key to be dead."""
    extra = login_args(kind, phone, code=code_for(phone), flags=["--expect-revoked"])
    client = harness.InteractiveClient(kind, DEFAULT_TRANSPORT[kind], server,
                                       timeout=HELD_TIMEOUT, extra=extra,
                                       script=harness.LOGIN_SCRIPTS[kind])
    if client.wait_for_json("phase", timeout=60) is None:
        run = client.finish(timeout=5)
        pytest.fail(f"{kind} ended before it was logged in:\n" + run.describe(), pytrace=False)
    return client


def end_sessions_and_check(server, phone, held, mode, result_row, label):
    """Telethon logs in to `phone` (where the `held` clients are logged in), ends the
    others' sessions (`mode` one|all), then each held client must get 401."""
    result_row.update(harness.expected_row("telethon", "full", label),
                      client="telethon ends " + ", ".join(c.kind for c in held))
    try:
        ender = login("telethon", server, phone, code=code_for(phone), end_sessions=mode,
                      expect_sessions=len(held) + 1)
        client_label = result_row["client"]
        fill_row(result_row, "telethon", label, ender)
        result_row["client"] = client_label
        assert ender.ok, ender.describe()
        for client in held:
            client.send_line("ended")
        for client in held:
            run = client.finish(timeout=30)
            if not run.ok:
                result_row["note"] = f"{client.kind}: {run.summary()}"
            assert run.ok, run.describe()
    finally:
        for client in held:
            client.kill()


@pytest.mark.interop
@pytest.mark.parametrize("kind", list(END_ONE_NUMBER))
def test_session_ended_from_other_device_is_dead(kind, server, result_row):
    """The library logs in and waits; Telethon logs in to the same account, lists two
    authorizations (one current), ends the other with account.resetAuthorization(hash) and
    then sees only its own; the waiting library's next call gets 401 AUTH_KEY_UNREGISTERED."""
    phone = END_ONE_NUMBER[kind]
    held = [hold(kind, server, phone)]
    end_sessions_and_check(server, phone, held, "one", result_row,
                           "account.resetAuthorization of the other device -> its key 401")


@pytest.mark.interop
def test_reset_authorizations_ends_every_other_session(server, result_row):
    """kurigram and GramJS log in and wait; Telethon's auth.resetAuthorizations ends both
    (the list keeps only Telethon's session, which still works) and each gets 401."""
    held = []
    try:
        for kind in ("kurigram", "gramjs"):
            held.append(hold(kind, server, END_ALL_NUMBER))
    except BaseException:
        for client in held:
            client.kill()
        raise
    end_sessions_and_check(server, END_ALL_NUMBER, held, "all", result_row,
                           "auth.resetAuthorizations -> every other key 401")
