// GramJS (npm `telegram` 2.26.22): getMessages paging (test_catch_up.py).
//
// B logs in (--phone-b; a second device of the account telethon_history_paging.py used)
// after Telethon's A sent B --count messages "page 00", ... It finds A with
// contacts.resolvePhone and reads the whole chat with one raw messages.getHistory(limit=100):
// exactly those texts, newest first. Then getMessages(A, {...}) with each combination below
// must give exactly the messages GramJS's documented options name, computed from that list,
// and `total` must be the chat's size. GramJS sends maxId as offsetId and applies minId
// itself (it stops at the first id <= minId); reverse asks for windows above offsetId.
//
// Usage: node gramjs_history_paging.js --phone-a A --phone-b B [--count 50]
"use strict";

const { Api } = require("telegram");
const g = require("./gramjs_client");

function combinations(full) {
    const ids = full.map(([id]) => id);
    const newestDate = full[0][1];
    const older = full.filter(([, d]) => d < newestDate).map(([id]) => id);
    return [
        ["newest 10", { limit: 10 }, ids.slice(0, 10)],
        ["older than offsetId", { offsetId: ids[25], limit: 20 }, ids.slice(26, 46)],
        ["around offsetId", { offsetId: ids[25], addOffset: -10, limit: 20 }, ids.slice(16, 36)],
        ["addOffset 5", { addOffset: 5, limit: 10 }, ids.slice(5, 15)],
        ["maxId", { maxId: ids[25], limit: 5 }, ids.slice(26, 31)],
        ["minId", { minId: ids[10], limit: 20 }, ids.slice(0, 10)],
        ["maxId and minId", { maxId: ids[5], minId: ids[12], limit: 20 }, ids.slice(6, 12)],
        ["reverse from minId", { reverse: true, minId: ids[40], limit: 5 }, ids.slice(35, 40).reverse()],
        ["offsetDate", { offsetDate: newestDate, limit: 10 }, older.slice(0, 10)],
    ];
}

async function run(args, report) {
    if (!args.phoneB || !args.phoneA) throw new Error("--phone-a and --phone-b are required");
    if (!g.checkVersions(report)) return;
    const count = Number(args.count);
    const client = g.makeClient(args, report);
    try {
        await g.logInTestNumber(client, report, args.phoneB);
        const resolved = await client.invoke(new Api.contacts.ResolvePhone({ phone: args.phoneA.replace(/\D/g, "") }));
        const a = resolved.users[0];

        report.stage("whole chat");
        const whole = await client.invoke(new Api.messages.GetHistory({
            peer: a, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 100, maxId: 0, minId: 0, hash: 0,
        }));
        const texts = Array.from({ length: count }, (_, i) => `page ${String(i).padStart(2, "0")}`).reverse();
        const seen = whole.messages.map((m) => m.message);
        report.check("whole.texts", JSON.stringify(seen) === JSON.stringify(texts), JSON.stringify(seen));
        if (seen.length !== count) return;
        const full = whole.messages.map((m) => [m.id, m.date]);

        report.stage("getMessages combinations");
        for (const [name, params, want] of combinations(full)) {
            const page = await client.getMessages(a, params);
            const got = page.map((m) => m.id);
            report.check(`page.${name}`, JSON.stringify(got) === JSON.stringify(want),
                `${JSON.stringify(params)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
            report.check(`total.${name}`, page.total === count, `total ${page.total}`);
        }
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, { "--phone-a": "phoneA", "--phone-b": "phoneB", "--count": "count" },
    { phoneA: null, phoneB: null, count: "50" });
