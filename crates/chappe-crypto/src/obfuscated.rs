//! obfuscated2: the AES-256-CTR layer that hides MTProto transports from DPI.
//!
//! The client opens with 64 random bytes. Bytes 8..40 are the client→server key, 40..56
//! the IV; the same 48 bytes reversed give the server→client key and IV. With an MTProxy
//! secret each key becomes `SHA256(key + secret)`. The client encrypts the whole header
//! with its stream and replaces bytes 56..64 with the encrypted ones, so the protocol tag
//! (56..60) and DC id (60..62) travel encrypted. Both streams then continue from there.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};
use rand_core::CryptoRng;

use crate::hash::sha256;

type Ctr = ctr::Ctr128BE<Aes256>;

/// Length of the init header.
pub const HEADER_LEN: usize = 64;

/// First four bytes a client header must not start with, because a server (or a
/// middlebox) would take them for another protocol: HTTP methods, the intermediate and
/// padded-intermediate tags, and a TLS record header.
const FORBIDDEN_PREFIXES: [[u8; 4]; 7] = [
    *b"HEAD",
    *b"POST",
    *b"GET ",
    *b"OPTI",
    [0xdd; 4],
    [0xee; 4],
    [0x16, 0x03, 0x01, 0x02],
];
/// A first byte of 0xef would announce the (unobfuscated) abridged transport.
const ABRIDGED_MARKER: u8 = 0xef;

/// The two AES-256-CTR streams of an obfuscated connection, from one side's view.
pub struct ObfuscatedCipher {
    outgoing: Ctr,
    incoming: Ctr,
}

/// What a server learns from a client's init header.
pub struct ObfuscatedInit {
    /// The server's cipher, already advanced past the header.
    pub cipher: ObfuscatedCipher,
    /// The transport tag (bytes 56..60 decrypted): `ef ef ef ef` abridged,
    /// `ee ee ee ee` intermediate, `dd dd dd dd` padded intermediate. Not validated here.
    pub protocol_tag: [u8; 4],
    /// The DC id the client asked for (bytes 60..62, little-endian; negative for media DCs).
    pub dc_id: i16,
}

impl ObfuscatedCipher {
    /// Encrypts bytes this side sends, continuing the stream.
    pub fn encrypt(&mut self, buf: &mut [u8]) {
        self.outgoing.apply_keystream(buf);
    }

    /// Decrypts bytes this side receives, continuing the stream.
    pub fn decrypt(&mut self, buf: &mut [u8]) {
        self.incoming.apply_keystream(buf);
    }

    /// Server side: derives both streams from a client's 64-byte header. `secret` is the
    /// 16-byte MTProxy secret (without its `dd`/`ee` prefix), if the listener uses one.
    pub fn server_from_header(header: &[u8; HEADER_LEN], secret: Option<&[u8]>) -> ObfuscatedInit {
        let (client_to_server, server_to_client) = derive_streams(header, secret);
        let mut cipher = ObfuscatedCipher {
            outgoing: server_to_client,
            incoming: client_to_server,
        };
        let mut decrypted = *header;
        cipher.decrypt(&mut decrypted);
        let protocol_tag = [decrypted[56], decrypted[57], decrypted[58], decrypted[59]];
        let dc_id = i16::from_le_bytes([decrypted[60], decrypted[61]]);
        ObfuscatedInit {
            cipher,
            protocol_tag,
            dc_id,
        }
    }

    /// Client side: makes a random init header carrying `protocol_tag` and `dc_id`, and the
    /// client's cipher positioned after it. Send the returned header first.
    pub fn client_header<R: CryptoRng + ?Sized>(
        rng: &mut R,
        protocol_tag: [u8; 4],
        dc_id: i16,
        secret: Option<&[u8]>,
    ) -> ([u8; HEADER_LEN], ObfuscatedCipher) {
        let mut header = [0u8; HEADER_LEN];
        loop {
            rng.fill_bytes(&mut header);
            let prefix = [header[0], header[1], header[2], header[3]];
            if header[0] != ABRIDGED_MARKER
                && !FORBIDDEN_PREFIXES.contains(&prefix)
                && header[4..8] != [0, 0, 0, 0]
            {
                break;
            }
        }
        header[56..60].copy_from_slice(&protocol_tag);
        header[60..62].copy_from_slice(&dc_id.to_le_bytes());

        let (client_to_server, server_to_client) = derive_streams(&header, secret);
        let mut cipher = ObfuscatedCipher {
            outgoing: client_to_server,
            incoming: server_to_client,
        };
        let mut encrypted = header;
        cipher.encrypt(&mut encrypted);
        header[56..].copy_from_slice(&encrypted[56..]);
        (header, cipher)
    }
}

