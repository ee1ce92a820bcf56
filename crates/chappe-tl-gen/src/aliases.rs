//! Constructors of one type that Telegram's servers also accept where another type is
//! expected. Pyrogram and its forks pass the `InputPeer` from `resolve_peer` wherever an
//! `InputUser` or `InputChannel` goes (`channels.joinChannel(channel=inputPeerChannel)`,
//! `users.getFullUser(id=inputPeerUser)`), and Telegram takes it, so chappe must too.
//!
//! An alias is honoured only where its fields are exactly the target constructor's
//! (same types, same flags), so decoding the alias's body as the target is exact.

use crate::schema::{Def, QualName, Schema};

/// (expected type, constructor sent instead, constructor it stands for).
const ALIASES: &[(&str, &str, &str)] = &[
    ("InputUser", "inputPeerEmpty", "inputUserEmpty"),
    ("InputUser", "inputPeerSelf", "inputUserSelf"),
    ("InputUser", "inputPeerUser", "inputUser"),
    (
        "InputUser",
        "inputPeerUserFromMessage",
        "inputUserFromMessage",
    ),
    ("InputChannel", "inputPeerEmpty", "inputChannelEmpty"),
    ("InputChannel", "inputPeerChannel", "inputChannel"),
    (
        "InputChannel",
        "inputPeerChannelFromMessage",
        "inputChannelFromMessage",
    ),
];

/// The aliases the decoder of `ty` accepts: (alias constructor id, target constructor).
pub fn for_type<'s>(schema: &'s Schema, ty: &QualName) -> Vec<(u32, &'s Def)> {
    if !ty.ns.is_empty() {
        return Vec::new();
    }
    ALIASES
        .iter()
        .filter(|(expected, _, _)| *expected == ty.name)
        .filter_map(|(_, alias, target)| {
            let alias = schema.constructor(&QualName::new(&[], alias))?;
            let target = schema.constructor(&QualName::new(&[], target))?;
            (alias.params == target.params).then_some((alias.id, target))
        })
        .collect()
}
