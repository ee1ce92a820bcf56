//! [`RedbStore`]: the embedded backend, one redb file.
//!
//! redb is synchronous, so every operation runs on tokio's blocking pool
//! (`runner`) or, for message writes, on the batching writer thread
//! (`batch_writer`); each table group lives in its own sub-module with its
//! table definition and value format, and `tables` creates them all. This
//! file is the `Store` impl: one delegation per method.

mod auth_keys;
mod batch_writer;
mod box_tables;
mod channels;
mod chats;
mod codec;
mod codes;
mod contacts;
mod devices;
mod edits;
mod group_commit;
mod invites;
mod messages;
mod meta;
mod migrate;
mod passwords;
mod runner;
mod secrets;
mod sessions;
mod tables;
mod terms;
mod users;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use redb::{Database, Durability, WriteTransaction};

use batch_writer::BatchWriter;
use group_commit::GroupCommit;

use crate::{
    AuthKeyRecord, BlockedRecord, ContactRecord, PasswordRecord, PhoneCodeRecord, SessionRecord,
    Store, StoreError, UserRecord, DEFAULT_USER_ID_BASE, SECRET_LEN,
};

/// Settings fixed when a [`RedbStore`] is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// The first user id handed out in a fresh database (later ids follow
    /// the stored counter, so changing it affects only a new file).
    pub user_id_base: i64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            user_id_base: DEFAULT_USER_ID_BASE,
        }
    }
}

/// The embedded [`Store`]: a single redb database file.
///
/// Cheap to clone (the database handle is shared). Requires a tokio runtime,
/// since operations run on its blocking pool.
#[derive(Clone)]
pub struct RedbStore {
    db: Arc<Database>,
    /// The sync barrier of `db`'s grouped writes, see [`group_commit`].
    commits: Arc<GroupCommit>,
    /// The writer thread that batches the hottest writes, see [`batch_writer`].
    batch: Arc<BatchWriter>,
    options: StoreOptions,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore").finish_non_exhaustive()
    }
}

impl RedbStore {
    /// Opens the database at `path`, creating the file and its tables if
    /// missing (the parent directory must exist).
    ///
    /// Blocks: it does file I/O and, after a crash, redb's recovery. Call it
    /// at startup or from `spawn_blocking`. Fails with
    /// [`StoreError::UnsupportedSchema`] on a file from a newer chappe.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, StoreOptions::default())
    }

    /// [`RedbStore::open`] with explicit [`StoreOptions`].
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(StoreError::backend)?;
        write_txn(&db, |txn| {
            tables::create_all(txn)?;
            meta::check_or_init_schema(txn)
        })?;
        let db = Arc::new(db);
        Ok(Self {
            batch: Arc::new(BatchWriter::start(Arc::clone(&db))?),
            db,
            commits: Arc::default(),
            options,
        })
    }

    /// How many durable commits group commit has run since this store was
    /// opened: with concurrent writers, fewer than the writes it covered.
    /// Writes still on [`write_txn`] (immediate, one fsync each) are not
    /// counted. For tests and benchmarks.
    pub fn group_syncs(&self) -> u64 {
        self.commits.syncs()
    }
}

/// Runs `body` in a write transaction committed with immediate durability:
/// when this returns `Ok`, the change is on disk. On `Err` the transaction is
/// dropped, which aborts it. Each call pays its own fsync under redb's writer
/// lock; the frequent writes go through [`RedbStore::run_write`] instead.
fn write_txn<T>(
    db: &Database,
    body: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut txn = db.begin_write().map_err(StoreError::backend)?;
    txn.set_durability(Durability::Immediate)
        .map_err(StoreError::backend)?;
    let out = body(&txn)?;
    txn.commit().map_err(StoreError::backend)?;
    Ok(out)
}

#[async_trait]
impl Store for RedbStore {
    async fn create_channel(
        &self,
        new: crate::channels::NewChannel,
    ) -> Result<crate::channels::ChannelWrite, StoreError> {
        self.run(move |db| channels::create(db, &new)).await
    }

