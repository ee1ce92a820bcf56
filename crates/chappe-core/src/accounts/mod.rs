//! [`Accounts`]: the account service. Its methods are split by concern:
//! [`login`] (codes, sign-in, sign-up; [`test_codes`] for test numbers),
//! [`authorizations`] (which auth keys are logged in as whom), [`profile`]
//! (names, usernames, lookups, passwords) and [`contacts`] (contacts and
//! blocks).

mod authorizations;
mod contacts;
mod login;
mod profile;
mod qr_login;
mod test_codes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chappe_store::{Store, UserRecord};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::pending::{Expiring, PendingPassword, PendingSignUp};
use crate::{AccessHashes, AccountError, AccountsConfig, CodeDelivery, FloodLimiter};

pub use authorizations::Authorization;
pub use contacts::{BlockedList, ContactList, ImportedContact, ImportedContacts};
pub use login::{SentCode, SignInOutcome};
pub(crate) use profile::valid_username;
pub use qr_login::{QrAccepted, QrExport, QrLoginError, QR_TOKEN_TTL_SECS};

/// The accounts service. Cheap to share behind an `Arc`; every method takes
/// `&self` and the current time.
pub struct Accounts {
    store: Arc<dyn Store>,
    config: AccountsConfig,
    access_hashes: AccessHashes,
    delivery: Arc<dyn CodeDelivery>,
    rng: Mutex<StdRng>,
    limits: Mutex<Limits>,
    pending: Mutex<Pending>,
    auth_cache: Mutex<AuthCache>,
    qr: Mutex<qr_login::QrTokens>,
    test_codes: test_codes::TestCodes,
    // Held across each bind or unbind (store write, then cache update) so
    // two racing changes of one key cannot leave the cache disagreeing with
    // the store. redb serialises writers anyway, so this costs nothing.
    login_writes: tokio::sync::Mutex<()>,
}

/// auth key id -> user id (or None: not logged in). Filled on lookup,
/// updated by every bind and unbind made through this service.
#[derive(Default)]
struct AuthCache {
    logins: HashMap<i64, Option<i64>>,
    // Bumped by every bind and unbind. A lookup caches what it read from
    // the store only if no bind or unbind happened meanwhile, so a slow
    // lookup cannot overwrite a fresher login with a stale "logged out".
    generation: u64,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

struct Limits {
    send_code_per_phone: FloodLimiter,
    send_code_per_ip: FloodLimiter,
    sign_in_per_ip: FloodLimiter,
    sign_in_per_phone: FloodLimiter,
}

struct Pending {
    sign_ups: Expiring<(i64, String), PendingSignUp>,
    passwords: Expiring<i64, PendingPassword>,
}

/// Locks a mutex whose data stays consistent even if a holder panicked
/// (every critical section here is a single map or limiter operation).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Accounts {
    /// A service over `store`. `rng_seed` seeds the generator for codes and
    /// phone_code_hashes: pass OS randomness in production and a constant
    /// in tests.
    pub fn new(
        store: Arc<dyn Store>,
        config: AccountsConfig,
        access_hashes: AccessHashes,
        rng_seed: [u8; 32],
        delivery: Arc<dyn CodeDelivery>,
    ) -> Self {
        let keys = config.flood_max_keys;
        let limits = Limits {
            send_code_per_phone: FloodLimiter::new(config.send_code_per_phone, keys),
            send_code_per_ip: FloodLimiter::new(config.send_code_per_ip, keys),
            sign_in_per_ip: FloodLimiter::new(config.sign_in_per_ip, keys),
            sign_in_per_phone: FloodLimiter::new(config.sign_in_per_phone, keys),
        };
        let pending = Pending {
            sign_ups: Expiring::new(config.max_pending_logins),
            passwords: Expiring::new(config.max_pending_logins),
        };
        Self {
            store,
            access_hashes,
            delivery,
            rng: Mutex::new(StdRng::from_seed(rng_seed)),
            limits: Mutex::new(limits),
            pending: Mutex::new(pending),
            auth_cache: Mutex::new(AuthCache::default()),
            qr: Mutex::new(qr_login::QrTokens::new(config.max_pending_logins)),
            test_codes: test_codes::TestCodes::new(config.max_pending_logins),
            login_writes: tokio::sync::Mutex::new(()),
            config,
        }
    }

    /// The access hashes this service derives (for the API layer to hand
    /// out and check).
    pub fn access_hashes(&self) -> &AccessHashes {
        &self.access_hashes
    }

    /// The configuration in force.
    pub fn config(&self) -> &AccountsConfig {
        &self.config
    }

    /// The store behind the service.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The user, or [`AccountError::UserIdInvalid`].
    async fn existing_user(&self, user_id: i64) -> Result<UserRecord, AccountError> {
        self.store
            .get_user(user_id)
            .await?
            .ok_or(AccountError::UserIdInvalid)
    }

    /// Records a login change made through this service.
    fn cache_auth(&self, auth_key_id: i64, user_id: Option<i64>) {
        let mut cache = lock(&self.auth_cache);
        cache.generation = cache.generation.wrapping_add(1);
        self.cache_insert(&mut cache, auth_key_id, user_id);
    }

    /// Caches a lookup result read when the cache was at `generation`.
    fn cache_lookup(&self, auth_key_id: i64, user_id: Option<i64>, generation: u64) {
        let mut cache = lock(&self.auth_cache);
        if cache.generation == generation {
            self.cache_insert(&mut cache, auth_key_id, user_id);
        }
    }

    fn cache_insert(&self, cache: &mut AuthCache, auth_key_id: i64, user_id: Option<i64>) {
        if !cache.logins.contains_key(&auth_key_id)
            && cache.logins.len() >= self.config.auth_cache_capacity
        {
            // Simple and bounded: start over. The next lookups refill it.
            cache.logins.clear();
        }
        cache.logins.insert(auth_key_id, user_id);
    }
}
