//! The `meta` table: facts about the database itself, for now the schema
//! version, so a later chappe can migrate and an older one refuses to touch
//! a newer file.
//!
//! Migration story: a version bump comes with a step here that turns a file
//! of the previous version into the new one inside the opening transaction,
//! so a crash mid-migration leaves the old file untouched.
//! - 1 -> 2 (accounts): adds the user, code, contact, block and password
//!   tables (created empty by `RedbStore::open`) and the `user_auth_keys`
//!   index, rebuilt from the auth key records. No existing row changes
//!   format.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::auth_keys;
use crate::StoreError;

const TABLE: TableDefinition<&str, u64> = TableDefinition::new("meta");
const SCHEMA_VERSION_KEY: &str = "schema_version";

/// The schema this build writes. Bump it with a migration when a table's key
/// or value format changes or a table or index is added.
pub(super) const SCHEMA_VERSION: u64 = 2;

/// Records the schema version in a new database, or checks an existing one
/// and migrates it to [`SCHEMA_VERSION`]. Must run after every table exists.
pub(super) fn check_or_init_schema(txn: &WriteTransaction) -> Result<(), StoreError> {
    let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table
        .get(SCHEMA_VERSION_KEY)
        .map_err(StoreError::backend)?
        .map(|value| value.value());
    match found {
        None => {}
        Some(SCHEMA_VERSION) => return Ok(()),
        Some(1) => auth_keys::rebuild_user_index(txn)?,
        Some(found) => {
            return Err(StoreError::UnsupportedSchema {
                found,
                supported: SCHEMA_VERSION,
            })
        }
    }
    table
        .insert(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
        .map_err(StoreError::backend)?;
    Ok(())
}
