// GramJS (npm `telegram` 2.26.22): a subscriber's side of the channel interop test.
//
// G logs in (--phone; signs up as "GramJS" if the number is new), prints {"phase": 1} and
// waits for a line holding {"channel": ..., "group": ...} (two usernames). It joins both
// with channels.joinChannel (GramJS resolves the usernames with contacts.resolveUsername)
// and prints {"phase": 2}; after another line (Telethon posted to the channel) getMessages
// on the channel must hold the post, and G posts to the supergroup.
//
// Usage: node gramjs_channels.js --phone P [--transport full|...]
"use strict";

const { Api } = require("telegram");
const g = require("./gramjs_client");

const POST = "first post from telethon";
const MINE = "gramjs in the group";

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!g.checkVersions(report)) return;
    const client = g.makeClient(args, report);
    try {
        const me = await g.logInTestNumber(client, report, args.phone);

        const names = JSON.parse(await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) }));
        const joined = {};
        for (const kind of ["channel", "group"]) {
            report.stage(`channels.joinChannel(${kind})`);
            const updates = await client.invoke(new Api.channels.JoinChannel({ channel: names[kind] }));
            const channel = (updates.chats || []).find((c) => c.className === "Channel");
            report.check(`join.${kind}`, !!channel && !channel.left,
                `chats ${JSON.stringify((updates.chats || []).map((c) => c.className))}`);
            joined[kind] = channel;
        }
        await g.waitForHarness({ phase: 2 });

        report.stage("getMessages(channel)");
        const history = await client.getMessages(names.channel, { limit: 10 });
        const texts = history.filter((m) => !m.action).map((m) => m.message);
        report.note("history", texts);
        report.check("history.post", JSON.stringify(texts) === JSON.stringify([POST]),
            `history ${JSON.stringify(texts)}`);
        report.check("history.post_flag", history.filter((m) => !m.action).every((m) => m.post),
            "a post lacks the post flag");

        report.stage("sendMessage(group)");
        const sent = await client.sendMessage(names.group, { message: MINE });
        report.check("send.group", !!sent && sent.message === MINE, `sent ${sent && sent.message}`);
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, { "--phone": "phone" }, { phone: null });
