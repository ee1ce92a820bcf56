"""Telethon 1.45: the admin's side of the channel edit interop test.

A logs in (--phone), creates a broadcast channel with channels.createChannel, gives it the
username --channel, exports an invite link (messages.exportChatInvite) and prints
{"phase": 1, "channel": ..., "link": ...}. After a line on stdin (the subscribers joined and
listen) it posts --text to the channel, edits the post to --edited (messages.editMessage;
the answer must carry updateEditChannelMessage with edit_date set, and editing to the same
text must fail with MESSAGE_NOT_MODIFIED) and prints {"phase": 2, "message_id": ...}. After
another line it revokes the link (messages.editExportedChatInvite revoked) and prints
{"phase": 3}; after a last line the channel history must show the edited text.
"""

import common
from telethon_client import main, new_client

from telethon import errors, functions, types


async def admin(args, report, client):
    report.stage("channels.createChannel")
    created = await client(functions.channels.CreateChannelRequest(
        title="Interop edits", about="chappe interop", broadcast=True))
    channels = [c for c in created.chats if isinstance(c, types.Channel)]
    if not report.check("create", len(channels) == 1, f"chats {created.chats!r}"):
        return
    channel = channels[0]
    report.stage("channels.updateUsername")
    ok = await client(functions.channels.UpdateUsernameRequest(channel=channel,
                                                               username=args.channel))
    report.check("username", ok is True, f"answer {ok!r}")
    report.stage("messages.exportChatInvite")
    peer = types.InputPeerChannel(channel.id, channel.access_hash)
    invite = await client(functions.messages.ExportChatInviteRequest(peer=peer))
    report.check("invite.link", isinstance(invite, types.ChatInviteExported)
                 and "/+" in invite.link, f"exported {invite!r}")
    await common.wait_for_harness({"phase": 1, "channel": args.channel, "link": invite.link})

    report.stage("post")
    sent = await client.send_message(channel, args.text)
    report.check("post.flags", sent.out and sent.post, f"out {sent.out}, post {sent.post}")
    report.stage("messages.editMessage")
    result = await client(functions.messages.EditMessageRequest(
        peer=peer, id=sent.id, message=args.edited))
    edits = [u for u in getattr(result, "updates", [])
             if isinstance(u, types.UpdateEditChannelMessage)]
    report.check("edit.update", len(edits) == 1, f"answer {result!r}")
    if edits:
        message = edits[0].message
        report.check("edit.message", message.id == sent.id and message.message == args.edited
                     and message.edit_date is not None, f"edited {message!r}")
    await common.expect_rpc_error(
        report, "edit.not_modified",
        client(functions.messages.EditMessageRequest(peer=peer, id=sent.id,
                                                     message=args.edited)),
        errors.MessageNotModifiedError, code=400)
    await common.wait_for_harness({"phase": 2, "message_id": sent.id})

    report.stage("messages.editExportedChatInvite(revoked)")
    revoked = await client(functions.messages.EditExportedChatInviteRequest(
        peer=peer, link=invite.link, revoked=True))
    report.check("revoke", isinstance(revoked, types.messages.ExportedChatInvite)
                 and revoked.invite.revoked, f"answer {revoked!r}")
    await common.wait_for_harness({"phase": 3})

    report.stage("history")
    history = await client.get_messages(channel, limit=10)
    texts = [m.text for m in history if not m.action]
    report.check("history.edited", texts == [args.edited], f"history {texts!r}")


async def run(args, report, server_key):
    client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    code = common.test_code(args.phone)
    me = await client.sign_in(args.phone, code)
    if not isinstance(me, types.User):
        me = await client.sign_up(code, "Telethon")
    report.note("user_id", me.id)
    try:
        await admin(args, report, client)
    finally:
        await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--channel", default="chappe_interop_edits")
    parser.add_argument("--text", required=True)
    parser.add_argument("--edited", required=True)


if __name__ == "__main__":
    main(run, options)
