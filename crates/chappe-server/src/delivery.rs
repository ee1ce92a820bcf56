//! How login codes leave the server: as a message from the service account to the
//! account's logged-in devices (when the number has an account), the configured hook, the
//! log in development mode.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chappe_core::{CodeDelivery, CommandDelivery, DeliveryError, LoggingDelivery};

use crate::ServerConfig;

/// Longest a delivery hook may run.
const HOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Every configured way of delivering a code; a delivery succeeds if all of them do.
struct Deliveries(Vec<Arc<dyn CodeDelivery>>);

#[async_trait]
impl CodeDelivery for Deliveries {
    async fn deliver(
        &self,
        phone: &str,
        code: &str,
        existing_user: Option<i64>,
    ) -> Result<(), DeliveryError> {
        for delivery in &self.0 {
            delivery.deliver(phone, code, existing_user).await?;
        }
        Ok(())
    }
}

/// The deliveries `config` asks for, after `in_app` (the service-account message) when
/// given. With no hook, codes are logged, or nobody could log in with a number that is not
/// a test number and has no logged-in device.
pub fn from_config(
    config: &ServerConfig,
    in_app: Option<Arc<dyn CodeDelivery>>,
) -> Arc<dyn CodeDelivery> {
    let mut deliveries: Vec<Arc<dyn CodeDelivery>> = in_app.into_iter().collect();
    if let Some(program) = &config.code_hook {
        deliveries.push(Arc::new(CommandDelivery::new(program, HOOK_TIMEOUT)));
    }
    if config.dev || config.code_hook.is_none() {
        deliveries.push(Arc::new(LoggingDelivery));
    }
    Arc::new(Deliveries(deliveries))
}
