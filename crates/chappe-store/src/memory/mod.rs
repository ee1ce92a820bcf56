//! [`MemoryStore`]: the [`Store`] trait over plain maps, for tests.
//!
//! It follows the same rules as the durable backends (the conformance suite
//! checks both), but nothing survives the process. Each table group's
//! operations live in their own sub-module as methods on [`State`]; every
//! operation runs under one lock, which makes it one transaction.

mod auth_keys;
mod channels;
mod chat_list;
mod chats;
mod codes;
mod contacts;
mod devices;
mod invites;
mod messages;
mod passwords;
mod terms;
mod users;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::secrets::{check_name, fresh_secret};
use crate::{
    AuthKeyRecord, BlockedRecord, ContactRecord, PasswordRecord, PhoneCodeRecord, SessionRecord,
    Store, StoreError, UserRecord, DEFAULT_USER_ID_BASE, SECRET_LEN,
};

/// An in-memory [`Store`]; cheap to create, forgets everything on drop.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    auth_keys: HashMap<i64, AuthKeyRecord>,
    // Ordered so list_sessions is a range scan, as in the durable backends.
    sessions: BTreeMap<(i64, i64), SessionRecord>,
    secrets: HashMap<String, [u8; SECRET_LEN]>,
    // (user id, auth key id)
    user_auth_keys: BTreeSet<(i64, i64)>,
    // permanent key id -> the temporary key bound to it
    temp_bindings: HashMap<i64, i64>,
    users: BTreeMap<i64, UserRecord>,
    users_by_phone: HashMap<String, i64>,
    users_by_username: HashMap<String, i64>,
    user_id_base: i64,
    next_user_id: Option<i64>,
    phone_codes: HashMap<String, PhoneCodeRecord>,
    // (owner, contact)
    contacts: BTreeMap<(i64, i64), ContactRecord>,
    // (contact, owner)
    contact_owners: BTreeSet<(i64, i64)>,
    // (owner, target) -> blocked_at
    blocked: BTreeMap<(i64, i64), i64>,
    passwords: HashMap<i64, PasswordRecord>,
    boxes: messages::Boxes,
    chats: chats::Chats,
    channels: channels::Channels,
    chat_list: chat_list::ChatList,
    devices: devices::Devices,
    terms: HashMap<i64, crate::TermsAcceptance>,
    invites: HashMap<String, crate::invites::InviteRecord>,
}

impl State {
    /// The message boxes and the channel maps, borrowed together for the
    /// shared channel write rules.
    fn channel_parts(&mut self) -> (&mut messages::Boxes, channels::ChannelMaps<'_>) {
        let maps = channels::ChannelMaps {
            channels: &mut self.channels,
            users_by_username: &self.users_by_username,
        };
        (&mut self.boxes, maps)
    }
}

impl MemoryStore {
    /// An empty store handing out user ids from [`DEFAULT_USER_ID_BASE`].
    pub fn new() -> Self {
        Self::with_user_id_base(DEFAULT_USER_ID_BASE)
    }

    /// An empty store whose first user gets id `base`.
    pub fn with_user_id_base(base: i64) -> Self {
        let mut state = State {
            user_id_base: base,
            ..State::default()
        };
        state.channels.ids = state.chats.ids.clone();
        Self {
            state: Mutex::new(state),
        }
    }

