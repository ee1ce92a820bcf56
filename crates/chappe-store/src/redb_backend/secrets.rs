//! The `secrets` table: secret name -> 32 random bytes.

use redb::{Database, ReadableTable, TableDefinition};

use super::write_txn;
use crate::secrets::{check_name, fresh_secret};
use crate::{StoreError, SECRET_LEN};

pub(super) const TABLE: TableDefinition<&str, [u8; SECRET_LEN]> = TableDefinition::new("secrets");

pub(super) fn get_or_init(db: &Database, name: &str) -> Result<[u8; SECRET_LEN], StoreError> {
    check_name(name)?;
    // Read and insert in one write transaction: redb serialises writers, so
    // two first callers cannot both draw (and disagree on) a secret.
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let existing = table
            .get(name)
            .map_err(StoreError::backend)?
            .map(|value| value.value());
        if let Some(secret) = existing {
            return Ok(secret);
        }
        let secret = fresh_secret()?;
        table.insert(name, secret).map_err(StoreError::backend)?;
        Ok(secret)
    })
}
