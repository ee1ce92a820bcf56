//! Login codes as Telegram sends them to an account that is logged in somewhere: a
//! message from the service account 777000 ("Telegram") to the account's own chat with
//! it, pushed to its live sessions. [`ServiceMessageDelivery`] is a
//! [`chappe_core::CodeDelivery`], so the account service uses it beside the operator's
//! hook without knowing about messages.

use std::sync::Arc;

use async_trait::async_trait;
use chappe_core::{CodeDelivery, DeliveryError, Messaging};

use crate::{send_service_message, UpdateFanout};

/// Unix seconds now; the server passes its clock, tests a fixed time.
pub type UnixClock = fn() -> i64;

/// Delivers codes of existing accounts as a message from 777000. Numbers without an
/// account have nobody to message and are left to the other deliveries.
pub struct ServiceMessageDelivery {
    messaging: Arc<Messaging>,
    fanout: Arc<dyn UpdateFanout>,
    clock: UnixClock,
}

impl ServiceMessageDelivery {
    pub fn new(messaging: Arc<Messaging>, fanout: Arc<dyn UpdateFanout>, clock: UnixClock) -> Self {
        Self {
            messaging,
            fanout,
            clock,
        }
    }
}

/// The text of a login-code message. Clients show it as is; people copy the digits.
pub fn login_code_text(code: &str) -> String {
    format!(
        "Login code: {code}\n\nSomeone, hopefully you, asked to log in to your account on \
         another device. Never give this code to anyone; nobody from this service will \
         ask you for it.\n\nIf it was not you, ignore this message: without the code nobody \
         can log in."
    )
}

#[async_trait]
impl CodeDelivery for ServiceMessageDelivery {
    async fn deliver(
        &self,
        _phone: &str,
        code: &str,
        existing_user: Option<i64>,
    ) -> Result<(), DeliveryError> {
        let Some(user) = existing_user else {
            return Ok(());
        };
        let now = (self.clock)();
        send_service_message(
            &self.messaging,
            &*self.fanout,
            user,
            &login_code_text(code),
            now,
        )
        .await
        .map_err(|e| DeliveryError::InApp(e.message))
    }
}
