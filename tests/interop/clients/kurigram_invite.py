"""kurigram 2.2, the member's side of the invite-link test, with the public API only:
log in (test number), join_chat(--link) (messages.importChatInvite), find the group in
get_dialogs, then send --text to it.
"""

import common
import pyrogram_common

import pyrogram
from pyrogram import enums


async def run(args, report, server_key):
    client = pyrogram_common.make_client(args, server_key)
    await pyrogram_common.connect(report, client)
    report.stage("send_code / sign_in")
    sent = await client.send_code(args.phone)
    me = await client.sign_in(args.phone, sent.phone_code_hash, common.test_code(args.phone))
    if not isinstance(me, pyrogram.types.User):
        raise RuntimeError(f"sign_in answered {me!r}")
    report.stage("join_chat(invite link)")
    joined = await client.join_chat(args.link)
    chat = getattr(joined, "chat", None)
    report.check("join.supergroup", chat is not None and chat.type == enums.ChatType.SUPERGROUP,
                 f"join_chat -> {joined!r}")
    if chat is None:
        raise RuntimeError(f"join_chat did not join: {joined!r}")
    # join_chat's result (layer 229's chatInviteJoinResultOk) does not go through
    # kurigram's peer cache, so the group's access hash comes from the dialog list.
    report.stage("get_dialogs")
    dialogs = [d async for d in client.get_dialogs()]
    report.check("dialogs.group", any(d.chat.id == chat.id for d in dialogs),
                 f"dialogs {[d.chat.id for d in dialogs]}")
    report.stage("send_message")
    sent = await client.send_message(chat.id, args.text)
    report.check("send", sent.text == args.text, f"sent {sent.text!r}")
    await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--link", required=True)
    parser.add_argument("--text", required=True)


if __name__ == "__main__":
    pyrogram_common.main(["abridged"], run, options)
