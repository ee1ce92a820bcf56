// GramJS (npm `telegram` 2.26.22): a member's side of a basic group migrated to a supergroup.
//
// C logs in (--phone; signs up as "GramJS" if the number is new), prints {"phase": 1} and
// waits for a line holding {"chat_id": ..., "channel_id": ...} (Telethon created the group
// with C in it, migrated it and posted; kurigram posted). Then getDialogs must list the
// supergroup (a megagroup Channel), the old group must be deactivated with migrated_to
// naming it, the supergroup's history must hold Telethon's and kurigram's posts in order,
// and C posts there.
//
// Usage: node gramjs_migrate.js --phone P [--transport full|...]
"use strict";

const { Api } = require("telegram");
const g = require("./gramjs_client");

const TELETHON = "telethon in the supergroup";
const KURIGRAM = "kurigram in the supergroup";
const MINE = "gramjs in the supergroup";

async function run(args, report) {
    if (!args.phone) throw new Error("--phone is required");
    if (!g.checkVersions(report)) return;
    const client = g.makeClient(args, report);
    try {
        const me = await g.logInTestNumber(client, report, args.phone);

        const ids = JSON.parse(await g.waitForHarness({ phase: 1, user_id: Number(me.id.toString()) }));
        const channelId = String(ids.channel_id);
        const chatId = String(ids.chat_id);

        report.stage("getDialogs");
        const dialogs = await client.getDialogs({ limit: 20 });
        const found = dialogs.find((d) => d.entity && d.entity.className === "Channel"
            && d.entity.id.toString() === channelId);
        report.check("dialogs.supergroup", !!found && found.entity.megagroup,
            `dialogs ${JSON.stringify(dialogs.map((d) => d.entity && [d.entity.className, d.entity.id.toString()]))}`);
        if (!found) throw new Error("the supergroup is not in the chat list");
        const old = dialogs.find((d) => d.entity && d.entity.className === "Chat"
            && d.entity.id.toString() === chatId);
        report.check("dialogs.old_group", !!old && old.entity.deactivated && !!old.entity.migratedTo
            && old.entity.migratedTo.channelId.toString() === channelId,
            `old group ${old ? JSON.stringify({ deactivated: old.entity.deactivated }) : "missing"}`);

        report.stage("getMessages(supergroup)");
        const history = (await client.getMessages(found.entity, { limit: 10 })).reverse();
        const seen = history.map((m) => (m.action ? m.action.className : m.message));
        report.note("history", seen);
        report.check("history.order", JSON.stringify(seen) === JSON.stringify(
            ["MessageActionChannelMigrateFrom", TELETHON, KURIGRAM]), `history ${JSON.stringify(seen)}`);

        report.stage("sendMessage(supergroup)");
        const sent = await client.sendMessage(found.entity, { message: MINE });
        report.check("send.supergroup", !!sent && sent.message === MINE, `sent ${sent && sent.message}`);
    } finally {
        await g.destroy(client);
    }
}

g.runMain(run, { "--phone": "phone" }, { phone: null });
