//! Results whose TL type changed between the layers chappe serves. Layer 229 made
//! `channels.joinChannel` answer `messages.ChatInviteJoinResult` instead of `Updates`, and
//! layers after 158 made `messages.createChat`, `messages.addChatUser` and
//! `channels.inviteToChannel` answer `messages.InvitedUsers`; a client expects the shape
//! of its own layer. [`OneOf`] sends the newer shape where the session's layer has it and
//! the older one otherwise, so handlers need not know layer numbers.

use chappe_tl::api::{enums, types};
use chappe_tl::layers::LayerEncode;
use chappe_tl::EncodeError;

/// `newer` if the layer can express it, else `older`.
pub(crate) struct OneOf<A, B> {
    newer: A,
    older: B,
}

impl<A: LayerEncode, B: LayerEncode> LayerEncode for OneOf<A, B> {
    fn encode_for_layer(&self, layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        match self.newer.encode_for_layer(layer, out) {
            Ok(()) => Ok(()),
            Err(_) => {
                out.truncate(start);
                self.older.encode_for_layer(layer, out)
            }
        }
    }
}

/// `messages.invitedUsers`, or its bare `Updates` for layers without the type.
pub(crate) fn invited_users(
    invited: enums::messages::InvitedUsers,
) -> OneOf<enums::messages::InvitedUsers, enums::Updates> {
    let enums::messages::InvitedUsers::InvitedUsers(inner) = &invited;
    let older = inner.updates.clone();
    OneOf {
        newer: invited,
        older,
    }
}

/// `messages.chatInviteJoinResultOk{updates}`, or the bare `Updates` for layers before it.
pub(crate) fn join_result(
    updates: enums::Updates,
) -> OneOf<enums::messages::ChatInviteJoinResult, enums::Updates> {
    OneOf {
        newer: enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(
            types::messages::ChatInviteJoinResultOk {
                updates: updates.clone(),
            },
        ),
        older: updates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chappe_tl::Deserializable;

    fn updates() -> enums::Updates {
        enums::Updates::UpdatesTooLong(types::UpdatesTooLong)
    }

    #[test]
    fn each_layer_gets_the_shape_it_knows() {
        let joined = join_result(updates());
        let mut new_layer = Vec::new();
        joined.encode_for_layer(230, &mut new_layer).expect("230");
        assert!(matches!(
            enums::messages::ChatInviteJoinResult::from_bytes(&new_layer),
            Ok(enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(_))
        ));
        let mut old_layer = Vec::new();
        joined.encode_for_layer(198, &mut old_layer).expect("198");
        assert_eq!(enums::Updates::from_bytes(&old_layer).ok(), Some(updates()));

        let invited = invited_users(enums::messages::InvitedUsers::InvitedUsers(
            types::messages::InvitedUsers {
                updates: updates(),
                missing_invitees: Vec::new(),
            },
        ));
        let mut layer_158 = Vec::new();
        invited.encode_for_layer(158, &mut layer_158).expect("158");
        assert_eq!(enums::Updates::from_bytes(&layer_158).ok(), Some(updates()));
        let mut layer_198 = Vec::new();
        invited.encode_for_layer(198, &mut layer_198).expect("198");
        assert!(enums::messages::InvitedUsers::from_bytes(&layer_198).is_ok());
    }
}