    // Every operation checks before it writes, so a panic while holding the
    // lock cannot leave the maps half-updated and a poisoned lock is still
    // safe to use.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn create_channel(
        &self,
        new: crate::channels::NewChannel,
    ) -> Result<crate::channels::ChannelWrite, StoreError> {
        let mut state = self.state();
        let (boxes, mut maps) = state.channel_parts();
        crate::channel_txn::create(boxes, &mut maps, &new)
    }

    async fn get_channel(
        &self,
        id: i64,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError> {
        Ok(self.state().channels.get(id))
    }

    async fn channel_by_username(
        &self,
        username: &str,
    ) -> Result<Option<crate::channels::ChannelRecord>, StoreError> {
        Ok(self.state().channels.by_username(username))
    }

    async fn channel_participant(
        &self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<crate::channels::ChannelParticipant>, StoreError> {
        Ok(self.state().channels.participant(channel_id, user_id))
    }

    async fn channel_participants(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError> {
        Ok(self
            .state()
            .channels
            .participants(channel_id, after_user, limit))
    }

    async fn channel_participants_of(
        &self,
        channel_id: i64,
        user_ids: &[i64],
    ) -> Result<Vec<crate::channels::ChannelParticipant>, StoreError> {
        Ok(self.state().channels.participants_of(channel_id, user_ids))
    }

    async fn channel_member_ids(
        &self,
        channel_id: i64,
        after_user: i64,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .state()
            .channels
            .member_ids(channel_id, after_user, limit))
    }

    async fn change_channel(
        &self,
        channel_id: i64,
        by: i64,
        change: crate::channels::ChannelChange,
        date: i64,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>
    {
        let mut state = self.state();
        let (boxes, mut maps) = state.channel_parts();
        crate::channel_txn::change(boxes, &mut maps, channel_id, by, &change, date)
    }

    async fn send_channel_message(
        &self,
        new: crate::channels::NewChannelMessage,
    ) -> Result<Result<crate::channels::ChannelWrite, crate::channels::ChannelRefusal>, StoreError>
    {
        let mut state = self.state();
        let (boxes, mut maps) = state.channel_parts();
        crate::channel_txn::send(boxes, &mut maps, &new)
    }

    async fn edit_channel_message(
        &self,
        channel_id: i64,
        edit: crate::MessageEdit,
    ) -> Result<crate::channel_edit::ChannelEditOutcome, StoreError> {
        let mut state = self.state();
        let (boxes, mut maps) = state.channel_parts();
        crate::channel_edit::edit(boxes, &mut maps, channel_id, &edit)
    }
    async fn put_invite(&self, record: crate::invites::InviteRecord) -> Result<(), StoreError> {
        self.state().put_invite(record);
        Ok(())
    }

    async fn get_invite(
        &self,
        hash: &str,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError> {
        Ok(self.state().get_invite(hash))
    }

    async fn use_invite(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Result<crate::invites::InviteRecord, crate::invites::InviteRefusal>, StoreError>
    {
        Ok(self.state().use_invite(hash, now))
    }

    async fn edit_invite(
        &self,
        hash: &str,
        edit: crate::invites::InviteEdit,
    ) -> Result<Option<crate::invites::InviteRecord>, StoreError> {
        Ok(self.state().edit_invite(hash, &edit))
    }

    async fn invites_of(
        &self,
        peer: crate::Peer,
        admin_id: Option<i64>,
    ) -> Result<Vec<crate::invites::InviteRecord>, StoreError> {
        Ok(self.state().invites_of(peer, admin_id))
    }

    async fn delete_revoked_invite(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(self.state().delete_revoked_invite(hash))
    }

    async fn delete_revoked_invites(
        &self,
        peer: crate::Peer,
        admin_id: i64,
    ) -> Result<usize, StoreError> {
        Ok(self.state().delete_revoked_invites(peer, admin_id))
    }

    async fn put_terms_acceptance(
        &self,
        user_id: i64,
        record: crate::TermsAcceptance,
    ) -> Result<(), StoreError> {
        self.state().put_terms_acceptance(user_id, record);
        Ok(())
    }

    async fn terms_acceptance(
        &self,
        user_id: i64,
    ) -> Result<Option<crate::TermsAcceptance>, StoreError> {
        Ok(self.state().terms_acceptance(user_id))
    }

    async fn put_device(&self, record: crate::DeviceRecord) -> Result<(), StoreError> {
        self.state().put_device(record);
        Ok(())
    }

    async fn delete_device(
        &self,
        user_id: i64,
        auth_key_id: i64,
        token_type: i32,
        token: &str,
    ) -> Result<bool, StoreError> {
        Ok(self
            .state()
            .delete_device(user_id, auth_key_id, token_type, token))
    }

    async fn devices_of_user(&self, user_id: i64) -> Result<Vec<crate::DeviceRecord>, StoreError> {
        Ok(self.state().devices_of_user(user_id))
    }

    async fn delete_devices_of_auth_key(
        &self,
        user_id: i64,
        auth_key_id: i64,
    ) -> Result<usize, StoreError> {
        Ok(self
            .state()
            .delete_devices_of_auth_key(user_id, auth_key_id))
    }

    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError> {
        self.state().put_auth_key(record);
        Ok(())
    }

    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
        Ok(self.state().auth_keys.get(&id).cloned())
    }

    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.state().delete_auth_key(id))
    }

    async fn bind_auth_key(&self, auth_key_id: i64, user_id: i64) -> Result<(), StoreError> {
        self.state().bind_auth_key(auth_key_id, user_id)
    }

    async fn unbind_auth_key(&self, auth_key_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(self.state().unbind_auth_key(auth_key_id))
    }

    async fn bind_temp_auth_key(
        &self,
        temp_id: i64,
        perm_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.state().bind_temp_auth_key(temp_id, perm_id)
    }

    async fn auth_keys_of_user(&self, user_id: i64) -> Result<Vec<AuthKeyRecord>, StoreError> {
        Ok(self.state().auth_keys_of_user(user_id))
    }

    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError> {
        self.state().put_session(record)
    }

    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self
            .state()
            .sessions
            .get(&(auth_key_id, session_id))
            .cloned())
    }

    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError> {
        Ok(self
            .state()
            .sessions
            .range((auth_key_id, i64::MIN)..=(auth_key_id, i64::MAX))
            .map(|(_, record)| record.clone())
            .collect())
    }

    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError> {
        Ok(self
            .state()
            .sessions
            .remove(&(auth_key_id, session_id))
            .is_some())
    }

    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError> {
        check_name(name)?;
        let mut state = self.state();
        if let Some(secret) = state.secrets.get(name) {
            return Ok(*secret);
        }
        let secret = fresh_secret()?;
        state.secrets.insert(name.to_owned(), secret);
        Ok(secret)
    }

    async fn create_user(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<UserRecord, StoreError> {
        self.state().create_user(phone, first_name, last_name, now)
    }

    async fn create_user_bound(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
        auth_key_id: i64,
    ) -> Result<UserRecord, StoreError> {
        self.state()
            .create_user_bound(phone, first_name, last_name, now, auth_key_id)
    }

    async fn get_user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.state().users.get(&id).cloned())
    }

    async fn get_users(&self, ids: &[i64]) -> Result<Vec<UserRecord>, StoreError> {
        Ok(self.state().get_users(ids))
    }

    async fn user_by_phone(&self, phone: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.state().user_by_phone(phone))
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.state().user_by_username(username))
    }

    async fn update_user(&self, record: UserRecord) -> Result<(), StoreError> {
        self.state().update_user(record)
    }

    async fn list_users(&self, after_id: i64, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        Ok(self.state().list_users(after_id, limit))
    }

    async fn search_users(&self, query: &str, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        Ok(self.state().search_users(query, limit))
    }

    async fn put_phone_code(&self, record: PhoneCodeRecord) -> Result<(), StoreError> {
        self.state().put_phone_code(record);
        Ok(())
    }

    async fn get_phone_code(
        &self,
        phone_code_hash: &str,
    ) -> Result<Option<PhoneCodeRecord>, StoreError> {
        Ok(self.state().get_phone_code(phone_code_hash))
    }

    async fn delete_phone_code(&self, phone_code_hash: &str) -> Result<bool, StoreError> {
        Ok(self.state().delete_phone_code(phone_code_hash))
    }

    async fn purge_phone_codes(&self, now: i64) -> Result<usize, StoreError> {
        Ok(self.state().purge_phone_codes(now))
    }

    async fn put_contact(&self, owner: i64, contact: ContactRecord) -> Result<(), StoreError> {
        self.state().put_contact(owner, contact);
        Ok(())
    }

    async fn delete_contact(&self, owner: i64, user_id: i64) -> Result<bool, StoreError> {
        Ok(self.state().delete_contact(owner, user_id))
    }

    async fn list_contacts(&self, owner: i64) -> Result<Vec<ContactRecord>, StoreError> {
        Ok(self.state().list_contacts(owner))
    }

    async fn contact_owners_of(&self, user_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(self.state().contact_owners_of(user_id))
    }

    async fn block(&self, owner: i64, target: i64, now: i64) -> Result<bool, StoreError> {
        Ok(self.state().block(owner, target, now))
    }

    async fn unblock(&self, owner: i64, target: i64) -> Result<bool, StoreError> {
        Ok(self.state().blocked.remove(&(owner, target)).is_some())
    }

    async fn list_blocked(
        &self,
        owner: i64,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<BlockedRecord>, usize), StoreError> {
        Ok(self.state().list_blocked(owner, offset, limit))
    }

    async fn is_blocked(&self, owner: i64, target: i64) -> Result<bool, StoreError> {
        Ok(self.state().blocked.contains_key(&(owner, target)))
    }

    async fn put_password(&self, user_id: i64, record: PasswordRecord) -> Result<(), StoreError> {
        self.state().put_password(user_id, record);
        Ok(())
    }

    async fn get_password(&self, user_id: i64) -> Result<Option<PasswordRecord>, StoreError> {
        Ok(self.state().get_password(user_id))
    }

    async fn delete_password(&self, user_id: i64) -> Result<bool, StoreError> {
        Ok(self.state().delete_password(user_id))
    }

    async fn send_private_message(
        &self,
        message: crate::NewPrivateMessage,
    ) -> Result<crate::SentPrivateMessage, StoreError> {
        crate::box_txn::send_private(&mut self.state().boxes, &message)
    }

    async fn create_chat(
        &self,
        new: crate::chats::NewChat,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        let mut state = self.state();
        let State { boxes, chats, .. } = &mut *state;
        crate::chat_txn::create(boxes, chats, &new)
    }

    async fn migrate_chat(
        &self,
        chat_id: i64,
        by: i64,
        date: i64,
    ) -> Result<Result<crate::chats::ChatMigration, crate::chats::ChatRefusal>, StoreError> {
        let mut state = self.state();
        let State {
            boxes,
            chats,
            channels,
            users_by_username,
            ..
        } = &mut *state;
        let mut maps = channels::ChannelMaps {
            channels,
            users_by_username,
        };
        crate::migrate_txn::migrate(boxes, chats, &mut maps, chat_id, by, date)
    }

    async fn get_chat(&self, id: i64) -> Result<Option<crate::chats::ChatRecord>, StoreError> {
        Ok(self.state().chats.get(id))
    }

    async fn chat_participants(
        &self,
        chat_id: i64,
    ) -> Result<Vec<crate::chats::ChatParticipant>, StoreError> {
        Ok(self.state().chats.members(chat_id))
    }

    async fn change_chat(
        &self,
        chat_id: i64,
        by: i64,
        change: crate::chats::ChatChange,
        date: i64,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        let mut state = self.state();
        let State { boxes, chats, .. } = &mut *state;
        crate::chat_txn::change(boxes, chats, chat_id, by, &change, date)
    }

    async fn send_chat_message(
        &self,
        new: crate::chats::NewChatMessage,
    ) -> Result<Result<crate::chats::ChatWrite, crate::chats::ChatRefusal>, StoreError> {
        let mut state = self.state();
        let State { boxes, chats, .. } = &mut *state;
        crate::chat_txn::send(boxes, chats, &new)
    }

    async fn read_chat_history(
        &self,
        owner: i64,
        chat_id: i64,
        max_id: i32,
        now: i64,
    ) -> Result<crate::chats::ChatReadOutcome, StoreError> {
        crate::chat_txn::read(&mut self.state().boxes, owner, chat_id, max_id, now)
    }

    async fn box_state(&self, owner: i64) -> Result<crate::BoxState, StoreError> {
        Ok(self.state().boxes.state(owner))
    }

    async fn updates_after(
        &self,
        owner: i64,
        after_pts: i32,
        limit: usize,
    ) -> Result<Vec<crate::UpdateEntry>, StoreError> {
        let limit = limit.min(crate::MAX_UPDATES_PER_READ);
        Ok(self.state().boxes.updates_after(owner, after_pts, limit))
    }

    async fn get_messages(
        &self,
        owner: i64,
        ids: &[i32],
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        Ok(self.state().boxes.get_messages(owner, ids))
    }

    async fn history(
        &self,
        owner: i64,
        query: crate::HistoryQuery,
    ) -> Result<Vec<crate::MessageRecord>, StoreError> {
        Ok(self.state().boxes.history(owner, &query))
    }

    async fn history_count(&self, owner: i64, peer: crate::Peer) -> Result<usize, StoreError> {
        Ok(self.state().boxes.history_count(owner, peer))
    }

    async fn get_dialog(
        &self,
        owner: i64,
        peer: crate::Peer,
    ) -> Result<Option<crate::DialogRecord>, StoreError> {
        Ok(self.state().boxes.get_dialog(owner, peer))
    }

    async fn list_dialogs(&self, owner: i64) -> Result<Vec<crate::DialogRecord>, StoreError> {
        Ok(self.state().boxes.list_dialogs(owner))
    }

    async fn read_history(
        &self,
        owner: i64,
        peer: crate::Peer,
        max_id: i32,
        now: i64,
    ) -> Result<crate::ReadOutcome, StoreError> {
        crate::box_txn::read_history(&mut self.state().boxes, owner, peer, max_id, now)
    }

    async fn edit_private_message(
        &self,
        edit: crate::MessageEdit,
    ) -> Result<crate::EditOutcome, StoreError> {
        crate::box_edit::edit_private(&mut self.state().boxes, &edit)
    }

    async fn delete_private_messages(
        &self,
        owner: i64,
        ids: Vec<i32>,
        revoke: bool,
        now: i64,
    ) -> Result<crate::DeleteOutcome, StoreError> {
        crate::box_edit::delete_private(&mut self.state().boxes, owner, &ids, revoke, now)
    }

    async fn send_private_messages(
        &self,
        messages: Vec<crate::NewPrivateMessage>,
    ) -> Result<Vec<crate::SentPrivateMessage>, StoreError> {
        crate::box_edit::send_many(&mut self.state().boxes, &messages)
    }

    async fn put_draft(
        &self,
        owner: i64,
        peer: crate::Peer,
        draft: Option<crate::DraftRecord>,
    ) -> Result<(), StoreError> {
        self.state().chat_list.put_draft(owner, peer, draft);
        Ok(())
    }

    async fn list_drafts(
        &self,
        owner: i64,
    ) -> Result<Vec<(crate::Peer, crate::DraftRecord)>, StoreError> {
        Ok(self.state().chat_list.drafts(owner))
    }

    async fn pinned_dialogs(&self, owner: i64) -> Result<Vec<crate::Peer>, StoreError> {
        Ok(self.state().chat_list.pinned(owner))
    }

    async fn set_pinned_dialogs(
        &self,
        owner: i64,
        peers: Vec<crate::Peer>,
    ) -> Result<(), StoreError> {
        self.state().chat_list.set_pinned(owner, peers);
        Ok(())
    }
}
