//! Login codes of test numbers (`99966XYYYY`) kept out of the store. Their
//! code is fixed and public, so the only thing worth proving is that the
//! server issued the phone_code_hash for this phone and when: the hash is
//! `t` ‖ hex(issued_at) ‖ hex(nonce) ‖ hex(MAC), the MAC being HMAC-SHA256
//! under a stored server secret of (issued_at, nonce, phone); the random
//! nonce makes every `auth.sendCode` a different hash, as stored codes are. Sign-in checks it and its age with
//! no store read or write, which saves two durable commits per sign-up.
//!
//! The one piece of state is an in-memory set of hashes already used or
//! cancelled, so "a code works once" holds as it does for stored codes
//! while the process lives; a restart forgets it, which only lets a
//! test-number code be reused within its lifetime (it is public anyway).
//! Wrong guesses are not counted, for the same reason.

use std::sync::Mutex;

use chappe_store::Store;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::lock;
use crate::pending::Expiring;
use crate::AccountError;

/// First character of every stateless hash; stored hashes are lowercase
/// hex, so the two kinds never collide.
const PREFIX: &str = "t";
/// The server secret the MAC key is, created on first use.
const SECRET_NAME: &str = "test_number_login_codes";
/// Separates these MACs from any other use of HMAC in the server.
const DOMAIN: &[u8] = b"chappe test-number login code v1";
/// Bytes of MAC kept: forging one takes 2^128 guesses.
const MAC_LEN: usize = 16;
/// Hex digits of the issue time.
const TIME_HEX_LEN: usize = 16;
/// Random bytes per hash.
pub(super) const NONCE_LEN: usize = 8;

/// A parsed hash.
struct Parsed {
    issued_at: i64,
    nonce: [u8; NONCE_LEN],
    mac: [u8; MAC_LEN],
}

/// Issues and checks stateless test-number code hashes.
pub(super) struct TestCodes {
    keyed: tokio::sync::OnceCell<Hmac<Sha256>>,
    spent: Mutex<Expiring<String, ()>>,
}

impl std::fmt::Debug for TestCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCodes").finish_non_exhaustive()
    }
}

/// Whether `hash` has the stateless form (it may still be forged).
pub(super) fn is_stateless(hash: &str) -> bool {
    hash.starts_with(PREFIX)
}

impl TestCodes {
    /// `spent_capacity` bounds the used-hash set (the oldest-expiring
    /// entries go first when it is full of live ones).
    pub(super) fn new(spent_capacity: usize) -> Self {
        Self {
            keyed: tokio::sync::OnceCell::new(),
            spent: Mutex::new(Expiring::new(spent_capacity)),
        }
    }

    async fn key(&self, store: &dyn Store) -> Result<&Hmac<Sha256>, AccountError> {
        self.keyed
            .get_or_try_init(|| async {
                let secret = store.get_or_init_secret(SECRET_NAME).await?;
                // A key shorter than the hash block is zero-padded by HMAC,
                // so this 64-byte block is the secret itself, and the
                // conversion cannot fail.
                let mut block = [0u8; 64];
                block[..secret.len()].copy_from_slice(&secret);
                Ok::<_, AccountError>(Hmac::<Sha256>::new(&block.into()))
            })
            .await
    }

