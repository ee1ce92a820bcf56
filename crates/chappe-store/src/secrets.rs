//! Server secrets: small named random values made on first use and kept
//! forever (e.g. the secret server salts are derived from).

use crate::StoreError;

/// Length of every server secret in bytes.
pub const SECRET_LEN: usize = 32;

/// Longest secret name accepted, in bytes.
pub const SECRET_NAME_MAX_LEN: usize = 64;

/// Rejects names no backend should have to store.
pub(crate) fn check_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty() || name.len() > SECRET_NAME_MAX_LEN {
        return Err(StoreError::InvalidSecretName);
    }
    Ok(())
}

/// Draws a fresh secret from the operating system's generator.
pub(crate) fn fresh_secret() -> Result<[u8; SECRET_LEN], StoreError> {
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(secret)
}
