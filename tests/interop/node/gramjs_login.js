// GramJS (npm `telegram` 2.26.22, layer 198) logs in to chappe with its public API:
// client.start({phoneNumber, phoneCode, password, firstAndLastNames, onError})
// (updates.getState to see whether it is authorized, auth.sendCode, auth.signIn,
// account.getPassword + auth.checkPassword on SESSION_PASSWORD_NEEDED, auth.signUp when the
// number is new), then getMe() and isUserAuthorized(). The code is --code (test numbers) or
// read from the file the delivery hook writes ($CHAPPE_CODE_FILE).
// --logout 1: auth.logOut, then users.getUsers([inputUserSelf]) on the same key must fail
// with 401. --expect-login-error E: the login must fail with RPC error E.
// --expect-revoked 1: after login print {"phase": 1} and wait for a line on stdin (another
// client ends this session meanwhile); then users.getUsers must fail 401 AUTH_KEY_UNREGISTERED.
//
// Usage: node gramjs_login.js --phone P [--code C] [--password PW] [--first-name N]
//        [--expect-first-name N] [--expect-user-id ID] [--logout 1] [--expect-login-error E]
//        [--expect-revoked 1] [--transport full|abridged|obfuscated|websocket]
"use strict";

const fs = require("fs");
const { Api } = require("telegram");
const g = require("./gramjs_client");

const OPTIONS = {
    "--phone": "phone", "--code": "code", "--password": "password", "--first-name": "firstName",
    "--expect-first-name": "expectFirstName", "--expect-user-id": "expectUserId",
    "--logout": "logout", "--expect-login-error": "expectLoginError",
    "--expect-revoked": "expectRevoked",
};
const DEFAULTS = {
    phone: null, code: null, password: null, firstName: null, expectFirstName: null,
    expectUserId: null, logout: "0", expectLoginError: null, expectRevoked: "0",
};

const digits = (s) => String(s || "").replace(/\D/g, "");

// Codes the delivery hook (tests/interop/code_hook.sh) wrote for `phone`, oldest first.
function hookCodes(phone) {
    const path = process.env.CHAPPE_CODE_FILE;
    if (!path || !fs.existsSync(path)) return [];
    return fs.readFileSync(path, "ascii").split("\n").map((l) => l.trim().split(/\s+/))
        .filter((p) => p.length === 2 && p[0] === digits(phone)).map((p) => p[1]);
}

async function waitForNewCode(phone, seen, timeoutMs) {
    if (!process.env.CHAPPE_CODE_FILE) throw new Error("no --code given and CHAPPE_CODE_FILE is not set");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const codes = hookCodes(phone);
        if (codes.length > seen) return codes[seen];
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no code for ${digits(phone)} in ${process.env.CHAPPE_CODE_FILE}`);
}

function checkMe(report, prefix, args, user) {
    report.check(`${prefix}.is_self`, user.self === true, `self=${user.self}`);
    report.check(`${prefix}.phone`, digits(user.phone) === digits(args.phone), `phone=${user.phone}, logged in as ${args.phone}`);
    if (args.expectFirstName !== null) {
        report.check(`${prefix}.first_name`, user.firstName === args.expectFirstName, `firstName=${user.firstName}, want ${args.expectFirstName}`);
    }
    if (args.expectUserId !== null) {
        report.check(`${prefix}.user_id`, user.id.toString() === String(args.expectUserId), `user id ${user.id}, want ${args.expectUserId}`);
    }
}

// client.start; returns the RPC error the login failed with, or null.
async function logIn(args, report, client) {
    report.stage("client.start (updates.getState, auth.sendCode, auth.signIn/checkPassword/signUp)");
    const seen = hookCodes(args.phone).length;
    let loginError = null;
    let signedUp = false;
    let passwordAsked = false;
    try {
        await client.start({
            phoneNumber: args.phone,
            phoneCode: async () => args.code || waitForNewCode(args.phone, seen, 15000),
            // Called only after SESSION_PASSWORD_NEEDED.
            password: async () => {
                passwordAsked = true;
                if (args.password === null) throw new Error("SESSION_PASSWORD_NEEDED, but no --password was given");
                return args.password;
            },
            firstAndLastNames: async () => {
                signedUp = true;
                return [args.firstName, ""];
            },
            // Any error ends the login (GramJS would otherwise ask again forever).
            onError: async (e) => {
                loginError = loginError || e;
                return true;
            },
        });
    } catch (e) {
        // After onError said stop, GramJS throws AUTH_USER_CANCEL: the first error is the news.
        if (!loginError) throw e;
    }
    if (args.password !== null) {
        report.check("sign_in.password_needed", passwordAsked, "the server let the login through without the 2FA password");
    }
    report.note("signed_up", signedUp);
    if (signedUp && !args.firstName) report.check("sign_up.expected", false, "server asked for sign-up");
    return loginError;
}

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!g.checkVersions(report)) return;
    const client = g.makeClient(args, report);

    try {
        report.stage("connect");
        await client.connect();

        const loginError = await logIn(args, report, client);
        if (args.expectLoginError !== null) {
            const got = loginError ? `${loginError.code} ${loginError.errorMessage || loginError.message}` : "logged in";
            report.check("login.expected_error", !!loginError && loginError.errorMessage === args.expectLoginError,
                `${got}, want ${args.expectLoginError}`);
            return;
        }
        if (loginError) throw loginError;

        report.stage("getMe");
        const me = await client.getMe();
        report.note("user_id", Number(me.id.toString()));
        checkMe(report, "get_me", args, me);

        report.stage("isUserAuthorized");
        const authorized = await client.isUserAuthorized();
        report.check("isUserAuthorized.true", authorized === true, `isUserAuthorized() -> ${authorized}`);

        if (args.expectRevoked === "1") {
            report.stage("waiting while another client ends this session");
            await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) });
            await g.expectUnauthorized(report, "after-revoke.getUsers.401", client, "AUTH_KEY_UNREGISTERED");
        }

        if (args.logout === "1") {
            report.stage("auth.logOut");
            await client.invoke(new Api.auth.LogOut());
            await g.expectUnauthorized(report, "after-logout.getUsers.401", client);
            const after = await client.isUserAuthorized();
            report.check("after-logout.isUserAuthorized.false", after === false, `isUserAuthorized() -> ${after}`);
        }
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, OPTIONS, DEFAULTS);