    fn mac(
        keyed: &Hmac<Sha256>,
        phone: &str,
        issued_at: i64,
        nonce: &[u8; NONCE_LEN],
    ) -> [u8; MAC_LEN] {
        let mut mac = keyed.clone();
        mac.update(DOMAIN);
        mac.update(&issued_at.to_be_bytes());
        mac.update(nonce);
        mac.update(phone.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(&digest[..MAC_LEN]);
        out
    }

    /// A fresh hash for `phone` issued at `now`; `nonce` must be random.
    pub(super) async fn issue(
        &self,
        store: &dyn Store,
        phone: &str,
        now: i64,
        nonce: [u8; NONCE_LEN],
    ) -> Result<String, AccountError> {
        let keyed = self.key(store).await?;
        let mac = Self::mac(keyed, phone, now, &nonce);
        Ok(format!(
            "{PREFIX}{:016x}{}{}",
            now as u64,
            hex(&nonce),
            hex(&mac)
        ))
    }

    /// Checks that the server issued `hash` for `phone`, that it is younger
    /// than `ttl_secs` and not used up. Answers when it expires.
    /// Unknown, forged, other-phone and spent hashes all answer
    /// PHONE_CODE_EXPIRED, as an unknown stored hash does.
    pub(super) async fn check(
        &self,
        store: &dyn Store,
        phone: &str,
        hash: &str,
        ttl_secs: i64,
        now: i64,
    ) -> Result<i64, AccountError> {
        let parsed = parse(hash).ok_or(AccountError::PhoneCodeExpired)?;
        let keyed = self.key(store).await?;
        let expected = Self::mac(keyed, phone, parsed.issued_at, &parsed.nonce);
        if !bool::from(expected.ct_eq(&parsed.mac)) {
            return Err(AccountError::PhoneCodeExpired);
        }
        let expires_at = parsed.issued_at.saturating_add(ttl_secs);
        if now >= expires_at || lock(&self.spent).get(&hash.to_owned(), now).is_some() {
            return Err(AccountError::PhoneCodeExpired);
        }
        Ok(expires_at)
    }

    /// `auth.cancelCode` of a stateless hash: uses it up. Answers whether
    /// it was issued for `phone` and not used up yet. The call carries no
    /// time, so a hash past its lifetime but never used also answers true.
    pub(super) async fn cancel(
        &self,
        store: &dyn Store,
        phone: &str,
        hash: &str,
        ttl_secs: i64,
    ) -> Result<bool, AccountError> {
        let Some(Parsed { issued_at, .. }) = parse(hash) else {
            return Ok(false);
        };
        match self.check(store, phone, hash, ttl_secs, issued_at).await {
            Ok(expires_at) => Ok(self.spend(hash, expires_at, issued_at)),
            Err(AccountError::PhoneCodeExpired) => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Marks a checked hash used up. Answers false when it already was: of
    /// two concurrent uses, only the first goes on.
    pub(super) fn spend(&self, hash: &str, expires_at: i64, now: i64) -> bool {
        let mut spent = lock(&self.spent);
        let key = hash.to_owned();
        if spent.get(&key, now).is_some() {
            return false;
        }
        spent.insert(key, (), expires_at, now);
        true
    }
}

/// Splits a stateless hash into its parts.
fn parse(hash: &str) -> Option<Parsed> {
    let rest = hash.strip_prefix(PREFIX)?;
    if rest.len() != TIME_HEX_LEN + 2 * NONCE_LEN + 2 * MAC_LEN || !rest.is_ascii() {
        return None;
    }
    let (time, rest) = rest.split_at(TIME_HEX_LEN);
    let (nonce_hex, mac_hex) = rest.split_at(2 * NONCE_LEN);
    Some(Parsed {
        issued_at: u64::from_str_radix(time, 16).ok()? as i64,
        nonce: unhex(nonce_hex)?,
        mac: unhex(mac_hex)?,
    })
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chappe_store::MemoryStore;
    use proptest::prelude::*;

    use super::*;

    #[tokio::test]
    async fn issued_hashes_check_only_for_their_phone_and_lifetime() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let codes = TestCodes::new(8);
        let hash = codes
            .issue(&*store, "9996610001", 100, [1; NONCE_LEN])
            .await
            .expect("issue");
        assert!(is_stateless(&hash));
        assert_eq!(
            codes
                .check(&*store, "9996610001", &hash, 300, 399)
                .await
                .ok(),
            Some(400)
        );
        for (phone, at) in [("9996610002", 100), ("9996610001", 400)] {
            let err = codes.check(&*store, phone, &hash, 300, at).await;
            assert!(
                matches!(err, Err(AccountError::PhoneCodeExpired)),
                "{phone} {at}"
            );
        }
        // A forged issue time fails the MAC.
        let forged = format!("{PREFIX}{:016x}{}", 1_000u64, &hash[1 + TIME_HEX_LEN..]);
        assert!(parse(&forged).is_some());
        let err = codes
            .check(&*store, "9996610001", &forged, 300, 1_001)
            .await;
        assert!(matches!(err, Err(AccountError::PhoneCodeExpired)));

        assert!(codes.spend(&hash, 400, 101));
        assert!(!codes.spend(&hash, 400, 102), "used once only");
        let err = codes.check(&*store, "9996610001", &hash, 300, 103).await;
        assert!(matches!(err, Err(AccountError::PhoneCodeExpired)));
    }

    #[tokio::test]
    async fn the_key_is_the_stored_secret() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let hash = TestCodes::new(8)
            .issue(&*store, "9996610001", 5, [2; NONCE_LEN])
            .await
            .expect("issue");
        // Another service over the same store (a restart) accepts it.
        let later = TestCodes::new(8);
        assert!(later
            .check(&*store, "9996610001", &hash, 300, 6)
            .await
            .is_ok());
        // A server with another secret does not.
        let other_store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let fresh = TestCodes::new(8);
        assert!(fresh
            .check(&*other_store, "9996610001", &hash, 300, 6)
            .await
            .is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_hashes_never_panic(hash in "t?[0-9a-fA-F]{0,60}") {
            let _ = parse(&hash);
        }
    }
}
