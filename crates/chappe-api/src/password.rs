//! Two-step verification (Telegram SRP): `account.getPassword`, `auth.checkPassword`,
//! `account.getPasswordSettings` and `account.updatePasswordSettings`, plus [`Challenges`],
//! the short-lived in-memory state those methods share (issued SRP challenges, offered salts,
//! failed attempts).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chappe_crypto::srp::{check_new_salt, NewAlgoSalts, SrpChallenge, SrpVerifier};
use chappe_crypto::{DH_G, DH_PRIME};
use chappe_store::PasswordRecord;
use chappe_tl::api::{enums, functions, types};
use rand::rngs::{StdRng, SysRng};
use rand::{Rng, SeedableRng};

use crate::{Api, RequestContext, RpcError};

/// How long an issued challenge (and the salts offered with it) stays usable.
const CHALLENGE_TTL_SECS: i64 = 600;
/// Entries kept per map before expired ones are purged (and, if that is not enough, all).
const MAX_ENTRIES: usize = 10_000;
/// Wrong passwords allowed per user per [`FLOOD_WINDOW_SECS`].
const MAX_FAILURES: u32 = 5;
const FLOOD_WINDOW_SECS: i64 = 60;
/// Bytes of `secure_random` in `account.password`.
const SECURE_RANDOM_LEN: usize = 256;

struct IssuedChallenge {
    challenge: SrpChallenge,
    user_id: i64,
    expires_at: i64,
}

struct Offered {
    salts: NewAlgoSalts,
    expires_at: i64,
}

struct State {
    rng: StdRng,
    issued: HashMap<i64, IssuedChallenge>,
    offered: HashMap<i64, Offered>,
    // user id -> (window start, wrong tries in it)
    failures: HashMap<i64, (i64, u32)>,
}

/// Issued SRP challenges (srp_id -> secret `b`, `B`, user), the `new_algo` salts offered to
/// each user, and wrong-password counts; bounded and expiring, lost on restart (clients then
/// call `account.getPassword` again).
pub(crate) struct Challenges {
    state: Mutex<State>,
}

