"""Telethon 1.45: a repeated random_id gives one message (test_catch_up.py).

A and B log in (--phone-a, --phone-b). A sends the raw messages.sendMessage(B, text,
random_id=R) twice with the same R, as a client does when it resends after a lost answer.
Both answers must name the same message id (updateShortSentMessage.id, or the
updateMessageID for R in an Updates), and B's and A's history must each hold one copy.
"""

import random

import common
from telethon_client import main, new_client

from telethon import functions, types


async def log_in(report, client, phone, tag):
    report.stage(f"{tag}: login")
    await client.connect()
    await client.send_code_request(phone)
    user = await client.sign_in(phone, common.test_code(phone))
    report.note(f"{tag}_user_id", user.id)
    return user


async def resolve(client, phone):
    resolved = await client(functions.contacts.ResolvePhoneRequest(phone=phone.lstrip("+")))
    return resolved.users[0]


def sent_id(answer, random_id):
    """The message id an answer to messages.sendMessage names."""
    if isinstance(answer, types.UpdateShortSentMessage):
        return answer.id
    for update in getattr(answer, "updates", []):
        if isinstance(update, types.UpdateMessageID) and update.random_id == random_id:
            return update.id
    return None


async def run(args, report, server_key):
    a = new_client(args, server_key)
    b = new_client(args, server_key)
    await log_in(report, a, args.phone_a, "a")
    await log_in(report, b, args.phone_b, "b")
    peer_b = await resolve(a, args.phone_b)
    peer_a = await resolve(b, args.phone_a)

    text = f"once {random.getrandbits(32):08x}"
    random_id = random.getrandbits(63)
    report.stage("messages.sendMessage twice with one random_id")
    first = await a(functions.messages.SendMessageRequest(peer=peer_b, message=text,
                                                          random_id=random_id))
    second = await a(functions.messages.SendMessageRequest(peer=peer_b, message=text,
                                                           random_id=random_id))
    first_id, second_id = sent_id(first, random_id), sent_id(second, random_id)
    report.note("answers", [type(first).__name__, type(second).__name__])
    report.check("send.first_id", first_id is not None, f"first answer {first!r}")
    report.check("send.same_id", first_id == second_id,
                 f"first answer names {first_id}, second {second_id}")

    report.stage("history")
    theirs = [m for m in await b.get_messages(peer_a, limit=100) if m.message == text]
    mine = [m for m in await a.get_messages(peer_b, limit=100) if m.message == text]
    report.check("history.b_one_copy", len(theirs) == 1, f"B holds {len(theirs)} copies")
    report.check("history.a_one_copy", len(mine) == 1 and mine[0].id == first_id,
                 f"A holds {[m.id for m in mine]}, sent id {first_id}")
    await a.disconnect()
    await b.disconnect()


def options(parser):
    parser.add_argument("--phone-a", required=True)
    parser.add_argument("--phone-b", required=True)


if __name__ == "__main__":
    main(run, options)
