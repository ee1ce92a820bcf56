//! Delivering login codes: the [`CodeDelivery`] trait and its
//! implementations. [`LoggingDelivery`] writes the code to the log (for
//! development); [`CommandDelivery`] runs an operator-configured program
//! (an SMS gateway script, say). A URL hook is later work.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use async_trait::async_trait;

/// Why a code could not be delivered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The hook program could not be started.
    #[error("could not start the delivery command: {0}")]
    Spawn(#[source] std::io::Error),
    /// The hook program failed.
    #[error("delivery command failed: {0}")]
    Failed(ExitStatus),
    /// The hook program ran past its time limit and was killed.
    #[error("delivery command timed out")]
    TimedOut,
    /// The message to the account's logged-in devices could not be stored.
    #[error("in-app delivery failed: {0}")]
    InApp(String),
}

/// Sends a login code to a phone number.
#[async_trait]
pub trait CodeDelivery: Send + Sync + 'static {
    /// Delivers `code` to `phone` (digits only). `existing_user` is the
    /// account the number belongs to, if any (a delivery could then use the
    /// user's other sessions). Must not take long: it is awaited inside
    /// `auth.sendCode`.
    async fn deliver(
        &self,
        phone: &str,
        code: &str,
        existing_user: Option<i64>,
    ) -> Result<(), DeliveryError>;
}

/// Writes codes to the log at `info` level. For development only: anyone
/// who reads the log can log in as anyone.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoggingDelivery;

#[async_trait]
impl CodeDelivery for LoggingDelivery {
    async fn deliver(
        &self,
        phone: &str,
        code: &str,
        existing_user: Option<i64>,
    ) -> Result<(), DeliveryError> {
        tracing::info!(phone, code, ?existing_user, "login code (logging delivery)");
        Ok(())
    }
}

/// Runs `program <phone> <code>` and waits for it to exit successfully,
/// killing it after `timeout`. Its output is discarded. Note that command
/// arguments are visible to other local users (`ps`).
#[derive(Clone, Debug)]
pub struct CommandDelivery {
    program: PathBuf,
    timeout: Duration,
}

impl CommandDelivery {
    /// A hook running `program` with at most `timeout` per delivery.
    pub fn new(program: impl Into<PathBuf>, timeout: Duration) -> Self {
        Self {
            program: program.into(),
            timeout,
        }
    }
}

#[async_trait]
impl CodeDelivery for CommandDelivery {
    async fn deliver(
        &self,
        phone: &str,
        code: &str,
        _existing_user: Option<i64>,
    ) -> Result<(), DeliveryError> {
        let mut child = tokio::process::Command::new(&self.program)
            .arg(phone)
            .arg(code)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(DeliveryError::Spawn)?;
        match tokio::time::timeout(self.timeout, child.wait()).await {
            Err(_elapsed) => {
                // kill_on_drop also covers this, but reap it now.
                let _ = child.kill().await;
                Err(DeliveryError::TimedOut)
            }
            Ok(Err(err)) => Err(DeliveryError::Spawn(err)),
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => Err(DeliveryError::Failed(status)),
        }
    }
}
