// GramJS (npm `telegram` 2.26.22): an offline device catching up (test_catch_up.py).
//
// B logs in (--phone) with client.start(), adds a NewMessage event handler and prints
// {"phase": 1}; the harness has the sender post one message, which the handler must see
// (B's session gets pushes). B saves updates.getState and its StringSession, disconnects and
// prints {"phase": 2}; the harness has the sender post --count messages ("offline 000", ...).
// A new client on the saved StringSession connects with the same handler.
//
// GramJS 2.26 keeps no pts and never calls updates.getDifference (its update loop only
// pings and sends updates.getState every 30 minutes), so it cannot catch up by itself: the
// program reports what the handler got on its own (library_catch_up) and then runs
// updates.getDifference raw from the saved state, slice after slice. The new messages must
// be every offline message exactly once and in order, every answer but the last an
// updates.differenceSlice.
//
// Usage: node gramjs_catch_up.js --phone P [--count 200] [--transport full|...]
"use strict";

const { TelegramClient, Api } = require("telegram");
const { StringSession } = require("telegram/sessions");
const { NewMessage } = require("telegram/events");
const { Logger } = require("telegram/extensions");
const g = require("./gramjs_client");

const WAIT_MS = 30000;
const SETTLE_MS = 2000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(condition, ms) {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
    }
    return true;
}

function clientOn(session, args) {
    return new TelegramClient(session, 1, "0".repeat(32), {
        ...g.transportFor(args.transport, args),
        connectionRetries: 2,
        retryDelay: 1000,
        requestRetries: 2,
        autoReconnect: false,
        baseLogger: new Logger(process.env.CHAPPE_INTEROP_DEBUG ? "debug" : "error"),
    });
}

function firstDifference(got, want) {
    for (let i = 0; i < Math.min(got.length, want.length); i++) {
        if (got[i] !== want[i]) return `#${i}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(want[i])}`;
    }
    return got.length !== want.length ? `length ${got.length} vs ${want.length}` : "none";
}

// updates.getDifference from `state` until the server says it is done.
async function rawDifference(report, client, state, count) {
    const texts = [];
    const kinds = [];
    let { pts, date, qts } = state;
    for (let i = 0; i < 2 * count + 2; i++) {
        const diff = await client.invoke(new Api.updates.GetDifference({ pts, date, qts }));
        kinds.push(diff.className);
        if (diff instanceof Api.updates.DifferenceEmpty) break;
        if (!(diff instanceof Api.updates.Difference || diff instanceof Api.updates.DifferenceSlice)) {
            report.check("difference.type", false, `unexpected ${diff.className}`);
            break;
        }
        for (const m of diff.newMessages) texts.push(m.message);
        if (diff instanceof Api.updates.Difference) break;
        const next = diff.intermediateState;
        if (next.pts <= pts) {
            report.check("difference.progress", false, `slice left pts at ${next.pts}`);
            break;
        }
        ({ pts, date, qts } = next);
    }
    report.note("difference_answers", kinds);
    const last = kinds[kinds.length - 1];
    report.check("difference.slices",
        (last === "updates.Difference" || last === "updates.DifferenceEmpty")
        && kinds.slice(0, -1).every((k) => k === "updates.DifferenceSlice"),
        `answers ${JSON.stringify(kinds)}`);
    return texts;
}

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!g.checkVersions(report)) return;
    const count = Number(args.count);
    const received = [];
    const onMessage = (event) => { received.push(event.message.message); };

    const client = g.makeClient(args, report);
    let again = null;
    try {
        const me = await g.logInTestNumber(client, report, args.phone);
        client.addEventHandler(onMessage, new NewMessage({}));

        report.stage("live message");
        await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) });
        const got = await waitUntil(() => received.length >= 1, WAIT_MS);
        report.check("live.received", got && String(received[0]).startsWith("live"),
            `handler saw ${JSON.stringify(received)}`);
        const saved = await client.invoke(new Api.updates.GetState());
        const session = client.session.save();

        report.stage("offline");
        await g.destroy(client);
        await g.waitForHarness({ phase: 2 });

        report.stage("new client on the saved StringSession");
        const expected = Array.from({ length: count }, (_, i) => `offline ${String(i).padStart(3, "0")}`);
        again = clientOn(new StringSession(session), args);
        again.addEventHandler(onMessage, new NewMessage({}));
        await again.connect();
        await again.invoke(new Api.updates.GetState());
        await sleep(SETTLE_MS);
        report.note("library_catch_up", received.length - 1);

        report.stage("raw updates.getDifference from the saved state");
        const offline = await rawDifference(report, again, saved, count);
        report.note("caught_up", offline.length);
        report.check("catch_up.count", offline.length === count, `got ${offline.length} of ${count}`);
        report.check("catch_up.exactly_once_in_order",
            JSON.stringify(offline) === JSON.stringify(expected),
            `first difference at ${firstDifference(offline, expected)}`);
    } finally {
        if (again) await g.destroy(again);
    }
}

g.runMain(run, { "--phone": "phone", "--count": "count" }, { phone: null, count: "200" });
