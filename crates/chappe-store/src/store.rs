//! The [`Store`] trait every backend implements.

use async_trait::async_trait;

use crate::{
    AuthKeyRecord, BlockedRecord, ContactRecord, PasswordRecord, PhoneCodeRecord, SessionRecord,
    StoreError, UserRecord, SECRET_LEN,
};

/// chappe's persistence boundary.
///
/// Object-safe, so the server holds an `Arc<dyn Store>`. Every write returns
/// only once the change is durable. Lookups of missing rows answer `Ok(None)`
/// (or `Ok(false)` for deletes), never an error.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    // ---- auth keys and sessions ----

    /// Inserts or replaces the auth key with `record.id`, keeping the
    /// user -> auth keys index in step with `record.user_id`.
    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError>;

    /// The auth key with this id, if stored. Expired temporary keys are still
    /// returned; the caller decides what expiry means.
    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError>;

    /// Deletes the auth key and, in the same transaction, all its sessions
    /// and its entry in the user -> auth keys index. Answers whether the key
    /// existed.
    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError>;

    /// Marks the auth key as logged in to `user_id` (replacing any previous
    /// user) and indexes it under the user, in one transaction. Fails with
    /// [`StoreError::AuthKeyNotFound`] or [`StoreError::UserNotFound`].
    async fn bind_auth_key(&self, auth_key_id: i64, user_id: i64) -> Result<(), StoreError>;

    /// Logs the auth key out (clears its user and the index entry). Answers
    /// the user it was bound to, if any; a missing key answers `None`.
    async fn unbind_auth_key(&self, auth_key_id: i64) -> Result<Option<i64>, StoreError>;

    /// Binds the temporary key `temp_id` to the permanent key `perm_id`
    /// (`auth.bindTempAuthKey`: the temporary key then carries the permanent
    /// key's login). A permanent key has at most one bound temporary key, so
    /// the one bound before loses its binding in the same transaction; it is
    /// answered, so caches can drop it. Fails with
    /// [`StoreError::AuthKeyNotFound`] when either key is missing.
    async fn bind_temp_auth_key(
        &self,
        temp_id: i64,
        perm_id: i64,
    ) -> Result<Option<i64>, StoreError>;

    /// Every auth key bound to the user, ordered by auth key id.
    async fn auth_keys_of_user(&self, user_id: i64) -> Result<Vec<AuthKeyRecord>, StoreError>;

    /// Inserts or replaces the session `(record.auth_key_id,
    /// record.session_id)`. Fails with [`StoreError::AuthKeyNotFound`] when
    /// the auth key is not stored, so no session outlives its key.
    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError>;

    /// The session, if stored.
    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError>;

    /// All sessions of an auth key, ordered by session id.
    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError>;

    /// Deletes one session. Answers whether it existed.
    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError>;

    /// The server secret called `name`, drawn from the OS random generator
    /// and stored durably the first time it is asked for. Concurrent first
    /// calls all get the same value.
    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError>;

    // ---- users ----

    /// Creates an account with the next id from the durable counter (which
    /// starts at the backend's base and skips
    /// [`crate::SERVICE_USER_ID`]). The phone check and the insert are one
    /// transaction; a taken phone fails with [`StoreError::PhoneTaken`].
    async fn create_user(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<UserRecord, StoreError>;

    /// [`Store::create_user`] and [`Store::bind_auth_key`] of the new
    /// account to `auth_key_id`, in one transaction (a sign-up is then one
    /// durable commit). Fails with [`StoreError::PhoneTaken`] or
    /// [`StoreError::AuthKeyNotFound`] and then changes nothing, the id
    /// counter included.
    async fn create_user_bound(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
        auth_key_id: i64,
    ) -> Result<UserRecord, StoreError>;

    /// The user, if stored.
    async fn get_user(&self, id: i64) -> Result<Option<UserRecord>, StoreError>;

    /// The stored users among `ids`, in the order asked (missing ids and
    /// repeats are skipped).
    async fn get_users(&self, ids: &[i64]) -> Result<Vec<UserRecord>, StoreError>;

    /// The user with this phone number (digits only), if any.
    async fn user_by_phone(&self, phone: &str) -> Result<Option<UserRecord>, StoreError>;

    /// The user with this username, ignoring ASCII case, if any.
    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError>;

    /// Replaces the user with `record.id`, moving the phone and username
    /// index entries in the same transaction. Fails with
    /// [`StoreError::UserNotFound`], [`StoreError::PhoneTaken`] or
    /// [`StoreError::UsernameTaken`] (and then changes nothing).
    async fn update_user(&self, record: UserRecord) -> Result<(), StoreError>;

    /// Up to `limit` users with ids above `after_id`, ordered by id.
    async fn list_users(&self, after_id: i64, limit: usize) -> Result<Vec<UserRecord>, StoreError>;

    /// Up to `limit` users whose username, first or last name starts with
    /// `query` (ignoring case), ordered by id. A bounded scan of the first
    /// [`crate::SEARCH_SCAN_LIMIT`] users for now; an empty query finds
    /// nobody.
    async fn search_users(&self, query: &str, limit: usize) -> Result<Vec<UserRecord>, StoreError>;

    // ---- login codes ----

    /// Inserts or replaces the code with `record.phone_code_hash`.
    async fn put_phone_code(&self, record: PhoneCodeRecord) -> Result<(), StoreError>;

    /// The code with this hash, if stored (expired codes too).
    async fn get_phone_code(
        &self,
        phone_code_hash: &str,
    ) -> Result<Option<PhoneCodeRecord>, StoreError>;

    /// Deletes the code. Answers whether it existed (so a delete can serve
    /// as the atomic "use" of a code).
    async fn delete_phone_code(&self, phone_code_hash: &str) -> Result<bool, StoreError>;

    /// Deletes every code with `expires_at <= now` (and any damaged row).
    /// Answers how many went. Meant for a periodic timer: codes that are
    /// never used would otherwise stay forever.
    async fn purge_phone_codes(&self, now: i64) -> Result<usize, StoreError>;

    // ---- contacts and blocks ----

    /// Inserts or replaces `owner`'s contact entry for `contact.user_id`
    /// and the reverse index entry, in one transaction.
    async fn put_contact(&self, owner: i64, contact: ContactRecord) -> Result<(), StoreError>;

    /// Removes the contact and its reverse index entry. Answers whether it
    /// existed.
    async fn delete_contact(&self, owner: i64, user_id: i64) -> Result<bool, StoreError>;

    /// `owner`'s contacts, ordered by user id.
    async fn list_contacts(&self, owner: i64) -> Result<Vec<ContactRecord>, StoreError>;

    /// The users who have `user_id` as a contact, ordered by id.
    async fn contact_owners_of(&self, user_id: i64) -> Result<Vec<i64>, StoreError>;

    /// Adds `target` to `owner`'s block list (keeping the first block time
    /// if already blocked). Answers whether it was newly blocked.
    async fn block(&self, owner: i64, target: i64, now: i64) -> Result<bool, StoreError>;

    /// Removes `target` from the block list. Answers whether it was there.
    async fn unblock(&self, owner: i64, target: i64) -> Result<bool, StoreError>;

    /// A page of `owner`'s block list ordered by user id, plus the total
    /// number of blocked users.
    async fn list_blocked(
        &self,
        owner: i64,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<BlockedRecord>, usize), StoreError>;

    /// Whether `owner` blocked `target`.
    async fn is_blocked(&self, owner: i64, target: i64) -> Result<bool, StoreError>;

    /// Sends a private message to another user, deciding in the same
    /// transaction what depends on them: a recipient who does not exist, or
    /// whom the sender blocked, refuses the send; a recipient who blocked the
    /// sender gets no copy (the sender is not told, as on Telegram).
    /// `message.deliver` is ignored. A backend that cannot read and write in
    /// one transaction checks first and then sends.
    async fn send_private_checked(
        &self,
        message: crate::NewPrivateMessage,
    ) -> Result<Result<crate::SentPrivateMessage, crate::PrivateSendRefusal>, StoreError> {
        if self.get_user(message.to).await?.is_none() {
            return Ok(Err(crate::PrivateSendRefusal::RecipientMissing));
        }
        if self.is_blocked(message.from, message.to).await? {
            return Ok(Err(crate::PrivateSendRefusal::RecipientBlocked));
        }
        let deliver = !self.is_blocked(message.to, message.from).await?;
        let message = crate::NewPrivateMessage { deliver, ..message };
        self.send_private_message(message).await.map(Ok)
    }

    // ---- 2FA passwords ----

    /// Sets or replaces the user's password state.
    async fn put_password(&self, user_id: i64, record: PasswordRecord) -> Result<(), StoreError>;

    /// The user's password state, if a password is set.
    async fn get_password(&self, user_id: i64) -> Result<Option<PasswordRecord>, StoreError>;

    /// Removes the user's password. Answers whether one was set.
    async fn delete_password(&self, user_id: i64) -> Result<bool, StoreError>;

    // ---- push devices ----

    /// Inserts or replaces the token of `(record.user_id, record.auth_key_id,
    /// record.token_type)`.
    async fn put_device(&self, record: crate::DeviceRecord) -> Result<(), StoreError>;

    /// Deletes that key's token of this type if it is `token`. Answers
    /// whether one was deleted.
    async fn delete_device(
        &self,
        user_id: i64,
        auth_key_id: i64,
        token_type: i32,
        token: &str,
    ) -> Result<bool, StoreError>;

    /// Every token of the user, ordered by auth key id and token type.
    async fn devices_of_user(&self, user_id: i64) -> Result<Vec<crate::DeviceRecord>, StoreError>;

    /// Deletes every token the auth key registered for the user (it logged
    /// out). Answers how many went.
    async fn delete_devices_of_auth_key(
        &self,
        user_id: i64,
        auth_key_id: i64,
    ) -> Result<usize, StoreError>;

    // ---- terms of service ----

    /// Records that the user accepted the terms `record.terms_id`
    /// (replacing an earlier acceptance).
    async fn put_terms_acceptance(
        &self,
        user_id: i64,
        record: crate::TermsAcceptance,
    ) -> Result<(), StoreError>;

    /// The user's latest acceptance, if any.
    async fn terms_acceptance(
        &self,
        user_id: i64,
    ) -> Result<Option<crate::TermsAcceptance>, StoreError>;

    // ---- invite links ----

    /// Inserts or replaces the invite link with `record.hash`.
    async fn put_invite(&self, record: crate::invites::InviteRecord) -> Result<(), StoreError>;

    /// The invite link with this hash, if stored (revoked or expired too).
    async fn get_invite(
        &self,
        hash: &str,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError>;

    /// Checks that the link still works at `now` and counts one use, in one
    /// transaction; answers the link as counted.
    async fn use_invite(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Result<crate::invites::InviteRecord, crate::invites::InviteRefusal>, StoreError>;

    /// Applies `edit` to the link with this hash in one transaction (so a
    /// use racing the edit is not lost); answers the link as stored now,
    /// `None` when there is no such link.
    async fn edit_invite(
        &self,
        hash: &str,
        edit: crate::invites::InviteEdit,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError>;

    /// Every link of the group `peer` (revoked ones too), only `admin_id`'s
    /// when given; in no particular order.
    async fn invites_of(
        &self,
        peer: crate::Peer,
        admin_id: Option<i64>,
    ) -> Result<Vec<crate::invites::InviteRecord>, StoreError>;

    /// Deletes the link with this hash if it is revoked; answers whether
    /// it was deleted.
    async fn delete_revoked_invite(&self, hash: &str) -> Result<bool, StoreError>;

    /// Deletes every revoked link `admin_id` made for `peer` in one
    /// transaction; answers how many went.
    async fn delete_revoked_invites(
        &self,
        peer: crate::Peer,
        admin_id: i64,
    ) -> Result<usize, StoreError>;

    // ---- basic groups ----

    /// Creates a basic group with the next group id, its members (the
    /// creator and `new.invited`) and the "created" service message in
    /// every member's box, in one transaction.
    async fn create_chat(
        &self,
        new: crate::chats::NewChat,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError>;

    /// The group with this id, if any.
    async fn get_chat(&self, id: i64) -> Result<Option<crate::chats::ChatRecord>, StoreError>;

    /// The group's current members, by user id.
    async fn chat_participants(
        &self,
        chat_id: i64,
    ) -> Result<Vec<crate::chats::ChatParticipant>, StoreError>;

    /// Applies `change` made by member `by`, checking the rules and storing
    /// its service message in every member's box (the removed user's
    /// included; admin changes have none), in one transaction.
    async fn change_chat(
        &self,
        chat_id: i64,
        by: i64,
        change: crate::chats::ChatChange,
        date: i64,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError>;

    /// Stores a member's message in every member's box in one transaction.
    async fn send_chat_message(
        &self,
        new: crate::chats::NewChatMessage,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError>;

    /// Marks `owner`'s incoming messages of the group read up to `max_id`
    /// (0: all), moving each author's read outbox in the same transaction.
    async fn read_chat_history(
        &self,
        owner: i64,
        chat_id: i64,
        max_id: i32,
        now: i64,
    ) -> Result<crate::chats::ChatReadOutcome, StoreError>;

    /// Migrates group `chat_id` to a new supergroup, as its creator `by`
    /// asked, in ONE transaction: the supergroup (the group's title, every
    /// member a participant, admins admins) with the "migrated from"
    /// service message as its first post, the "migrated to" message in
    /// every member's box, and the group deactivated with `migrated_to`
    /// set. A missing or already deactivated group is `ChatNotFound`; a
    /// non-member `NotMember`; anyone but the creator `NotAdmin`.
    async fn migrate_chat(
        &self,
        chat_id: i64,
        by: i64,
        date: i64,
    ) -> Result<Result<crate::chats::ChatMigration, crate::chats::ChatRefusal>, StoreError>;

    // ---- messages and update log ----

    /// Stores a private message in every box it goes to, in ONE
    /// transaction: both ids and pts, both copies, both log entries, both
    /// dialogs and the random id index. A random id the sender used before
    /// stores nothing and answers the first send (`duplicate`).
    async fn send_private_message(
        &self,
        message: crate::NewPrivateMessage,
    ) -> Result<crate::SentPrivateMessage, StoreError>;

    /// The counters of `owner`'s box (zeros for a box never written).
    async fn box_state(&self, owner: i64) -> Result<crate::BoxState, StoreError>;

    /// Up to `limit` (capped at [`crate::MAX_UPDATES_PER_READ`]) log entries
    /// of `owner` with pts above `after_pts`, oldest first.
    async fn updates_after(
        &self,
        owner: i64,
        after_pts: i32,
        limit: usize,
    ) -> Result<Vec<crate::UpdateEntry>, StoreError>;

    /// The messages of `owner`'s box among `ids`, in the order asked
    /// (missing ids skipped).
    async fn get_messages(
        &self,
        owner: i64,
        ids: &[i32],
    ) -> Result<Vec<crate::MessageRecord>, StoreError>;

    /// A range of one chat's messages in `owner`'s box.
    async fn history(
        &self,
        owner: i64,
        query: crate::HistoryQuery,
    ) -> Result<Vec<crate::MessageRecord>, StoreError>;

    /// How many messages of the chat with `peer` `owner`'s box holds.
    async fn history_count(&self, owner: i64, peer: crate::Peer) -> Result<usize, StoreError>;

    /// `owner`'s dialog with `peer`, if any message was exchanged.
    async fn get_dialog(
        &self,
        owner: i64,
        peer: crate::Peer,
    ) -> Result<Option<crate::DialogRecord>, StoreError>;

    /// All of `owner`'s dialogs, newest top message first.
    async fn list_dialogs(&self, owner: i64) -> Result<Vec<crate::DialogRecord>, StoreError>;

    /// Marks `owner`'s incoming messages from `peer` read up to `max_id`
    /// (0: all) in ONE transaction: the reader's dialog and log, and the
    /// other side's read outbox and log.
    async fn read_history(
        &self,
        owner: i64,
        peer: crate::Peer,
        max_id: i32,
        now: i64,
    ) -> Result<crate::ReadOutcome, StoreError>;

    // ---- edits, deletes, forwards; drafts and pins (see `crate::edits`) ----

    /// Changes the text of one of `edit.owner`'s own private messages and
    /// the other participant's copy, with a log entry in each box, in ONE
    /// transaction.
    async fn edit_private_message(
        &self,
        edit: crate::MessageEdit,
    ) -> Result<crate::EditOutcome, StoreError>;

    /// Deletes `ids` from `owner`'s box (with `revoke` also the other
    /// participants' copies), moving or dropping the dialogs and logging
    /// one entry per box, in ONE transaction. Unknown ids are skipped.
    async fn delete_private_messages(
        &self,
        owner: i64,
        ids: Vec<i32>,
        revoke: bool,
        now: i64,
    ) -> Result<crate::DeleteOutcome, StoreError>;

    /// Several private sends in ONE transaction, each as
    /// [`Store::send_private_message`] (forwards).
    async fn send_private_messages(
        &self,
        messages: Vec<crate::NewPrivateMessage>,
    ) -> Result<Vec<crate::SentPrivateMessage>, StoreError>;

    /// Stores (`Some`) or clears (`None`) `owner`'s draft for `peer`.
    async fn put_draft(
        &self,
        owner: i64,
        peer: crate::Peer,
        draft: Option<crate::DraftRecord>,
    ) -> Result<(), StoreError>;

    /// All of `owner`'s drafts.
    async fn list_drafts(
        &self,
        owner: i64,
    ) -> Result<Vec<(crate::Peer, crate::DraftRecord)>, StoreError>;

    /// `owner`'s pinned dialogs, in pin order.
    async fn pinned_dialogs(&self, owner: i64) -> Result<Vec<crate::Peer>, StoreError>;

    /// Replaces `owner`'s pinned dialogs.
    async fn set_pinned_dialogs(
        &self,
        owner: i64,
        peers: Vec<crate::Peer>,
    ) -> Result<(), StoreError>;

    // ---- channels and supergroups (see `crate::channels`) ----

    /// Creates a channel with the next channel id, its creator as the
    /// first member and the "created" service message in its box, in one
    /// transaction.
    async fn create_channel(
        &self,
        new: crate::channels::NewChannel,
    ) -> Result<crate::channels::ChannelWrite, StoreError>;

    /// The channel with this id (deleted ones too), if any.
    async fn get_channel(
        &self,
        id: i64,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError>;

    /// The channel with this username, ignoring ASCII case, if any.
    async fn channel_by_username(
        &self,
        username: &str,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError>;

    /// The user's participant row (member or banned), if any.
    async fn channel_participant(
        &self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<crate::channels::ChannelParticipant>, StoreError>;

    /// Up to `limit` participant rows (members and banned) with user ids
    /// above `after_user`, by user id.
    async fn channel_participants(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError>;

    /// The participant rows (members and banned) of those of `user_ids`
    /// that have one, in the order given: one call for a batch of point
    /// reads (a push to the few members online in a big channel).
    async fn channel_participants_of(
        &self,
        channel_id: i64,
        user_ids: &[i64],
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError>;

    /// Up to `limit` ids of members who see the channel, above
    /// `after_user`, by id: a key-only scan for fan-out.
    async fn channel_member_ids(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError>;

    /// Applies `change` made by `by`, checking the rules inside the
    /// transaction.
    async fn change_channel(
        &self,
        channel_id: i64,
        by: i64,
        change: crate::channels::ChannelChange,
        date: i64,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>;

    /// Stores a post in the channel box (once), checking the sender's
    /// rights inside the transaction.
    async fn send_channel_message(
        &self,
        new: crate::channels::NewChannelMessage,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>;

    /// Changes the text of a post in the channel box and logs the edit in
    /// the channel's log, checking `edit.owner`'s right to edit inside the
    /// same transaction (see `crate::channel_edit`).
    async fn edit_channel_message(
        &self,
        channel_id: i64,
        edit: crate::MessageEdit,
    ) -> Result<crate::channel_edit::ChannelEditOutcome, StoreError>;
}
