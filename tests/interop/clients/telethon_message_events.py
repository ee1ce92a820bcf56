"""Telethon 1.45: message events between two accounts on chappe, with the public API only.

A and B log in with test numbers (--phone-a, --phone-b) and find each other with
contacts.resolvePhone. A sends two messages to B. Then, each checked by the other side's
event handler (live pushes):
- A edits the first: B's events.MessageEdited fires with the new text;
- A deletes the second for both (revoke): B's events.MessageDeleted fires with B's id;
- B reads the chat: A's events.MessageRead fires for the outbox, up to A's first message;
- B shows "typing" with client.action(): A's events.UserUpdate fires with typing set.
Finally B's history holds only the edited message, B finds it with a text search in the
chat and across chats, and B forwards it to Saved Messages with A named as the author.
"""


import common
from telethon_client import log_in_test_number, main, new_client

from telethon import events, functions

WAIT = 15.0


async def resolve(client, phone):
    resolved = await client(functions.contacts.ResolvePhoneRequest(phone=phone.lstrip("+")))
    return resolved.users[0]


async def run(args, report, server_key):
    a = new_client(args, server_key)
    b = new_client(args, server_key)
    user_a = await log_in_test_number(report, a, args.phone_a, "a")
    user_b = await log_in_test_number(report, b, args.phone_b, "b")

    incoming, edited, deleted, read, typing = [], [], [], [], []

    @b.on(events.NewMessage(incoming=True))
    async def on_new(event):
        incoming.append(event.message.id)

    @b.on(events.MessageEdited())
    async def on_edit(event):
        edited.append((event.message.id, event.raw_text))

    @b.on(events.MessageDeleted())
    async def on_delete(event):
        deleted.extend(event.deleted_ids)

    @a.on(events.MessageRead(inbox=False))
    async def on_read(event):
        read.append(event.max_id)

    @a.on(events.UserUpdate())
    async def on_user(event):
        if event.user_id == user_b.id and event.typing:
            typing.append(event.user_id)

    peer_b = await resolve(a, args.phone_b)
    peer_a = await resolve(b, args.phone_a)
    report.check("resolve", (peer_b.id, peer_a.id) == (user_b.id, user_a.id),
                 f"resolved {peer_b.id}, {peer_a.id}")

    report.stage("a sends two messages")
    first = await a.send_message(peer_b, "helo from a")
    second = await a.send_message(peer_b, "this one goes")
    got = await common.wait_until(lambda: len(incoming) >= 2, WAIT)
    report.check("new.received", got, f"b's NewMessage saw {incoming!r}")
    b_first, b_second = (incoming + [None, None])[:2]

    report.stage("edit: a edits, b's MessageEdited fires")
    await a.edit_message(peer_b, first.id, "hello from a")
    got = await common.wait_until(lambda: edited, WAIT)
    report.check("edit.event", got and edited[0] == (b_first, "hello from a"),
                 f"b's MessageEdited saw {edited!r}")

    report.stage("delete: a revokes, b's MessageDeleted fires")
    await a.delete_messages(peer_b, [second.id], revoke=True)
    got = await common.wait_until(lambda: b_second in deleted, WAIT)
    report.check("delete.event", got, f"b's MessageDeleted saw {deleted!r}, want {b_second}")

    report.stage("read: b reads, a's MessageRead fires")
    await b.send_read_acknowledge(peer_a)
    got = await common.wait_until(lambda: read, WAIT)
    report.check("read.event", got and read[-1] >= first.id,
                 f"a's MessageRead saw {read!r}, want >= {first.id}")

    report.stage("typing: b types, a's UserUpdate fires")
    async with b.action(peer_a, "typing"):
        got = await common.wait_until(lambda: typing, WAIT)
    report.check("typing.event", got, "a's UserUpdate never saw b typing")

    report.stage("b's history and search")
    history = await b.get_messages(peer_a, limit=10)
    report.check("history.after", [(m.text, m.edit_date is not None) for m in history]
                 == [("hello from a", True)], f"{[m.text for m in history]!r}")
    found = await b.get_messages(peer_a, search="HELLO")
    report.check("search", [m.id for m in found] == [b_first], f"{[m.id for m in found]!r}")
    everywhere = await b.get_messages(None, search="hello", limit=10)
    report.check("search.global", [m.id for m in everywhere] == [b_first],
                 f"{[m.id for m in everywhere]!r}")

    report.stage("forward: b forwards a's message to Saved Messages")
    forwarded = await b.forward_messages("me", b_first, peer_a)
    header = forwarded.forward if forwarded else None
    author = getattr(getattr(header, "from_id", None), "user_id", None)
    report.check("forward.header", author == user_a.id,
                 f"forward header names {author}, want {user_a.id}")
    report.check("forward.text", forwarded is not None and forwarded.text == "hello from a",
                 f"{getattr(forwarded, 'text', None)!r}")

    await a.disconnect()
    await b.disconnect()


def options(parser):
    parser.add_argument("--phone-a", required=True)
    parser.add_argument("--phone-b", required=True)


if __name__ == "__main__":
    main(run, options)
