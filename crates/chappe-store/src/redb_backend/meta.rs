//! The `meta` table: facts about the database itself, for now the schema
//! version, so a later chappe can migrate and an older one refuses to touch
//! a newer file.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::StoreError;

const TABLE: TableDefinition<&str, u64> = TableDefinition::new("meta");
const SCHEMA_VERSION_KEY: &str = "schema_version";

/// The schema this build writes. Bump it with a migration when a table's key
/// or value format changes.
pub(super) const SCHEMA_VERSION: u64 = 1;

/// Records the schema version in a new database, or checks an existing one.
pub(super) fn check_or_init_schema(txn: &WriteTransaction) -> Result<(), StoreError> {
    let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table
        .get(SCHEMA_VERSION_KEY)
        .map_err(StoreError::backend)?
        .map(|value| value.value());
    match found {
        None => {
            table
                .insert(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
                .map_err(StoreError::backend)?;
            Ok(())
        }
        Some(SCHEMA_VERSION) => Ok(()),
        Some(found) => Err(StoreError::UnsupportedSchema {
            found,
            supported: SCHEMA_VERSION,
        }),
    }
}
