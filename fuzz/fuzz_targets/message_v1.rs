//! Fuzz target: MTProto 1.0 packets, the format of `auth.bindTempAuthKey`'s
//! encrypted_message. Arbitrary bytes are decrypted with a fixed key (nothing may panic,
//! whatever the length field says), and a plaintext built from the input is encrypted and
//! must decrypt to the same message.
#![no_main]

use chappe_crypto::{decrypt_message_v1, encrypt_message_v1, AuthKey, Side};
use libfuzzer_sys::fuzz_target;

/// Salt, session id, msg_id, seq_no and length: what precedes the body.
const HEADER_LEN: usize = 32;

fuzz_target!(|data: &[u8]| {
    let key = AuthKey::from_bytes([0x5a; 256]);
    let mut packet = key.id().to_le_bytes().to_vec();
    packet.extend_from_slice(data);
    let _ = decrypt_message_v1(&key, Side::Client, &packet);
    let _ = decrypt_message_v1(&key, Side::Client, data);

    // Round trip: a body of whole 4-byte words, padded to 16 with zeros.
    let body = &data[..data.len() - data.len() % 4];
    let mut plaintext = vec![0u8; 24];
    plaintext.extend_from_slice(&0i32.to_le_bytes());
    plaintext.extend_from_slice(&(body.len() as u32).to_le_bytes());
    plaintext.extend_from_slice(body);
    let padding = vec![0u8; (16 - plaintext.len() % 16) % 16];
    let sealed = encrypt_message_v1(&key, Side::Client, &plaintext, &padding)
        .expect("aligned plaintext encrypts");
    let opened = decrypt_message_v1(&key, Side::Client, &sealed).expect("own packet decrypts");
    assert_eq!(opened.body, body);
    assert_eq!(plaintext.len(), HEADER_LEN + body.len());
});
