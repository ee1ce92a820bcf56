"""Telethon 1.45: both Telethon sides of the channel interop test.

--role admin: A logs in (--phone), creates a broadcast channel and a supergroup with
channels.createChannel, gives both usernames (channels.updateUsername) and prints
{"phase": 1, "channel": ..., "group": ...}. After a line on stdin (everyone joined) it posts
to the channel and prints {"phase": 2}; after another line (the others posted in the group)
the group's history must hold the kurigram and GramJS posts.

--role subscriber: S logs in, prints {"phase": 1} and waits for the usernames; joins both
with channels.joinChannel (by username) and prints {"phase": 2}; after a line (A posted)
its events.NewMessage handler must have seen the post (pushed as updateNewChannelMessage)
and the channel's history must hold it.
"""

import asyncio
import json
import sys

import common
from telethon_client import main, new_client

from telethon import events, functions, types, utils

WAIT = 20.0
POST = "first post from telethon"
KURIGRAM = "kurigram in the group"
GRAMJS = "gramjs in the group"


async def wait_until(condition, timeout):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def next_line(phase):
    print(json.dumps(phase), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise RuntimeError("the harness closed stdin instead of answering")
    return line


async def admin(args, report, client):
    created = {}
    for kind, name in (("broadcast", args.channel), ("megagroup", args.group)):
        report.stage(f"channels.createChannel({kind})")
        updates = await client(functions.channels.CreateChannelRequest(
            title=f"Interop {kind}", about="chappe interop", broadcast=kind == "broadcast",
            megagroup=kind == "megagroup"))
        channels = [c for c in updates.chats if isinstance(c, types.Channel)]
        if not report.check(f"create.{kind}", len(channels) == 1, f"chats {updates.chats!r}"):
            return
        channel = channels[0]
        report.check(f"create.{kind}.flags", channel.creator and channel.broadcast ==
                     (kind == "broadcast") and channel.megagroup == (kind == "megagroup"),
                     f"channel {channel!r}")
        report.stage(f"channels.updateUsername({kind})")
        ok = await client(functions.channels.UpdateUsernameRequest(channel=channel, username=name))
        report.check(f"username.{kind}", ok is True, f"answer {ok!r}")
        created[kind] = channel

    await next_line({"phase": 1, "channel": args.channel, "group": args.group})

    report.stage("post to the channel")
    sent = await client.send_message(created["broadcast"], POST)
    report.check("post.peer", isinstance(sent.peer_id, types.PeerChannel)
                 and sent.peer_id.channel_id == created["broadcast"].id, f"peer {sent.peer_id!r}")
    report.check("post.out", sent.out and sent.post, f"out {sent.out}, post {sent.post}")
    await next_line({"phase": 2})

    report.stage("group history")
    history = await client.get_messages(created["megagroup"], limit=10)
    texts = [m.text for m in history if not m.action][::-1]
    report.note("group_history", texts)
    report.check("group.posts", sorted(texts) == sorted([KURIGRAM, GRAMJS]), f"history {texts!r}")
    report.stage("channels.getParticipants")
    participants = await client(functions.channels.GetParticipantsRequest(
        channel=created["megagroup"], filter=types.ChannelParticipantsRecent(), offset=0,
        limit=10, hash=0))
    report.check("group.members", participants.count == 4, f"count {participants.count}")


async def subscriber(args, report, client):
    received = []

    @client.on(events.NewMessage(incoming=True))
    async def on_message(event):
        received.append((event.chat_id, event.raw_text))

    line = await next_line({"phase": 1})
    names = json.loads(line)
    joined = {}
    for kind in ("channel", "group"):
        report.stage(f"channels.joinChannel({kind})")
        result = await client(functions.channels.JoinChannelRequest(channel=names[kind]))
        # Layer 229 wraps the Updates in messages.chatInviteJoinResultOk.
        report.check(f"join.{kind}.result", isinstance(result, types.messages.ChatInviteJoinResultOk),
                     f"joinChannel -> {type(result).__name__}")
        updates = getattr(result, "updates", result)
        channels = [c for c in updates.chats if isinstance(c, types.Channel)]
        report.check(f"join.{kind}", len(channels) == 1 and not channels[0].left,
                     f"chats {updates.chats!r}")
        if channels:
            joined[kind] = channels[0]
    await next_line({"phase": 2})

    channel = joined.get("channel")
    if channel is None:
        return
    report.stage("events")
    marked = utils.get_peer_id(types.PeerChannel(channel.id))
    got = await wait_until(lambda: (marked, POST) in received, WAIT)
    report.check("events.new_channel_message", got, f"NewMessage saw {received!r}")
    report.stage("history")
    history = await client.get_messages(channel, limit=10)
    texts = [m.text for m in history if not m.action]
    report.check("history.post", texts == [POST], f"history {texts!r}")


async def run(args, report, server_key):
    client = new_client(args, server_key)
    report.stage("login")
    await client.connect()
    await client.send_code_request(args.phone)
    code = args.phone.lstrip("+")[5] * 5
    me = await client.sign_in(args.phone, code)
    if not isinstance(me, types.User):
        me = await client.sign_up(code, "Telethon")
    report.note("user_id", me.id)
    try:
        if args.role == "admin":
            await admin(args, report, client)
        else:
            await subscriber(args, report, client)
    finally:
        await client.disconnect()


def options(parser):
    parser.add_argument("--phone", required=True)
    parser.add_argument("--role", choices=["admin", "subscriber"], required=True)
    parser.add_argument("--channel", default="chappe_interop_news")
    parser.add_argument("--group", default="chappe_interop_group")


if __name__ == "__main__":
    main(run, options)