impl std::fmt::Debug for ObfuscatedCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ObfuscatedCipher { .. }")
    }
}

/// Returns the (client→server, server→client) streams for a header.
fn derive_streams(header: &[u8; HEADER_LEN], secret: Option<&[u8]>) -> (Ctr, Ctr) {
    let mut forward = [0u8; 48];
    forward.copy_from_slice(&header[8..56]);
    let mut backward = forward;
    backward.reverse();
    (stream(&forward, secret), stream(&backward, secret))
}

fn stream(key_iv: &[u8; 48], secret: Option<&[u8]>) -> Ctr {
    let mut key = [0u8; 32];
    key.copy_from_slice(&key_iv[..32]);
    if let Some(secret) = secret {
        key = sha256(&[&key, secret]);
    }
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&key_iv[32..]);
    Ctr::new(&key.into(), &iv.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::rng;

    fn pair(secret: Option<&[u8]>) -> (ObfuscatedCipher, ObfuscatedInit, [u8; 64]) {
        let (header, client) = ObfuscatedCipher::client_header(&mut rng(5), [0xee; 4], -2, secret);
        let init = ObfuscatedCipher::server_from_header(&header, secret);
        (client, init, header)
    }

    #[test]
    fn server_reads_the_tag_and_dc_the_client_wrote() {
        for secret in [None, Some(&[7u8; 16][..])] {
            let (mut client, mut init, header) = pair(secret);
            assert_eq!(init.protocol_tag, [0xee; 4]);
            assert_eq!(init.dc_id, -2);
            // The tag itself is not visible on the wire.
            assert_ne!(&header[56..60], &[0xee; 4]);

            let mut data = *b"client to server, then more bytes";
            client.encrypt(&mut data);
            init.cipher.decrypt(&mut data);
            assert_eq!(&data, b"client to server, then more bytes");

            let mut reply = *b"server to client";
            init.cipher.encrypt(&mut reply);
            client.decrypt(&mut reply);
            assert_eq!(&reply, b"server to client");
        }
    }

    #[test]
    fn a_wrong_secret_garbles_the_tag() {
        let (header, _) = ObfuscatedCipher::client_header(&mut rng(6), [0xef; 4], 2, Some(b"a"));
        let init = ObfuscatedCipher::server_from_header(&header, Some(b"b"));
        assert_ne!(init.protocol_tag, [0xef; 4]);
    }

    #[test]
    fn key_derivation_matches_the_spec() {
        // Header 0, 1, 2, … 63: the client→server key is bytes 8..40 and the IV 40..56;
        // the server→client key and IV are the same 48 bytes reversed.
        let header: [u8; 64] = std::array::from_fn(|i| i as u8);
        let init = ObfuscatedCipher::server_from_header(&header, None);
        let mut cipher = init.cipher;
        let key: [u8; 32] = std::array::from_fn(|i| 55 - i as u8);
        let iv: [u8; 16] = std::array::from_fn(|i| 23 - i as u8);
        let mut expected = Ctr::new(&key.into(), &iv.into());
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        cipher.encrypt(&mut a);
        expected.apply_keystream(&mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn generated_headers_avoid_forbidden_prefixes() {
        let mut rng = rng(7);
        for _ in 0..200 {
            let (header, _) = ObfuscatedCipher::client_header(&mut rng, [0xef; 4], 1, None);
            assert_ne!(header[0], 0xef);
            assert!(!FORBIDDEN_PREFIXES.contains(&[header[0], header[1], header[2], header[3]]));
            assert_ne!(&header[4..8], &[0, 0, 0, 0]);
        }
    }
}
