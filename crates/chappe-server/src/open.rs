//! Opening a data directory's store and account service outside a running server, for the
//! admin commands (`chappe user ...`), built with the same file name and secrets `serve`
//! uses so the ids and hashes they show match what clients see.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chappe_core::{AccessHashes, Accounts, AccountsConfig, CodeDelivery, LoggingDelivery};
use chappe_store::{RedbStore, Store, StoreError};
use rand::RngExt;

/// File name of the embedded store inside the data directory (the same as `serve`'s).
pub const STORE_FILE: &str = "chappe.redb";
/// Name of the server secret per-viewer access hashes are derived from (as `serve`).
pub const ACCESS_HASH_SECRET: &str = "access_hash";

/// Why a data directory could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process (normally `chappe serve`) holds the store open; the embedded store
    /// allows one process at a time.
    #[error("the store {0} is open in another process")]
    InUse(PathBuf),
    #[error("opening the store: {0}")]
    Store(#[from] StoreError),
}

/// The store file of a data directory.
pub fn store_path(data_dir: &Path) -> PathBuf {
    data_dir.join(STORE_FILE)
}

/// Opens (creating if needed) the embedded store of `data_dir`.
pub fn open_store(data_dir: &Path) -> Result<Arc<dyn Store>, OpenError> {
    let path = store_path(data_dir);
    match RedbStore::open(&path) {
        Ok(store) => Ok(Arc::new(store)),
        Err(err) if is_locked(&err) => Err(OpenError::InUse(path)),
        Err(err) => Err(err.into()),
    }
}

/// An account service over `store` configured as `serve` configures it, except that login
/// codes (which admin tools never send) would only be logged.
pub async fn accounts(store: Arc<dyn Store>) -> Result<Accounts, StoreError> {
    accounts_with(store, Arc::new(LoggingDelivery)).await
}

/// The account service over `store`, delivering login codes through `delivery`.
pub async fn accounts_with(
    store: Arc<dyn Store>,
    delivery: Arc<dyn CodeDelivery>,
) -> Result<Accounts, StoreError> {
    let hashes = AccessHashes::new(store.get_or_init_secret(ACCESS_HASH_SECRET).await?);
    Ok(Accounts::new(
        store,
        AccountsConfig::default(),
        hashes,
        rand::rng().random(),
        delivery,
    ))
}

/// Whether opening failed because another process holds the file's lock. The store boxes
/// the engine's error, so this reads redb's message ("Database already open"); the e2e
/// test of `chappe user` against a running server keeps it honest across redb upgrades.
fn is_locked(err: &StoreError) -> bool {
    match err {
        StoreError::Backend(source) => source.to_string().contains("already open"),
        _ => false,
    }
}
