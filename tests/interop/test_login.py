"""Logging in with unmodified third-party clients: test numbers (`99966XYYYY`, code X five
times, account made on first sign-in as "Test YYYY"), sign-up of an ordinary number with the
code from the delivery hook, log-out, and a login that outlives a server restart.

The programs are clients/telethon_login.py, clients/pyrogram_login.py (Pyrogram and
kurigram) and node/gramjs_login.js; each prints one JSON report (see harness.py).
"""

import signal

import pytest

import harness

KINDS = ["telethon", "pyrogram", "kurigram", "gramjs"]
# Each library's default transport.
DEFAULT_TRANSPORT = {"telethon": "full", "pyrogram": "abridged", "kurigram": "abridged",
                     "gramjs": "full"}
# One test number per library and scenario, so no two tests share an account by accident.
LOGIN_NUMBER = {"telethon": "+9996610001", "pyrogram": "+9996610002",
                "kurigram": "+9996610003", "gramjs": "+9996610004"}
LOGOUT_NUMBER = {"telethon": "+9996630001", "pyrogram": "+9996630002",
                 "kurigram": "+9996630003", "gramjs": "+9996630004"}
SHARED_NUMBER = "+9996620042"
RESTART_NUMBER = {"sigint": "+9996610101", "sigkill": "+9996610102"}
# Ordinary numbers: the code goes through the delivery hook.
SIGN_UP = {"kurigram": ("+15550100003", "Kuri"), "gramjs": ("+15550100004", "Gram"),
           "telethon": ("+15550100001", "Tele")}


def code_for(phone):
    """Test number 99966XYYYY logs in with code XXXXX."""
    return phone.lstrip("+")[5] * 5


def name_for(phone):
    return "Test " + phone[-4:]


def login_args(kind, phone, *, code=None, first_name=None, expect_first_name=None,
               expect_user_id=None, logout=False, flags=(), **options):
    """The login program's command line. `options` are more `--name value` pairs (keyword
    `password` -> `--password`); `flags` are more switches (`--expect-revoked`)."""
    extra = ["--phone", phone]
    for option, value in (("--code", code), ("--first-name", first_name),
                          ("--expect-first-name", expect_first_name),
                          ("--expect-user-id", expect_user_id),
                          *(("--" + k.replace("_", "-"), v) for k, v in options.items())):
        if value is not None:
            extra += [option, str(value)]
    for flag in (["--logout"] if logout else []) + list(flags):
        # The GramJS program reads options in pairs.
        extra += [flag, "1"] if kind == "gramjs" else [flag]
    return extra


def login(kind, server, phone, *, timeout=harness.CLIENT_TIMEOUT, **how):
    return harness.run_client(kind, DEFAULT_TRANSPORT[kind], server, timeout=timeout,
                              extra=login_args(kind, phone, **how),
                              script=harness.LOGIN_SCRIPTS[kind])


def fill_row(row, kind, label, run):
    row.update(harness.expected_row(kind, DEFAULT_TRANSPORT[kind],
                                    f"{harness.TRANSPORT_NAMES[DEFAULT_TRANSPORT[kind]]}; {label}"))
    report = run.report or {}
    row.update(version=report.get("version", row["version"]),
               layer=report.get("layer", row["layer"]), note=run.summary())


@pytest.mark.interop
@pytest.mark.parametrize("kind", KINDS)
def test_login_with_test_number(kind, server, result_row):
    """send_code + sign_in with code XXXXX, then get_me: the caller's own user (is_self, the
    phone, the server-picked name "Test YYYY"), and the library sees itself authorized."""
    phone = LOGIN_NUMBER[kind]
    run = login(kind, server, phone, code=code_for(phone), expect_first_name=name_for(phone))
    fill_row(result_row, kind, "login (test number) + get_me", run)
    assert run.ok, run.describe()


@pytest.mark.interop
def test_same_test_number_in_every_client(server, result_row):
    """All four libraries log in to one test number, each with its own auth key: the first
    creates the account, the others must get the same user id."""
    first = login("telethon", server, SHARED_NUMBER, code=code_for(SHARED_NUMBER),
                  expect_first_name=name_for(SHARED_NUMBER))
    fill_row(result_row, "telethon", "same test number in all 4 clients -> same user id", first)
    result_row["client"] = "telethon, then pyrogram, kurigram, gramjs"
    assert first.ok, first.describe()
    user_id = first.report["user_id"]
    for kind in KINDS[1:]:
        run = login(kind, server, SHARED_NUMBER, code=code_for(SHARED_NUMBER),
                    expect_first_name=name_for(SHARED_NUMBER), expect_user_id=user_id)
        if not run.ok:
            result_row["note"] = f"{kind}: {run.summary()}"
        assert run.ok, run.describe()


@pytest.mark.interop
@pytest.mark.parametrize("kind", KINDS)
def test_log_out(kind, server, result_row):
    """After log_out() (Telethon) / auth.logOut (raw, the others) the same auth key is no
    longer authorized: users.getUsers([inputUserSelf]) fails with 401."""
    phone = LOGOUT_NUMBER[kind]
    run = login(kind, server, phone, code=code_for(phone), logout=True)
    fill_row(result_row, kind, "login, log out, same key -> 401", run)
    assert run.ok, run.describe()


@pytest.mark.interop
@pytest.mark.parametrize("kind", list(SIGN_UP))
def test_sign_up_with_hook_code(kind, hook_server, result_row):
    """An ordinary number: the code reaches tests/interop/code_hook.sh, the client reads it
    from the hook's file, sign_in says sign-up is required, sign_up with a first name, and
    get_me shows that name."""
    phone, name = SIGN_UP[kind]
    run = login(kind, hook_server, phone, first_name=name, expect_first_name=name)
    fill_row(result_row, kind, "sign-up, code from --code-hook", run)
    assert run.ok, run.describe()
    delivered = [line.split() for line in hook_server.code_file.read_text().splitlines()]
    assert any(p[:1] == [phone.lstrip("+")] for p in delivered), \
        f"the hook file has no line for {phone}: {delivered}"


RESTARTS = {"sigint": signal.SIGINT, "sigkill": signal.SIGKILL}


@pytest.mark.interop
@pytest.mark.parametrize("how", list(RESTARTS))
def test_telethon_login_survives_restart(how, own_server, result_row):
    """Telethon logs in; chappe restarts on the same data directory; a new client on the
    saved StringSession is still authorized as the same user with no new login or key."""
    server = own_server
    phone = RESTART_NUMBER[how]
    extra = ["--phone", phone, "--code", code_for(phone), "--restart",
             "--connection-retries", "30"]
    client = harness.InteractiveClient("telethon", "full", server, timeout=90, extra=extra,
                                       script=harness.LOGIN_SCRIPTS["telethon"])
    label = f"login, server restart ({how.upper()}), StringSession still authorized"
    try:
        phase1 = client.wait_for_json("phase", timeout=60)
        if phase1 is None:
            run = client.finish(timeout=5)
            fill_row(result_row, "telethon", label, run)
            pytest.fail("client ended before the restart point:\n" + run.describe(), pytrace=False)
        server.stop(RESTARTS[how])
        server.start()
        client.send_line("restarted")
        run = client.finish(timeout=80)
    finally:
        client.kill()

    fill_row(result_row, "telethon", label, run)
    assert run.ok, run.describe()
    assert server.count_in_log("signed in", run=1) >= 1, "chappe logged no 'signed in' line"
    for needle in ("auth key created", "signed in", "signed up"):
        count = server.count_in_log(needle, run=2)
        assert count == 0, f"the restarted server logged {count} '{needle}' line(s)"
