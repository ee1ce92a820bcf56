//! Access hashes: the per-viewer proof that a client learned about a user
//! legitimately. Derived, not stored: HMAC-SHA256 under a server secret of
//! (viewer, target), so each viewer sees a different hash for the same user
//! and one viewer's hash is useless to another.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Makes and checks access hashes under one server secret.
#[derive(Clone)]
pub struct AccessHashes {
    // Keyed once; each hash clones the keyed state.
    keyed: Hmac<Sha256>,
}

impl std::fmt::Debug for AccessHashes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessHashes").finish_non_exhaustive()
    }
}

impl AccessHashes {
    /// Hashes keyed by `secret` (keep it stable: changing it invalidates
    /// every access hash clients hold).
    pub fn new(secret: [u8; 32]) -> Self {
        // HMAC pads a key shorter than the hash block with zeros, so this
        // 64-byte key is the same key as `secret` itself, with no fallible
        // length check.
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&secret);
        Self {
            keyed: Hmac::<Sha256>::new(&block.into()),
        }
    }

    fn mac(&self, input: &[&[u8]]) -> [u8; 8] {
        let mut mac = self.keyed.clone();
        for part in input {
            mac.update(part);
        }
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; 8];
        out.copy_from_slice(&digest[..8]);
        out
    }

    /// The access hash `viewer_id` uses for `target_id`: the first 8 bytes
    /// of HMAC-SHA256(secret, viewer ‖ target) (big-endian ids).
    pub fn for_user(&self, viewer_id: i64, target_id: i64) -> i64 {
        i64::from_be_bytes(self.mac(&[&viewer_id.to_be_bytes(), &target_id.to_be_bytes()]))
    }

    /// Whether `hash` is the access hash `viewer_id` has for `target_id`,
    /// compared in constant time.
    pub fn check(&self, viewer_id: i64, target_id: i64, hash: i64) -> bool {
        let expected = self.for_user(viewer_id, target_id).to_be_bytes();
        expected.ct_eq(&hash.to_be_bytes()).into()
    }

    /// The access hash `viewer_id` uses for channel `channel_id`. The tag
    /// makes the input 23 bytes, so a channel's hash never equals the
    /// hash of the user with the same id.
    pub fn for_channel(&self, viewer_id: i64, channel_id: i64) -> i64 {
        i64::from_be_bytes(self.mac(&[
            b"channel",
            &viewer_id.to_be_bytes(),
            &channel_id.to_be_bytes(),
        ]))
    }

    /// Whether `hash` is `viewer_id`'s access hash for channel
    /// `channel_id`, compared in constant time.
    pub fn check_channel(&self, viewer_id: i64, channel_id: i64, hash: i64) -> bool {
        let expected = self.for_channel(viewer_id, channel_id).to_be_bytes();
        expected.ct_eq(&hash.to_be_bytes()).into()
    }

    /// The `hash` naming a session (authorization) in
    /// `account.getAuthorizations`, so auth key ids never reach clients.
    /// Never 0, which Telegram reserves for the current session.
    pub fn for_authorization(&self, auth_key_id: i64) -> i64 {
        // The tag makes the input 12 bytes, so it can never collide with a
        // user hash input (16 bytes).
        let hash = i64::from_be_bytes(self.mac(&[b"auth", &auth_key_id.to_be_bytes()]));
        if hash == 0 {
            1
        } else {
            hash
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_hashes_are_their_own_domain() {
        let hashes = AccessHashes::new([3; 32]);
        assert_ne!(hashes.for_channel(1, 2), hashes.for_user(1, 2));
        assert_ne!(hashes.for_channel(1, 2), hashes.for_channel(4, 2));
        assert!(hashes.check_channel(1, 2, hashes.for_channel(1, 2)));
        assert!(!hashes.check_channel(1, 2, hashes.for_user(1, 2)));
    }

    #[test]
    fn each_viewer_sees_a_different_hash_that_checks() {
        let hashes = AccessHashes::new([7; 32]);
        let a = hashes.for_user(1, 100);
        let b = hashes.for_user(2, 100);
        assert_ne!(a, b);
        assert!(hashes.check(1, 100, a));
        assert!(!hashes.check(2, 100, a));
        assert!(!hashes.check(1, 101, a));
        assert_eq!(a, hashes.for_user(1, 100));
        assert_ne!(a, AccessHashes::new([8; 32]).for_user(1, 100));
    }

    #[test]
    fn matches_hmac_sha256_of_the_ids() {
        let secret = [3u8; 32];
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(&5i64.to_be_bytes());
        mac.update(&(-6i64).to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        assert_eq!(
            AccessHashes::new(secret).for_user(5, -6),
            i64::from_be_bytes(first)
        );
    }
}
