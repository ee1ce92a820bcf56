//! The command hook for code delivery, with real (tiny) programs.

use std::time::Duration;

use chappe_core::{CodeDelivery, CommandDelivery, DeliveryError, LoggingDelivery};

#[tokio::test]
async fn command_delivery_reports_each_outcome() {
    let ok = CommandDelivery::new("true", Duration::from_secs(10));
    assert!(ok.deliver("15550001", "12345", None).await.is_ok());

    let failing = CommandDelivery::new("false", Duration::from_secs(10));
    let err = failing.deliver("15550001", "12345", None).await;
    assert!(matches!(err, Err(DeliveryError::Failed(_))), "{err:?}");

    let missing = CommandDelivery::new("/nonexistent/chappe-hook", Duration::from_secs(10));
    let err = missing.deliver("15550001", "12345", None).await;
    assert!(matches!(err, Err(DeliveryError::Spawn(_))), "{err:?}");

    // `sleep <phone> <code>` sleeps for their sum: far past the limit.
    let slow = CommandDelivery::new("sleep", Duration::from_millis(50));
    let err = slow.deliver("100000", "1", None).await;
    assert!(matches!(err, Err(DeliveryError::TimedOut)), "{err:?}");

    assert!(LoggingDelivery.deliver("1", "2", Some(3)).await.is_ok());
}
