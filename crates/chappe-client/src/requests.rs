//! Everyday requests with the defaults a plain client sends, so callers name only what
//! matters: logging in with a code, and sending a text.

use chappe_tl::api::{enums, functions, types};

use crate::{Client, InvocationError};

/// `messages.sendMessage` of plain `text` to `peer` (no link preview, no entities).
pub fn send_text(
    peer: enums::InputPeer,
    text: impl Into<String>,
    random_id: i64,
) -> functions::messages::SendMessage {
    functions::messages::SendMessage {
        no_webpage: true,
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer,
        reply_to: None,
        message: text.into(),
        random_id,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        allow_paid_stars: None,
        suggested_post: None,
        rich_message: None,
    }
}

impl Client {
    /// Logs this connection's auth key in: `auth.sendCode` for `phone`, then
    /// `auth.signIn` with `code` (the server's answer, e.g. `authorizationSignUpRequired`
    /// or an rpc error such as SESSION_PASSWORD_NEEDED, is the caller's to handle).
    pub async fn sign_in_with_code(
        &self,
        phone: &str,
        code: &str,
    ) -> Result<enums::auth::Authorization, InvocationError> {
        let sent = self
            .invoke(&functions::auth::SendCode {
                phone_number: phone.to_owned(),
                api_id: 1,
                api_hash: "0".repeat(32),
                settings: enums::CodeSettings::CodeSettings(types::CodeSettings::default()),
            })
            .await?;
        let phone_code_hash = match sent {
            enums::auth::SentCode::SentCode(sent) => sent.phone_code_hash,
            // Already logged in by other means (future auth tokens): nothing to sign in.
            enums::auth::SentCode::SentCodeSuccess(done) => return Ok(done.authorization),
            enums::auth::SentCode::SentCodePaymentRequired(_) => {
                return Err(InvocationError::Rpc {
                    code: 400,
                    message: "PAYMENT_REQUIRED".into(),
                })
            }
        };
        self.invoke(&functions::auth::SignIn {
            phone_number: phone.to_owned(),
            phone_code_hash,
            phone_code: Some(code.to_owned()),
            email_verification: None,
        })
        .await
    }
}
