//! Contacts and blocks.

use chappe_store::{BlockedRecord, ContactRecord, UserRecord};

use super::Accounts;
use crate::phone::normalize;
use crate::AccountError;

/// One contact the client asks to import (`inputPhoneContact`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedContact {
    /// The client's own id for the entry, echoed back.
    pub client_id: i64,
    /// The phone number, in any common format.
    pub phone: String,
    /// The first name the owner gives the contact.
    pub first_name: String,
    /// The last name the owner gives the contact.
    pub last_name: String,
}

/// What an import did (`contacts.importedContacts`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportedContacts {
    /// (client id, user id) for every entry that matched an account.
    pub imported: Vec<(i64, i64)>,
    /// Client ids left unprocessed because the batch was too big; the
    /// client may send them again.
    pub retry_contacts: Vec<i64>,
    /// The matched accounts.
    pub users: Vec<UserRecord>,
}

/// A user's contact list with the accounts it points at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactList {
    /// The entries, ordered by user id.
    pub contacts: Vec<ContactRecord>,
    /// The accounts of those entries.
    pub users: Vec<UserRecord>,
}

/// A page of a user's block list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockedList {
    /// The entries on this page, ordered by user id.
    pub blocked: Vec<BlockedRecord>,
    /// The accounts of those entries.
    pub users: Vec<UserRecord>,
    /// How many users are blocked in all.
    pub total: usize,
}

impl Accounts {
    /// `contacts.importContacts`: adds every entry whose phone number has an
    /// account (other than the owner's own); unknown and malformed numbers
    /// are skipped.
    pub async fn import_contacts(
        &self,
        owner: i64,
        contacts: Vec<ImportedContact>,
        now: i64,
    ) -> Result<ImportedContacts, AccountError> {
        let mut out = ImportedContacts::default();
        let max = self.config.max_contacts_import;
        for (index, entry) in contacts.into_iter().enumerate() {
            if index >= max {
                out.retry_contacts.push(entry.client_id);
                continue;
            }
            let Ok(phone) = normalize(&entry.phone) else {
                continue;
            };
            let Some(user) = self.store.user_by_phone(&phone).await? else {
                continue;
            };
            if user.id == owner || user.banned {
                continue;
            }
            let first_name = if entry.first_name.trim().is_empty() {
                user.first_name.clone()
            } else {
                entry.first_name.trim().to_owned()
            };
            let record = ContactRecord {
                user_id: user.id,
                first_name,
                last_name: entry.last_name.trim().to_owned(),
                added_at: now,
            };
            self.store.put_contact(owner, record).await?;
            out.imported.push((entry.client_id, user.id));
            if !out.users.iter().any(|known| known.id == user.id) {
                out.users.push(user);
            }
        }
        Ok(out)
    }

    /// `contacts.addContact`: adds an account the owner already knows by id.
    pub async fn add_contact(
        &self,
        owner: i64,
        user_id: i64,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<UserRecord, AccountError> {
        let user = self.contact_target(owner, user_id).await?;
        let first_name = match first_name.trim() {
            "" => user.first_name.clone(),
            name => name.to_owned(),
        };
        let record = ContactRecord {
            user_id,
            first_name,
            last_name: last_name.trim().to_owned(),
            added_at: now,
        };
        self.store.put_contact(owner, record).await?;
        Ok(user)
    }

    /// An account other than `owner`, or [`AccountError::ContactIdInvalid`].
    async fn contact_target(&self, owner: i64, user_id: i64) -> Result<UserRecord, AccountError> {
        if user_id == owner {
            return Err(AccountError::ContactIdInvalid);
        }
        self.store
            .get_user(user_id)
            .await?
            .ok_or(AccountError::ContactIdInvalid)
    }

    /// `contacts.getContacts`.
    pub async fn contacts(&self, owner: i64) -> Result<ContactList, AccountError> {
        let contacts = self.store.list_contacts(owner).await?;
        let ids: Vec<i64> = contacts.iter().map(|c| c.user_id).collect();
        let users = self.store.get_users(&ids).await?;
        Ok(ContactList { contacts, users })
    }

    /// `contacts.deleteContacts`: answers the ids that were contacts.
    pub async fn delete_contacts(&self, owner: i64, ids: &[i64]) -> Result<Vec<i64>, AccountError> {
        let mut deleted = Vec::new();
        for &id in ids {
            if self.store.delete_contact(owner, id).await? {
                deleted.push(id);
            }
        }
        Ok(deleted)
    }

    /// Who has `user_id` as a contact (for status propagation).
    pub async fn contact_owners_of(&self, user_id: i64) -> Result<Vec<i64>, AccountError> {
        Ok(self.store.contact_owners_of(user_id).await?)
    }

    /// `contacts.block`: answers whether the user was newly blocked.
    pub async fn block(&self, owner: i64, target: i64, now: i64) -> Result<bool, AccountError> {
        self.contact_target(owner, target).await?;
        Ok(self.store.block(owner, target, now).await?)
    }

    /// `contacts.unblock`: answers whether the user was blocked.
    pub async fn unblock(&self, owner: i64, target: i64) -> Result<bool, AccountError> {
        Ok(self.store.unblock(owner, target).await?)
    }

    /// Whether `owner` blocked `target`.
    pub async fn is_blocked(&self, owner: i64, target: i64) -> Result<bool, AccountError> {
        Ok(self.store.is_blocked(owner, target).await?)
    }

    /// `contacts.getBlocked`: a page of at most `limit` (capped by the
    /// configured page size).
    pub async fn blocked(
        &self,
        owner: i64,
        offset: usize,
        limit: usize,
    ) -> Result<BlockedList, AccountError> {
        let limit = limit.min(self.config.max_page);
        let (blocked, total) = self.store.list_blocked(owner, offset, limit).await?;
        let ids: Vec<i64> = blocked.iter().map(|b| b.user_id).collect();
        let users = self.store.get_users(&ids).await?;
        Ok(BlockedList {
            blocked,
            users,
            total,
        })
    }
}
