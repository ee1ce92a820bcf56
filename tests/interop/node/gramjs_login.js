// GramJS (npm `telegram` 2.26.22, layer 198) logs in to chappe with its public API:
// client.start({phoneNumber, phoneCode, firstAndLastNames, onError}) (updates.getState to see
// whether it is authorized, auth.sendCode, auth.signIn, auth.signUp when the number is new),
// then getMe() and isUserAuthorized(). The code is --code (test numbers) or read from the
// file the delivery hook writes ($CHAPPE_CODE_FILE). --logout 1: auth.logOut, then
// users.getUsers([inputUserSelf]) on the same key must fail with 401.
//
// Usage: node gramjs_login.js --phone P [--code C] [--first-name N] [--expect-first-name N]
//        [--expect-user-id ID] [--logout 1] [--transport full|abridged|obfuscated|websocket]
"use strict";

const fs = require("fs");
const { TelegramClient, Api } = require("telegram");
const { StringSession } = require("telegram/sessions");
const { Logger } = require("telegram/extensions");
const RSA = require("telegram/crypto/RSA");
const g = require("./gramjs_client");

function parseArgs(argv) {
    const args = {
        host: process.env.CHAPPE_HOST || "127.0.0.1",
        port: Number(process.env.CHAPPE_PORT || 0),
        wsPort: Number(process.env.CHAPPE_WS_PORT || 0),
        pem: process.env.CHAPPE_PEM,
        transport: "full",
        timeout: Number(process.env.CHAPPE_CLIENT_TIMEOUT || 45),
        phone: null, code: null, firstName: null, expectFirstName: null, expectUserId: null,
        logout: false,
    };
    const names = {
        "--transport": "transport", "--host": "host", "--pem": "pem", "--phone": "phone",
        "--code": "code", "--first-name": "firstName", "--expect-first-name": "expectFirstName",
        "--expect-user-id": "expectUserId",
    };
    for (let i = 2; i < argv.length; i += 2) {
        const [name, value] = [argv[i], argv[i + 1]];
        if (value === undefined) throw new Error(`option ${name} needs a value`);
        if (names[name]) args[names[name]] = value;
        else if (name === "--port") args.port = Number(value);
        else if (name === "--ws-port") args.wsPort = Number(value);
        else if (name === "--timeout") args.timeout = Number(value);
        else if (name === "--logout") args.logout = value === "1";
        else throw new Error(`unknown option ${name}`);
    }
    if (!args.port || !args.pem || !args.phone) throw new Error("CHAPPE_PORT, CHAPPE_PEM and --phone are required");
    return args;
}

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

async function run(args, report) {
    report.stage("versions");
    if (!report.check("version", g.PACKAGE_VERSION === g.EXPECTED_VERSION,
        `installed ${g.PACKAGE_VERSION}, want ${g.EXPECTED_VERSION}`)) return;
    if (!report.check("layer", g.LAYER === g.EXPECTED_LAYER, `speaks ${g.LAYER}, want ${g.EXPECTED_LAYER}`)) return;

    const key = g.loadServerKey(args.pem);
    RSA._serverKeys.set(key.fingerprint, { n: key.n, e: key.e });
    const client = new TelegramClient(new StringSession(""), 1, "0".repeat(32), {
        ...g.transportFor(args.transport, args),
        connectionRetries: 2,
        retryDelay: 1000,
        requestRetries: 2,
        autoReconnect: false,
        baseLogger: new Logger(process.env.CHAPPE_INTEROP_DEBUG ? "debug" : "error"),
    });
    client.session.setDC(g.EXPECTED_THIS_DC, args.host, args.port);

    try {
        report.stage("connect");
        await client.connect();

        report.stage("client.start (updates.getState, auth.sendCode, auth.signIn/signUp)");
        const seen = hookCodes(args.phone).length;
        let loginError = null;
        let signedUp = false;
        await client.start({
            phoneNumber: args.phone,
            phoneCode: async () => args.code || waitForNewCode(args.phone, seen, 15000),
            firstAndLastNames: async () => {
                signedUp = true;
                return [args.firstName, ""];
            },
            // Any error ends the login (GramJS would otherwise ask again forever).
            onError: async (e) => {
                loginError = e;
                return true;
            },
        });
        if (loginError) throw loginError;
        report.note("signed_up", signedUp);
        if (signedUp && !args.firstName) report.check("sign_up.expected", false, "server asked for sign-up");

        report.stage("getMe");
        const me = await client.getMe();
        report.note("user_id", Number(me.id.toString()));
        checkMe(report, "get_me", args, me);

        report.stage("isUserAuthorized");
        const authorized = await client.isUserAuthorized();
        report.check("isUserAuthorized.true", authorized === true, `isUserAuthorized() -> ${authorized}`);

        if (args.logout) {
            report.stage("auth.logOut");
            await client.invoke(new Api.auth.LogOut());
            report.stage("users.getUsers([inputUserSelf]) after log-out");
            try {
                await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
                report.check("after-logout.getUsers.401", false, "returned a user after log-out");
            } catch (e) {
                report.check("after-logout.getUsers.401", e.code === 401, `${e.constructor.name} ${e.code} ${e.errorMessage || e.message}`);
            }
            const after = await client.isUserAuthorized();
            report.check("after-logout.isUserAuthorized.false", after === false, `isUserAuthorized() -> ${after}`);
        }
    } finally {
        await Promise.race([client.destroy(), new Promise((r) => setTimeout(r, 3000))]);
    }
}

async function main() {
    let args;
    try {
        args = parseArgs(process.argv);
    } catch (e) {
        process.stderr.write(`${e.message}\n`);
        process.exit(2);
    }
    const report = new g.Report(args.transport);
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${args.timeout}s during stage '${report.data.stage}'`)), args.timeout * 1000);
    });
    let error = null;
    try {
        await Promise.race([run(args, report), timeout]);
    } catch (e) {
        process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
        error = e && e.message ? `${e.constructor.name}: ${e.message}` : String(e);
        if (e && e.errorMessage) error += ` (${e.code} ${e.errorMessage})`;
    }
    clearTimeout(timer);
    process.exit(report.finish(error));
}

main();