impl Challenges {
    /// Empty state with a generator seeded from the operating system.
    pub(crate) fn new() -> Self {
        let rng = StdRng::try_from_rng(&mut SysRng).unwrap_or_else(|_| {
            // No OS entropy: fall back to std's per-process random hasher keys.
            use std::hash::{BuildHasher, RandomState};
            StdRng::seed_from_u64(RandomState::new().hash_one(0u8))
        });
        Self {
            state: Mutex::new(State {
                rng,
                issued: HashMap::new(),
                offered: HashMap::new(),
                failures: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn make_room<V>(map: &mut HashMap<i64, V>, expired: impl Fn(&V) -> bool) {
    if map.len() >= MAX_ENTRIES {
        map.retain(|_, v| !expired(v));
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
    }
}

fn password_hash_invalid() -> RpcError {
    RpcError::bad_request("PASSWORD_HASH_INVALID")
}

fn srp_algo(salt1: Vec<u8>, salt2: Vec<u8>) -> enums::PasswordKdfAlgo {
    enums::PasswordKdfAlgo::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow(
        types::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow {
            salt1,
            salt2,
            g: DH_G as i32,
            p: DH_PRIME.to_vec(),
        },
    )
}

impl Api {
    /// The user whose password the caller may prove: the logged-in one, or the one of a
    /// login waiting for the password.
    fn password_user(&self, ctx: &RequestContext) -> Option<i64> {
        ctx.user_id.or_else(|| {
            self.accounts
                .pending_password_user(ctx.auth_key_id, ctx.now)
        })
    }

    pub(crate) async fn account_get_password(
        &self,
        ctx: &RequestContext,
    ) -> Result<enums::account::Password, RpcError> {
        let user_id = self.password_user(ctx);
        let record = match user_id {
            Some(user_id) => self.accounts.password(user_id).await?,
            None => None,
        };
        let verifier = record
            .as_ref()
            .and_then(|r| SrpVerifier::from_password_hash(&r.verifier).ok());
        let mut state = self.challenges.lock();
        let salts = NewAlgoSalts::generate(&mut state.rng);
        let mut secure_salt = vec![0u8; 8];
        state.rng.fill_bytes(&mut secure_salt);
        let mut secure_random = vec![0u8; SECURE_RANDOM_LEN];
        state.rng.fill_bytes(&mut secure_random);
        let mut seed = [0u8; 32];
        state.rng.fill_bytes(&mut seed);
        // The 2048-bit exponentiation runs outside the lock, on its own generator.
        drop(state);
        let now = ctx.now;
        let expires_at = now.saturating_add(CHALLENGE_TTL_SECS);
        let challenge = verifier
            .as_ref()
            .map(|verifier| SrpChallenge::generate(verifier, &mut StdRng::from_seed(seed)));
        let mut state = self.challenges.lock();
        let mut current = None;
        if let (Some(user_id), Some(record), Some(challenge)) = (user_id, &record, challenge) {
            current = Some((
                srp_algo(record.srp_salt1.clone(), record.srp_salt2.clone()),
                challenge.srp_b().to_vec(),
                challenge.srp_id(),
                record.hint.clone(),
            ));
            make_room(&mut state.issued, |c| c.expires_at <= now);
            state.issued.insert(
                challenge.srp_id(),
                IssuedChallenge {
                    challenge,
                    user_id,
                    expires_at,
                },
            );
        }
        if let Some(user_id) = user_id {
            make_room(&mut state.offered, |o| o.expires_at <= now);
            state.offered.insert(
                user_id,
                Offered {
                    salts: salts.clone(),
                    expires_at,
                },
            );
        }
        drop(state);
        let has_password = current.is_some();
        let (current_algo, srp_b, srp_id, hint) = match current {
            Some((algo, b, id, hint)) => (Some(algo), Some(b), Some(id), Some(hint)),
            None => (None, None, None, None),
        };
        Ok(enums::account::Password::Password(
            types::account::Password {
                has_recovery: false,
                has_secure_values: false,
                has_password,
                current_algo,
                srp_b,
                srp_id,
                hint: hint.filter(|h| !h.is_empty()),
                email_unconfirmed_pattern: None,
                new_algo: srp_algo(salts.salt1_prefix.to_vec(), salts.salt2.to_vec()),
                new_secure_algo: enums::SecurePasswordKdfAlgo::SecurePasswordKdfAlgoSha512(
                    types::SecurePasswordKdfAlgoSha512 { salt: secure_salt },
                ),
                secure_random,
                pending_reset_date: None,
                login_email_pattern: None,
            },
        ))
    }

    /// Checks an SRP proof of `user_id`'s password; single-use challenges, flood-limited.
    /// Answers the stored record when the proof is right.
    async fn verify_password(
        &self,
        user_id: i64,
        input: &enums::InputCheckPasswordSrp,
        now: i64,
    ) -> Result<PasswordRecord, RpcError> {
        let enums::InputCheckPasswordSrp::InputCheckPasswordSrp(check) = input else {
            return Err(password_hash_invalid());
        };
        let record = self
            .accounts
            .password(user_id)
            .await?
            .ok_or_else(password_hash_invalid)?;
        let verifier =
            SrpVerifier::from_password_hash(&record.verifier).map_err(|_| RpcError::internal())?;
        let mut state = self.challenges.lock();
        if let Some(&(start, count)) = state.failures.get(&user_id) {
            let window_end = start.saturating_add(FLOOD_WINDOW_SECS);
            if now < window_end && count >= MAX_FAILURES {
                let wait = u32::try_from(window_end - now).unwrap_or(u32::MAX);
                return Err(RpcError::new(420, format!("FLOOD_WAIT_{wait}")));
            }
        }
        let issued = state
            .issued
            .remove(&check.srp_id)
            .filter(|c| c.user_id == user_id && c.expires_at > now)
            .ok_or_else(|| RpcError::bad_request("SRP_ID_INVALID"))?;
        let result = issued.challenge.check_password(
            &verifier,
            &record.srp_salt1,
            &record.srp_salt2,
            &check.a,
            &check.m1,
        );
        if result.is_err() {
            make_room(&mut state.failures, |&(start, _)| {
                start.saturating_add(FLOOD_WINDOW_SECS) <= now
            });
            let entry = state.failures.entry(user_id).or_insert((now, 0));
            if entry.0.saturating_add(FLOOD_WINDOW_SECS) <= now {
                *entry = (now, 0);
            }
            entry.1 = entry.1.saturating_add(1);
            return Err(password_hash_invalid());
        }
        state.failures.remove(&user_id);
        Ok(record)
    }

    pub(crate) async fn auth_check_password(
        &self,
        ctx: &RequestContext,
        req: functions::auth::CheckPassword,
    ) -> Result<enums::auth::Authorization, RpcError> {
        let user_id = self
            .accounts
            .pending_password_user(ctx.auth_key_id, ctx.now)
            .ok_or_else(|| RpcError::bad_request("AUTH_RESTART"))?;
        self.verify_password(user_id, &req.password, ctx.now)
            .await?;
        let user = self
            .accounts
            .complete_password_login(ctx.auth_key_id, ctx.now)
            .await?;
        tracing::info!(user_id = user.id, "signed in with password");
        Ok(self.authorization(&user, ctx.now))
    }

    pub(crate) async fn account_get_password_settings(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::GetPasswordSettings,
    ) -> Result<enums::account::PasswordSettings, RpcError> {
        let record = self.verify_password(viewer, &req.password, ctx.now).await?;
        Ok(enums::account::PasswordSettings::PasswordSettings(
            types::account::PasswordSettings {
                email: record.email,
                secure_settings: None,
            },
        ))
    }

    pub(crate) async fn account_update_password_settings(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::UpdatePasswordSettings,
    ) -> Result<bool, RpcError> {
        let current = self.accounts.password(viewer).await?;
        if current.is_some() {
            self.verify_password(viewer, &req.password, ctx.now).await?;
        }
        let enums::account::PasswordInputSettings::PasswordInputSettings(settings) =
            req.new_settings;
        let new_algo = match settings.new_algo {
            None => {
                // Only the hint or email changes; both need an existing password.
                let mut record = current.ok_or_else(|| RpcError::bad_request("PASSWORD_MISSING"))?;
                if let Some(hint) = settings.hint {
                    record.hint = hint;
                }
                if let Some(email) = settings.email {
                    record.email = (!email.is_empty()).then_some(email);
                }
                record.updated_at = ctx.now;
                self.accounts.set_password(viewer, record).await?;
                return Ok(true);
            }
            Some(enums::PasswordKdfAlgo::PasswordKdfAlgoUnknown(_)) => {
                self.accounts.remove_password(viewer).await?;
                self.forget_challenges(viewer);
                return Ok(true);
            }
            Some(
                enums::PasswordKdfAlgo::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow(
                    algo,
                ),
            ) => algo,
        };
        let offered = self
            .challenges
            .lock()
            .offered
            .get(&viewer)
            .filter(|o| o.expires_at > ctx.now)
            .map(|o| o.salts.clone())
            .ok_or_else(|| RpcError::bad_request("NEW_SALT_INVALID"))?;
        if new_algo.salt2 != offered.salt2
            || new_algo.g != DH_G as i32
            || new_algo.p != DH_PRIME
            || check_new_salt(&offered.salt1_prefix, &new_algo.salt1).is_err()
        {
            return Err(RpcError::bad_request("NEW_SALT_INVALID"));
        }
        let verifier = settings
            .new_password_hash
            .as_deref()
            .and_then(|hash| SrpVerifier::from_password_hash(hash).ok())
            .ok_or_else(|| RpcError::bad_request("NEW_SETTINGS_INVALID"))?;
        let record = PasswordRecord {
            srp_salt1: new_algo.salt1,
            srp_salt2: new_algo.salt2,
            srp_g: new_algo.g,
            srp_p: new_algo.p,
            verifier: verifier.as_bytes().to_vec(),
            srp_id: 0,
            hint: settings.hint.unwrap_or_default(),
            email: settings
                .email
                .filter(|e| !e.is_empty())
                .or(current.and_then(|c| c.email)),
            updated_at: ctx.now,
        };
        self.accounts.set_password(viewer, record).await?;
        self.forget_challenges(viewer);
        tracing::info!(user_id = viewer, "2FA password set");
        Ok(true)
    }

    /// Challenges issued for the old verifier can never succeed; drop them.
    fn forget_challenges(&self, user_id: i64) {
        let mut state = self.challenges.lock();
        state.issued.retain(|_, c| c.user_id != user_id);
        state.offered.remove(&user_id);
    }
}
