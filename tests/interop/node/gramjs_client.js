// GramJS (npm `telegram` 2.26.22, layer 198) against chappe, unmodified.
//
// Usage: node gramjs_client.js --transport full|abridged|obfuscated|websocket
// Where chappe listens comes from CHAPPE_HOST, CHAPPE_PORT, CHAPPE_WS_PORT and CHAPPE_PEM
// (a file holding `chappe key` output). Prints one JSON line as the last line of stdout and
// exits 0 only when every check passed.
//
// GramJS's connect() dials port 80 (443 with useWSS) whatever the session says, so each
// transport is a one-line subclass of GramJS's own connection class that substitutes
// chappe's port. `websocket` is what GramJS runs in a browser: obfuscated2 + abridged over
// ws://host:port/apiws, subprotocol "binary" (PromisedWebSockets).
"use strict";

const fs = require("fs");
const readline = require("readline");
const crypto = require("crypto");
const bigInt = require("big-integer");
const { TelegramClient, Api } = require("telegram");
const { StringSession } = require("telegram/sessions");
const {
    ConnectionTCPFull,
    ConnectionTCPAbridged,
    ConnectionTCPObfuscated,
} = require("telegram/network/connection");
const { PromisedNetSockets, PromisedWebSockets, Logger } = require("telegram/extensions");
const { LAYER } = require("telegram/tl/AllTLObjects");
const RSA = require("telegram/crypto/RSA");

const PACKAGE_VERSION = require("telegram/package.json").version;
const EXPECTED_VERSION = "2.26.22";
const EXPECTED_LAYER = 198;
const EXPECTED_THIS_DC = 2;
const EXPECTED_DC_IDS = [1, 2, 3, 4, 5];

// Options come in pairs (`--name value`). `extra` maps more option names to args keys
// (their values stay strings) for the programs built on this one; `defaults` holds theirs.
function parseArgs(argv, extra = {}, defaults = {}) {
    const args = {
        host: process.env.CHAPPE_HOST || "127.0.0.1",
        port: Number(process.env.CHAPPE_PORT || 0),
        wsPort: Number(process.env.CHAPPE_WS_PORT || 0),
        pem: process.env.CHAPPE_PEM,
        transport: "full",
        timeout: Number(process.env.CHAPPE_CLIENT_TIMEOUT || 45),
        ...defaults,
    };
    const names = { "--transport": "transport", "--host": "host", "--pem": "pem", ...extra };
    const numbers = { "--port": "port", "--ws-port": "wsPort", "--timeout": "timeout" };
    for (let i = 2; i < argv.length; i += 2) {
        const [name, value] = [argv[i], argv[i + 1]];
        if (value === undefined) throw new Error(`option ${name} needs a value`);
        if (names[name]) args[names[name]] = value;
        else if (numbers[name]) args[numbers[name]] = Number(value);
        else throw new Error(`unknown option ${name}`);
    }
    if (!args.port || !args.pem) throw new Error("CHAPPE_PORT and CHAPPE_PEM are required");
    return args;
}

// Modulus of a PKCS#1 RSAPublicKey PEM, parsed with Node's own crypto.
function loadServerKey(pemPath) {
    const text = fs.readFileSync(pemPath, "ascii");
    const match = text.match(/-----BEGIN RSA PUBLIC KEY-----[\s\S]+?-----END RSA PUBLIC KEY-----/);
    if (!match) throw new Error("no PKCS#1 'RSA PUBLIC KEY' PEM block found");
    const jwk = crypto.createPublicKey({ key: match[0], format: "pem", type: "pkcs1" })
        .export({ format: "jwk" });
    const n = bigInt(Buffer.from(jwk.n, "base64url").toString("hex"), 16);
    const e = bigInt(Buffer.from(jwk.e, "base64url").toString("hex"), 16).toJSNumber();
    const fp = text.match(/^fingerprint:\s*(-?\d+)\s*$/m);
    return { n, e, fingerprint: fp ? fp[1] : computeFingerprint(n, e) };
}

function tlBytes(buf) {
    const head = buf.length < 254
        ? Buffer.from([buf.length])
        : Buffer.from([254, buf.length & 255, (buf.length >> 8) & 255, (buf.length >> 16) & 255]);
    const out = Buffer.concat([head, buf]);
    return Buffer.concat([out, Buffer.alloc((4 - (out.length % 4)) % 4)]);
}

