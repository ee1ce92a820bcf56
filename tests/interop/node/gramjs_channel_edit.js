// GramJS (npm `telegram` 2.26.22): a subscriber's side of the channel edit interop test.
//
// G logs in (--phone; signs up as "GramJS" if the number is new), listens with an
// EditedMessage handler, prints {"phase": 1} and waits for a line holding {"channel": ...}
// (a username). It joins with channels.joinChannel and prints {"phase": 2}; after another
// line holding {"message_id": ...} (Telethon posted and edited) getMessages of that id must
// show --edited with an edit date. Whether the EditedMessage event came too is noted (GramJS
// keeps no channel pts, so the pushed update is not what this checks).
//
// Usage: node gramjs_channel_edit.js --phone P --edited TEXT [--transport full|...]
"use strict";

const { Api } = require("telegram");
const { EditedMessage } = require("telegram/events/EditedMessage");
const g = require("./gramjs_client");

const WAIT_MS = 10000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(condition, ms) {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
    }
    return true;
}

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!args.edited) throw new Error("--edited is required");
    if (!g.checkVersions(report)) return;
    const client = g.makeClient(args, report);
    const edited = [];
    try {
        const me = await g.logInTestNumber(client, report, args.phone);
        client.addEventHandler((event) => {
            edited.push({ id: event.message.id, text: event.message.message });
        }, new EditedMessage({}));

        const names = JSON.parse(await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) }));
        report.stage("channels.joinChannel");
        const updates = await client.invoke(new Api.channels.JoinChannel({ channel: names.channel }));
        const channel = (updates.chats || []).find((c) => c.className === "Channel");
        report.check("join.channel", !!channel && !channel.left,
            `chats ${JSON.stringify((updates.chats || []).map((c) => c.className))}`);
        const posted = JSON.parse(await g.waitForHarness({ phase: 2 }));

        report.stage("getMessages(edited post)");
        const found = await client.getMessages(names.channel, { ids: [posted.message_id] });
        const message = found && found[0];
        report.check("getMessages.edited",
            !!message && message.message === args.edited && !!message.editDate && message.post,
            `message ${message ? JSON.stringify({ text: message.message, editDate: message.editDate }) : "none"}`);
        const seen = await waitUntil(
            () => edited.some((e) => e.id === posted.message_id && e.text === args.edited), WAIT_MS);
        report.note("edit_event", seen);
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, { "--phone": "phone", "--edited": "edited" }, { phone: null, edited: null });
