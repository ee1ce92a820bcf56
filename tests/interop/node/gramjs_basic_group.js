// GramJS (npm `telegram` 2.26.22): a member's side of a basic group on chappe.
//
// C logs in (--phone; signs up as "GramJS" if the number is new), prints {"phase": 1} and
// waits for a line holding {"chat_id": ...} on stdin (Telethon created the group with C in
// it and posted; kurigram replied). Then getMessages on the group must show the "created"
// service message, Telethon's and kurigram's texts in order, kurigram's replying to
// Telethon's (ids of C's own box); C posts, then renames the
// group with messages.editChatTitle.
//
// Usage: node gramjs_basic_group.js --phone P [--transport full|...]
"use strict";

const { Api } = require("telegram");
const bigInt = require("big-integer");
const g = require("./gramjs_client");

const FIRST = "hello from telethon";
const KURIGRAM = "reply from kurigram";
const MINE = "hello from gramjs";
const NEW_TITLE = "Renamed by GramJS";

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!g.checkVersions(report)) return;
    const client = g.makeClient(args, report);
    try {
        const me = await g.logInTestNumber(client, report, args.phone);

        report.stage("waiting for the group");
        const line = await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) });
        const chatId = bigInt(String(JSON.parse(line).chat_id));
        const peer = new Api.PeerChat({ chatId });

        report.stage("getMessages");
        const history = (await client.getMessages(peer, { limit: 10 })).reverse();
        const seen = history.map((m) => (m.action ? m.action.className : m.message));
        report.note("history", seen);
        report.check("history.order",
            JSON.stringify(seen) === JSON.stringify(["MessageActionChatCreate", FIRST, KURIGRAM]),
            `history ${JSON.stringify(seen)}`);
        report.check("history.incoming", history.every((m) => !m.out), "a message is out");
        // kurigram's reply points at this box's own copy of Telethon's message.
        const replyTo = history.length === 3 && history[2].replyTo ? history[2].replyTo.replyToMsgId : null;
        report.check("history.reply", history.length === 3 && replyTo === history[1].id,
            `reply_to ${replyTo}, want ${history.length === 3 ? history[1].id : "?"}`);

        report.stage("sendMessage");
        const sent = await client.sendMessage(peer, { message: MINE });
        report.check("send.id", sent && sent.id > history[history.length - 1].id,
            `sent id ${sent && sent.id}`);

        report.stage("messages.editChatTitle");
        const updates = await client.invoke(new Api.messages.EditChatTitle({ chatId, title: NEW_TITLE }));
        const chat = (updates.chats || []).find((c) => c.id.toString() === chatId.toString());
        report.check("title.chat", !!chat && chat.title === NEW_TITLE, `chats ${JSON.stringify((updates.chats || []).map((c) => c.title))}`);
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, { "--phone": "phone" }, { phone: null });