// Lower 64 bits of SHA1(rsa_public_key n:bytes e:bytes), signed decimal.
function computeFingerprint(n, e) {
    const big = (x) => Buffer.from((x.toString(16).length % 2 ? "0" : "") + x.toString(16), "hex");
    const digest = crypto.createHash("sha1").update(Buffer.concat([tlBytes(big(n)), tlBytes(big(bigInt(e)))])).digest();
    return digest.readBigInt64LE(12).toString();
}

function transportFor(name, args) {
    const withPort = (Base, port) => class extends Base {
        constructor(opts) {
            super({ ...opts, port });
        }
    };
    switch (name) {
        case "full": // GramJS's default in Node
            return { connection: withPort(ConnectionTCPFull, args.port), networkSocket: PromisedNetSockets };
        case "abridged":
            return { connection: withPort(ConnectionTCPAbridged, args.port), networkSocket: PromisedNetSockets };
        case "obfuscated":
            return { connection: withPort(ConnectionTCPObfuscated, args.port), networkSocket: PromisedNetSockets };
        case "websocket": // GramJS's default in a browser
            if (!args.wsPort) throw new Error("the websocket transport needs CHAPPE_WS_PORT");
            return { connection: withPort(ConnectionTCPObfuscated, args.wsPort), networkSocket: PromisedWebSockets };
        default:
            throw new Error(`unknown transport ${name}`);
    }
}

class Report {
    constructor(transport) {
        this.data = {
            client: "gramjs", version: PACKAGE_VERSION, layer: LAYER, transport,
            ok: false, stage: "start", checks: {}, failures: [], error: null,
        };
    }
    stage(name) { this.data.stage = name; }
    check(name, condition, detail) {
        this.data.checks[name] = { ok: !!condition, detail: detail === undefined ? null : String(detail) };
        if (!condition) this.data.failures.push(`${name}: ${detail}`);
        return !!condition;
    }
    note(key, value) { this.data[key] = value; }
    finish(error) {
        if (error) this.data.error = error;
        this.data.ok = !this.data.error && this.data.failures.length === 0;
        process.stdout.write(JSON.stringify(this.data) + "\n");
        return this.data.ok ? 0 : 1;
    }
}

function checkConfig(report, config, host, port) {
    report.check("config.this_dc", config.thisDc === EXPECTED_THIS_DC, `this_dc=${config.thisDc}`);
    const seen = {};
    for (const opt of config.dcOptions) {
        if (!opt.ipv6) (seen[opt.id] = seen[opt.id] || []).push([opt.ipAddress, opt.port]);
    }
    report.note("config.dc_options", seen);
    for (const id of EXPECTED_DC_IDS) {
        const found = (seen[id] || []).some(([ip, p]) => ip === host && p === port);
        report.check(`config.dc${id}`, found, `IPv4 options for DC ${id}: ${JSON.stringify(seen[id])}`);
    }
}

function randomPingId() {
    return bigInt(crypto.randomBytes(8).readBigInt64LE(0).toString());
}

// The library must be the pinned release speaking the expected layer.
function checkVersions(report) {
    report.stage("versions");
    return report.check("version", PACKAGE_VERSION === EXPECTED_VERSION,
        `installed ${PACKAGE_VERSION}, want ${EXPECTED_VERSION}`)
        && report.check("layer", LAYER === EXPECTED_LAYER, `speaks ${LAYER}, want ${EXPECTED_LAYER}`);
}

// A client on an empty StringSession pointed at chappe (DC 2), trusting chappe's key.
function makeClient(args, report) {
    const key = loadServerKey(args.pem);
    const computed = computeFingerprint(key.n, key.e);
    report.check("fingerprint", computed === key.fingerprint, `chappe says ${key.fingerprint}, computed ${computed}`);
    RSA._serverKeys.set(key.fingerprint, { n: key.n, e: key.e });
    const client = new TelegramClient(new StringSession(""), 1, "0".repeat(32), {
        ...transportFor(args.transport, args),
        connectionRetries: 2,
        retryDelay: 1000,
        requestRetries: 2,
        autoReconnect: false,
        baseLogger: new Logger(process.env.CHAPPE_INTEROP_DEBUG ? "debug" : "error"),
    });
    client.session.setDC(EXPECTED_THIS_DC, args.host, args.port);
    return client;
}

