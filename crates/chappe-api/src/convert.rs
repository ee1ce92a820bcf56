//! Domain records to TL objects, as one particular user sees them: the access hash is the
//! viewer's own, and private fields (the phone number) are shown only where Telegram shows them.

use chappe_core::AccessHashes;
use chappe_store::UserRecord;
use chappe_tl::api::{enums, types};

/// How long an online status lasts without a refresh (Telegram uses about five minutes).
pub(crate) const ONLINE_FOR_SECS: i64 = 300;

/// `user` as `viewer_id` sees it.
pub(crate) fn user_for(
    hashes: &AccessHashes,
    viewer_id: i64,
    user: &UserRecord,
    now: i64,
) -> enums::User {
    let is_self = user.id == viewer_id;
    let status = status_of(user.last_online_at, now);
    enums::User::User(types::User {
        is_self,
        id: user.id,
        access_hash: Some(hashes.for_user(viewer_id, user.id)),
        first_name: Some(user.first_name.clone()),
        last_name: (!user.last_name.is_empty()).then(|| user.last_name.clone()),
        username: user.username.clone(),
        phone: is_self.then(|| user.phone.clone()),
        status: Some(status),
        deleted: false,
        ..types::User::default()
    })
}

/// The status of a user last seen online at `last_online_at` (0: never). An online
/// period lasts [`ONLINE_FOR_SECS`]; going offline is stored as a period that ended now,
/// so in both cases the user was last seen when the period ended.
pub(crate) fn status_of(last_online_at: i64, now: i64) -> enums::UserStatus {
    let until = last_online_at.saturating_add(ONLINE_FOR_SECS);
    if last_online_at <= 0 {
        enums::UserStatus::UserStatusEmpty(types::UserStatusEmpty)
    } else if until > now {
        enums::UserStatus::UserStatusOnline(types::UserStatusOnline {
            expires: clamp_date(until),
        })
    } else {
        enums::UserStatus::UserStatusOffline(types::UserStatusOffline {
            was_online: clamp_date(until),
        })
    }
}

/// A unix time as a TL `date`, saturating instead of wrapping.
pub(crate) fn clamp_date(secs: i64) -> i32 {
    i32::try_from(secs).unwrap_or(if secs < 0 { 0 } else { i32::MAX })
}