    async fn get_channel(
        &self,
        id: i64,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError> {
        self.run(move |db| channels::get(db, id)).await
    }

    async fn channel_by_username(
        &self,
        username: &str,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError> {
        let username = username.to_owned();
        self.run(move |db| channels::by_username(db, &username))
            .await
    }

    async fn channel_participant(
        &self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<crate::channels::ChannelParticipant>, StoreError> {
        self.run(move |db| channels::participant(db, channel_id, user_id))
            .await
    }

    async fn channel_participants(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError> {
        self.run(move |db| channels::participants(db, channel_id, after_user, limit))
            .await
    }

    async fn channel_participants_of(
        &self,
        channel_id: i64,
        user_ids: &[i64],
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError> {
        let user_ids = user_ids.to_vec();
        self.run(move |db| channels::participants_of(db, channel_id, &user_ids))
            .await
    }

    async fn channel_member_ids(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError> {
        self.run(move |db| channels::member_ids(db, channel_id, after_user, limit))
            .await
    }

    async fn change_channel(
        &self,
        channel_id: i64,
        by: i64,
        change: crate::channels::ChannelChange,
        date: i64,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>
    {
        self.run(move |db| channels::change(db, channel_id, by, &change, date))
            .await
    }

    async fn send_channel_message(
        &self,
        new: crate::channels::NewChannelMessage,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>
    {
        self.batch
            .write(move |tables| channels::send(tables, &new))
            .await
    }

    async fn edit_channel_message(
        &self,
        channel_id: i64,
        edit: crate::MessageEdit,
    ) -> Result<crate::channel_edit::ChannelEditOutcome, StoreError> {
        self.run(move |db| {
            write_txn(db, |txn| {
                crate::channel_edit::edit(
                    &mut box_tables::BoxTables::new(txn),
                    &mut channels::Channels(txn),
                    channel_id,
                    &edit,
                )
            })
        })
        .await
    }

    async fn put_invite(&self, record: crate::invites::InviteRecord) -> Result<(), StoreError> {
        self.run(move |db| invites::put(db, &record)).await
    }

    async fn get_invite(
        &self,
        hash: &str,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError> {
        let hash = hash.to_owned();
        self.run(move |db| invites::get(db, &hash)).await
    }

    async fn use_invite(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Result<crate::invites::InviteRecord, crate::invites::InviteRefusal>, StoreError>
    {
        let hash = hash.to_owned();
        self.run(move |db| invites::use_once(db, &hash, now)).await
    }

    async fn edit_invite(
        &self,
        hash: &str,
        edit: crate::invites::InviteEdit,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError> {
        let hash = hash.to_owned();
        self.run(move |db| invites::edit(db, &hash, &edit)).await
    }

    async fn invites_of(
        &self,
        peer: crate::Peer,
        admin_id: Option<i64>,
    ) -> Result<Vec<crate::invites::InviteRecord>, StoreError> {
        self.run(move |db| invites::of_peer(db, peer, admin_id))
            .await
    }

    async fn delete_revoked_invite(&self, hash: &str) -> Result<bool, StoreError> {
        let hash = hash.to_owned();
        self.run(move |db| invites::delete_revoked(db, &hash)).await
    }

    async fn delete_revoked_invites(
        &self,
        peer: crate::Peer,
        admin_id: i64,
    ) -> Result<usize, StoreError> {
        self.run(move |db| invites::delete_all_revoked(db, peer, admin_id))
            .await
    }

    async fn put_terms_acceptance(
        &self,
        user_id: i64,
        record: crate::TermsAcceptance,
    ) -> Result<(), StoreError> {
        self.run(move |db| terms::put(db, user_id, &record)).await
    }

    async fn terms_acceptance(
        &self,
        user_id: i64,
    ) -> Result<Option<crate::TermsAcceptance>, StoreError> {
        self.run(move |db| terms::get(db, user_id)).await
    }

    async fn put_device(&self, record: crate::DeviceRecord) -> Result<(), StoreError> {
        self.run(move |db| devices::put(db, &record)).await
    }

    async fn delete_device(
        &self,
        user_id: i64,
        auth_key_id: i64,
        token_type: i32,
        token: &str,
    ) -> Result<bool, StoreError> {
        let token = token.to_owned();
        self.run(move |db| devices::delete(db, (user_id, auth_key_id, token_type), &token))
            .await
    }

    async fn devices_of_user(&self, user_id: i64) -> Result<Vec<crate::DeviceRecord>, StoreError> {
        self.run(move |db| devices::of_user(db, user_id)).await
    }

    async fn delete_devices_of_auth_key(
        &self,
        user_id: i64,
        auth_key_id: i64,
    ) -> Result<usize, StoreError> {
        self.run(move |db| devices::delete_of_auth_key(db, user_id, auth_key_id))
            .await
    }

    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError> {
        self.run_write(move |db| auth_keys::put(&db, &record)).await
    }

    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
        self.run(move |db| auth_keys::get(db, id)).await
    }

    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError> {
        self.run(move |db| auth_keys::delete(db, id)).await
    }

    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError> {
        self.run_write(move |db| sessions::put(&db, &record)).await
    }

    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        self.run(move |db| sessions::get(db, auth_key_id, session_id))
            .await
    }

    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError> {
        self.run(move |db| sessions::list(db, auth_key_id)).await
    }

    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError> {
        self.run(move |db| sessions::delete(db, auth_key_id, session_id))
            .await
    }

    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError> {
        let name = name.to_owned();
        self.run(move |db| secrets::get_or_init(db, &name)).await
    }

    async fn bind_auth_key(&self, auth_key_id: i64, user_id: i64) -> Result<(), StoreError> {
        self.run_write(move |db| auth_keys::bind(&db, auth_key_id, user_id))
            .await
    }

    async fn unbind_auth_key(&self, auth_key_id: i64) -> Result<Option<i64>, StoreError> {
        self.run_write(move |db| auth_keys::unbind(&db, auth_key_id))
            .await
    }

    async fn bind_temp_auth_key(
        &self,
        temp_id: i64,
        perm_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.run_write(move |db| auth_keys::bind_temp(&db, temp_id, perm_id))
            .await
    }

    async fn auth_keys_of_user(&self, user_id: i64) -> Result<Vec<AuthKeyRecord>, StoreError> {
        self.run(move |db| auth_keys::of_user(db, user_id)).await
    }

    async fn create_user(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<UserRecord, StoreError> {
        let (phone, first, last) = (
            phone.to_owned(),
            first_name.to_owned(),
            last_name.to_owned(),
        );
        let base = self.options.user_id_base;
        self.run_write(move |db| users::create(&db, base, &phone, &first, &last, now))
            .await
    }

    async fn create_user_bound(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
        auth_key_id: i64,
    ) -> Result<UserRecord, StoreError> {
        let (phone, first, last) = (
            phone.to_owned(),
            first_name.to_owned(),
            last_name.to_owned(),
        );
        let base = self.options.user_id_base;
        self.run_write(move |db| {
            users::create_bound(&db, base, &phone, &first, &last, now, auth_key_id)
        })
        .await
    }

    async fn get_user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        self.run_user_read(move |db| users::get(db, id)).await
    }

    async fn get_users(&self, ids: &[i64]) -> Result<Vec<UserRecord>, StoreError> {
        let ids = ids.to_vec();
        self.run_user_read(move |db| users::get_many(db, &ids))
            .await
    }

    async fn user_by_phone(&self, phone: &str) -> Result<Option<UserRecord>, StoreError> {
        let phone = phone.to_owned();
        self.run(move |db| users::by_phone(db, &phone)).await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let username = username.to_owned();
        self.run(move |db| users::by_username(db, &username)).await
    }

    async fn update_user(&self, record: UserRecord) -> Result<(), StoreError> {
        self.run(move |db| users::update(db, &record)).await
    }

    async fn list_users(&self, after_id: i64, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        self.run(move |db| users::list(db, after_id, limit)).await
    }

    async fn search_users(&self, query: &str, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        let query = query.to_owned();
        self.run(move |db| users::search(db, &query, limit)).await
    }

    async fn put_phone_code(&self, record: PhoneCodeRecord) -> Result<(), StoreError> {
        self.run(move |db| codes::put(db, &record)).await
    }

    async fn get_phone_code(
        &self,
        phone_code_hash: &str,
    ) -> Result<Option<PhoneCodeRecord>, StoreError> {
        let hash = phone_code_hash.to_owned();
        self.run(move |db| codes::get(db, &hash)).await
    }

    async fn delete_phone_code(&self, phone_code_hash: &str) -> Result<bool, StoreError> {
        let hash = phone_code_hash.to_owned();
        self.run(move |db| codes::delete(db, &hash)).await
    }

    async fn purge_phone_codes(&self, now: i64) -> Result<usize, StoreError> {
        self.run(move |db| codes::purge(db, now)).await
    }

    async fn put_contact(&self, owner: i64, contact: ContactRecord) -> Result<(), StoreError> {
        self.run(move |db| contacts::put(db, owner, &contact)).await
    }

    async fn delete_contact(&self, owner: i64, user_id: i64) -> Result<bool, StoreError> {
        self.run(move |db| contacts::delete(db, owner, user_id))
            .await
    }

    async fn list_contacts(&self, owner: i64) -> Result<Vec<ContactRecord>, StoreError> {
        self.run(move |db| contacts::list(db, owner)).await
    }

    async fn contact_owners_of(&self, user_id: i64) -> Result<Vec<i64>, StoreError> {
        self.run(move |db| contacts::owners_of(db, user_id)).await
    }

    // BLOCKED is written only by these two immediate commits, which is what
    // lets `is_blocked` (on every send) skip the durability wait. Moving
    // them to `run_write` means moving `is_blocked` back to `run`.
    async fn block(&self, owner: i64, target: i64, now: i64) -> Result<bool, StoreError> {
        self.run(move |db| contacts::block(db, owner, target, now))
            .await
    }

    async fn unblock(&self, owner: i64, target: i64) -> Result<bool, StoreError> {
        self.run(move |db| contacts::unblock(db, owner, target))
            .await
    }

    async fn list_blocked(
        &self,
        owner: i64,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<BlockedRecord>, usize), StoreError> {
        self.run(move |db| contacts::list_blocked(db, owner, offset, limit))
            .await
    }

    async fn is_blocked(&self, owner: i64, target: i64) -> Result<bool, StoreError> {
        self.run_durable_read(move |db| contacts::is_blocked(db, owner, target))
            .await
    }

    async fn put_password(&self, user_id: i64, record: PasswordRecord) -> Result<(), StoreError> {
        self.run(move |db| passwords::put(db, user_id, &record))
            .await
    }

    async fn get_password(&self, user_id: i64) -> Result<Option<PasswordRecord>, StoreError> {
        self.run(move |db| passwords::get(db, user_id)).await
    }

    async fn delete_password(&self, user_id: i64) -> Result<bool, StoreError> {
        self.run(move |db| passwords::delete(db, user_id)).await
    }

    async fn send_private_message(
        &self,
        message: crate::NewPrivateMessage,
    ) -> Result<crate::SentPrivateMessage, StoreError> {
        self.batch
            .write(move |tables| messages::send_private(tables, &message))
            .await
    }

    async fn send_private_checked(
        &self,
        message: crate::NewPrivateMessage,
    ) -> Result<Result<crate::SentPrivateMessage, crate::PrivateSendRefusal>, StoreError> {
        self.batch
            .write(move |tables| messages::send_private_checked(tables, &message))
            .await
    }

    async fn create_chat(
        &self,
        new: crate::chats::NewChat,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        self.run(move |db| chats::create(db, &new)).await
    }

    async fn migrate_chat(
        &self,
        chat_id: i64,
        by: i64,
        date: i64,
    ) -> Result<Result<crate::chats::ChatMigration, crate::chats::ChatRefusal>, StoreError> {
        self.run(move |db| migrate::migrate(db, chat_id, by, date))
            .await
    }

    async fn get_chat(&self, id: i64) -> Result<Option<crate::chats::ChatRecord>, StoreError> {
        self.run(move |db| chats::get_chat(db, id)).await
    }

    async fn chat_participants(
        &self,
        chat_id: i64,
    ) -> Result<Vec<crate::chats::ChatParticipant>, StoreError> {
        self.run(move |db| chats::participants(db, chat_id)).await
    }

    async fn change_chat(
        &self,
        chat_id: i64,
        by: i64,
        change: crate::chats::ChatChange,
        date: i64,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        self.run(move |db| chats::change(db, chat_id, by, &change, date))
            .await
    }

    async fn send_chat_message(
        &self,
        new: crate::chats::NewChatMessage,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        self.batch
            .write(move |tables| chats::send(tables, &new))
            .await
    }

    async fn read_chat_history(
        &self,
        owner: i64,
        chat_id: i64,
        max_id: i32,
        now: i64,
    ) -> Result<crate::chats::ChatReadOutcome, StoreError> {
        self.run(move |db| chats::read(db, owner, chat_id, max_id, now))
            .await
    }

    async fn box_state(&self, owner: i64) -> Result<crate::BoxState, StoreError> {
        self.run(move |db| messages::box_state(db, owner)).await
    }

    async fn updates_after(
        &self,
        owner: i64,
        after_pts: i32,
        limit: usize,
    ) -> Result<Vec<crate::UpdateEntry>, StoreError> {
        self.run(move |db| messages::updates_after(db, owner, after_pts, limit))
            .await
    }

    async fn get_messages(
        &self,
        owner: i64,
        ids: &[i32],
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        let ids = ids.to_vec();
        self.run(move |db| messages::get_messages(db, owner, &ids))
            .await
    }

    async fn history(
        &self,
        owner: i64,
        query: crate::HistoryQuery,
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        self.run(move |db| messages::history(db, owner, &query))
            .await
    }

    async fn history_count(&self, owner: i64, peer: crate::Peer) -> Result<usize, StoreError> {
        self.run(move |db| messages::history_count(db, owner, peer))
            .await
    }

    async fn get_dialog(
        &self,
        owner: i64,
        peer: crate::Peer,
    ) -> Result<Option<crate::DialogRecord>, StoreError> {
        self.run(move |db| messages::get_dialog(db, owner, peer))
            .await
    }

    async fn list_dialogs(&self, owner: i64) -> Result<Vec<crate::DialogRecord>, StoreError> {
        self.run(move |db| messages::list_dialogs(db, owner)).await
    }

    async fn read_history(
        &self,
        owner: i64,
        peer: crate::Peer,
        max_id: i32,
        now: i64,
    ) -> Result<crate::ReadOutcome, StoreError> {
        self.run_write(move |db| messages::read_history(&db, owner, peer, max_id, now))
            .await
    }

    async fn edit_private_message(
        &self,
        edit: crate::MessageEdit,
    ) -> Result<crate::EditOutcome, StoreError> {
        self.run(move |db| edits::edit_private(db, &edit)).await
    }

    async fn delete_private_messages(
        &self,
        owner: i64,
        ids: Vec<i32>,
        revoke: bool,
        now: i64,
    ) -> Result<crate::DeleteOutcome, StoreError> {
        self.run(move |db| edits::delete_private(db, owner, &ids, revoke, now))
            .await
    }

    async fn send_private_messages(
        &self,
        messages: Vec<crate::NewPrivateMessage>,
    ) -> Result<Vec<crate::SentPrivateMessage>, StoreError> {
        self.run(move |db| edits::send_many(db, &messages)).await
    }

    async fn put_draft(
        &self,
        owner: i64,
        peer: crate::Peer,
        draft: Option<crate::DraftRecord>,
    ) -> Result<(), StoreError> {
        self.run(move |db| edits::put_draft(db, owner, peer, draft.as_ref()))
            .await
    }

    async fn list_drafts(
        &self,
        owner: i64,
    ) -> Result<Vec<(crate::Peer, crate::DraftRecord)>, StoreError> {
        self.run(move |db| edits::list_drafts(db, owner)).await
    }

    async fn pinned_dialogs(&self, owner: i64) -> Result<Vec<crate::Peer>, StoreError> {
        self.run(move |db| edits::pinned_dialogs(db, owner)).await
    }

    async fn set_pinned_dialogs(
        &self,
        owner: i64,
        peers: Vec<crate::Peer>,
    ) -> Result<(), StoreError> {
        self.run(move |db| edits::set_pinned_dialogs(db, owner, &peers))
            .await
    }
}