// Ends the client without waiting long for GramJS's own shutdown.
async function destroy(client) {
    await Promise.race([client.destroy(), new Promise((r) => setTimeout(r, 3000))]);
}

// users.getUsers([inputUserSelf]) must fail with 401 (and `message`, if given).
async function expectUnauthorized(report, name, client, message) {
    report.stage(`users.getUsers([inputUserSelf]): ${name}`);
    try {
        await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
        report.check(name, false, "returned a user");
    } catch (e) {
        report.check(name, e.code === 401 && (!message || e.errorMessage === message),
            `${e.constructor.name} ${e.code} ${e.errorMessage || e.message}`);
    }
}

async function run(args, report) {
    if (!checkVersions(report)) return;
    const client = makeClient(args, report);

    try {
        report.stage("connect (key exchange, invokeWithLayer(initConnection(help.getConfig)))");
        const connected = await client.connect();
        if (!report.check("connect", connected === true, `connect() -> ${connected}`)) return;

        report.stage("help.getConfig");
        const config = await client.invoke(new Api.help.GetConfig());
        checkConfig(report, config, args.host, args.port);

        report.stage("ping");
        const pingId = randomPingId();
        const pong = await client.invoke(new Api.Ping({ pingId }));
        report.check("pong", pong instanceof Api.Pong && pong.pingId.equals(pingId), `${pong && pong.className} ${pong && pong.pingId}`);

        await expectUnauthorized(report, "getUsers.401", client);

        report.stage("isUserAuthorized");
        const authorized = await client.isUserAuthorized();
        report.check("isUserAuthorized.false", authorized === false, `isUserAuthorized() -> ${authorized}`);
    } finally {
        await destroy(client);
    }
}

// Parses the options, runs `run(args, report)` under the overall timeout, prints the
// report and exits (GramJS's update loop and reconnect timers would keep Node alive).
async function runMain(run, extraOptions, defaults) {
    let args;
    try {
        args = parseArgs(process.argv, extraOptions, defaults);
    } catch (e) {
        process.stderr.write(`${e.message}\n`);
        process.exit(2);
    }
    const report = new Report(args.transport);
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

if (require.main === module) runMain(run);

// Prints {"phase": ...} for the harness and waits for its answer line on stdin.
function waitForHarness(phase) {
    process.stdout.write(JSON.stringify(phase) + "\n");
    return new Promise((resolve, reject) => {
        const lines = readline.createInterface({ input: process.stdin });
        lines.once("line", (line) => {
            resolve(line); // first: close() below fires the "close" listener at once
            lines.close();
        });
        lines.once("close", () => reject(new Error("the harness closed stdin instead of answering")));
    });
}

// The code of test number 99966XYYYY: X five times.
function testCode(phone) {
    return phone.replace(/\D/g, "")[5].repeat(5);
}

// Connects and logs in with a test number through client.start (signing up as
// `firstName` if the number is new); notes and returns the user.
async function logInTestNumber(client, report, phone, firstName = "GramJS") {
    report.stage("connect + login");
    await client.connect();
    let loginError = null;
    await client.start({
        phoneNumber: phone,
        phoneCode: async () => testCode(phone),
        password: async () => { throw new Error("no password expected"); },
        firstAndLastNames: async () => [firstName, ""],
        onError: async (e) => { loginError = loginError || e; return true; },
    }).catch((e) => { if (!loginError) throw e; });
    if (loginError) throw loginError;
    const me = await client.getMe();
    report.note("user_id", Number(me.id.toString()));
    return me;
}

// Shared with the other gramjs_*.js programs.
module.exports = {
    EXPECTED_VERSION, EXPECTED_LAYER, EXPECTED_THIS_DC, PACKAGE_VERSION, LAYER,
    loadServerKey, computeFingerprint, transportFor, Report, parseArgs, checkVersions,
    makeClient, destroy, expectUnauthorized, runMain, waitForHarness, testCode, logInTestNumber,
};
