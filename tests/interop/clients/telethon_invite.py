"""Telethon 1.45, the admin's side of the invite-link test, with raw requests for what the
public API has no helper for.

--mode create: log in (test number), create a private supergroup (channels.createChannel
megagroup, no username) titled --title, export an invite link (messages.exportChatInvite)
and print it as the report's "link".
--mode verify: log in again, find the supergroup by title in get_dialogs and check that its
history holds --expect-text (posted by the member who joined with the link) and that it has
two participants.
"""

import common
from telethon_client import log_in_test_number, main, new_client

from telethon import functions, types


async def create(args, report, client):
    report.stage("channels.createChannel (megagroup)")
    created = await client(functions.channels.CreateChannelRequest(
        title=args.title, about="", megagroup=True))
    channel = next(c for c in created.chats if isinstance(c, types.Channel))
    report.stage("messages.exportChatInvite")
    invite = await client(functions.messages.ExportChatInviteRequest(
        peer=types.InputPeerChannel(channel.id, channel.access_hash)))
    report.check("invite.link", isinstance(invite, types.ChatInviteExported)
                 and "/+" in invite.link, f"exported {invite!r}")
    report.note("link", invite.link)


async def verify(args, report, client):
    report.stage("get_dialogs")
    dialogs = await client.get_dialogs()
    groups = [d for d in dialogs if d.is_group and d.name == args.title]
    report.check("dialog.found", len(groups) == 1, f"dialogs {[d.name for d in dialogs]}")
    if not groups:
        return
    report.stage("get_messages")
    texts = [m.message for m in await client.get_messages(groups[0].entity, limit=10)]
    report.check("history.member_post", args.expect_text in texts, f"history {texts!r}")
    full = await client(functions.channels.GetFullChannelRequest(groups[0].entity))
    report.check("participants", full.full_chat.participants_count == 2,
                 f"participants_count {full.full_chat.participants_count}")


async def run(args, report, server_key):
    client = new_client(args, server_key)
    await log_in_test_number(report, client, args.phone, "admin")
    if args.mode == "create":
        await create(args, report, client)
    else:
        await verify(args, report, client)
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--mode", choices=("create", "verify"), required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--expect-text")


if __name__ == "__main__":
    main(run, options)
