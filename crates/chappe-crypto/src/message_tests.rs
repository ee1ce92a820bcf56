//! Tests for MTProto 2.0 message encryption.

use super::*;
use crate::test_util::rng;
use proptest::prelude::*;

fn counting_key() -> AuthKey {
    AuthKey::from_bytes(std::array::from_fn(|i| i as u8))
}

fn plaintext(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0x1122_3344_5566_7788_i64.to_le_bytes());
    out.extend_from_slice(&(-5_i64).to_le_bytes());
    out.extend_from_slice(&0x6000_0000_0000_0004_i64.to_le_bytes());
    out.extend_from_slice(&7_i32.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out
}

// Key derivation vectors from grammers-crypto's tests (auth key and msg_key = 0, 1, 2, …).
#[test]
fn kdf_vectors_both_directions() {
    let key = counting_key();
    let msg_key: [u8; 16] = std::array::from_fn(|i| i as u8);
    assert_eq!(
        message_key_iv(&key, &msg_key, Side::Client),
        (
            [
                112, 78, 208, 156, 139, 65, 102, 138, 232, 249, 157, 36, 71, 56, 247, 29, 189, 220,
                68, 70, 155, 107, 189, 74, 168, 87, 61, 208, 66, 189, 5, 158,
            ],
            [
                77, 38, 96, 0, 165, 80, 237, 171, 191, 76, 124, 228, 15, 208, 4, 60, 201, 34, 48,
                24, 76, 211, 23, 165, 204, 156, 36, 130, 253, 59, 147, 24,
            ],
        )
    );
    assert_eq!(
        message_key_iv(&key, &msg_key, Side::Server),
        (
            [
                33, 119, 37, 121, 155, 36, 88, 6, 69, 129, 116, 161, 252, 251, 200, 131, 144, 104,
                7, 177, 80, 51, 253, 208, 234, 43, 77, 105, 207, 156, 54, 78,
            ],
            [
                102, 154, 101, 56, 145, 122, 79, 165, 108, 163, 35, 96, 164, 49, 201, 22, 11, 228,
                173, 136, 113, 64, 152, 13, 171, 145, 206, 123, 220, 71, 255, 188,
            ],
        )
    );
}

// grammers-crypto's client encryption vector: 45 bytes of text with 19 zero padding bytes.
#[test]
fn client_encryption_vector() {
    let packet = encrypt_with_padding(
        &counting_key(),
        Side::Client,
        b"Hello, world! This data should remain secure!",
        &[0u8; 19],
    );
    let expected: [u8; 88] = [
        50, 209, 88, 110, 164, 87, 223, 200, 168, 23, 41, 212, 109, 181, 64, 25, 162, 191, 215,
        247, 68, 249, 185, 108, 79, 113, 108, 253, 196, 71, 125, 178, 162, 193, 95, 109, 219, 133,
        35, 95, 185, 85, 47, 29, 132, 7, 198, 170, 234, 0, 204, 132, 76, 90, 27, 246, 172, 68, 183,
        155, 94, 220, 42, 35, 134, 139, 61, 96, 115, 165, 144, 153, 44, 15, 41, 117, 36, 61, 86,
        62, 161, 128, 210, 24, 238, 117, 124, 154,
    ];
    assert_eq!(packet, expected);
}

// A message a Telegram server sent (from grammers-crypto's tests): decrypts as a
// msg_container with a 88-byte body.
#[test]
fn real_server_message_vector() {
    let ciphertext: [u8; 168] = [
        122, 113, 131, 194, 193, 14, 79, 77, 249, 69, 250, 154, 154, 189, 53, 231, 195, 132, 11,
        97, 240, 69, 48, 79, 57, 103, 76, 25, 192, 226, 9, 120, 79, 80, 246, 34, 106, 7, 53, 41,
        214, 117, 201, 44, 191, 11, 250, 140, 153, 167, 155, 63, 57, 199, 42, 93, 154, 2, 109, 67,
        26, 183, 64, 124, 160, 78, 204, 85, 24, 125, 108, 69, 241, 120, 113, 82, 78, 221, 144, 206,
        160, 46, 215, 40, 225, 77, 124, 177, 138, 234, 42, 99, 97, 88, 240, 148, 89, 169, 67, 119,
        16, 216, 148, 199, 159, 54, 140, 78, 129, 100, 183, 100, 126, 169, 134, 18, 174, 254, 148,
        44, 93, 146, 18, 26, 203, 141, 176, 45, 204, 206, 182, 109, 15, 135, 32, 172, 18, 160, 109,
        176, 88, 43, 253, 149, 91, 227, 79, 54, 81, 24, 227, 186, 184, 205, 8, 12, 230, 180, 91,
        40, 234, 197, 109, 205, 42, 41, 55, 78,
    ];
    let key = AuthKey::from_bytes([
        93, 46, 125, 101, 244, 158, 194, 139, 208, 41, 168, 135, 97, 234, 39, 184, 164, 199, 159,
        18, 34, 101, 37, 68, 62, 125, 124, 89, 110, 243, 48, 53, 48, 219, 33, 7, 232, 154, 169,
        151, 199, 160, 22, 74, 182, 148, 24, 122, 222, 255, 21, 107, 214, 239, 113, 24, 161, 150,
        35, 71, 117, 60, 14, 126, 137, 160, 53, 75, 142, 195, 100, 249, 153, 126, 113, 188, 105,
        35, 251, 134, 232, 228, 52, 145, 224, 16, 96, 106, 108, 232, 69, 226, 250, 1, 148, 9, 119,
        239, 10, 163, 42, 223, 90, 151, 219, 246, 212, 40, 236, 4, 52, 215, 23, 162, 211, 173, 25,
        98, 44, 192, 88, 135, 100, 33, 19, 199, 150, 95, 251, 134, 42, 62, 60, 203, 10, 185, 90,
        221, 218, 87, 248, 146, 69, 219, 215, 107, 73, 35, 72, 248, 233, 75, 213, 167, 192, 224,
        184, 72, 8, 82, 60, 253, 30, 168, 11, 50, 254, 154, 209, 152, 188, 46, 16, 63, 206, 183,
        213, 36, 146, 236, 192, 39, 58, 40, 103, 75, 201, 35, 238, 229, 146, 101, 171, 23, 160, 2,
        223, 31, 74, 162, 197, 155, 129, 154, 94, 94, 29, 16, 94, 193, 23, 51, 111, 92, 118, 198,
        177, 135, 3, 125, 75, 66, 112, 206, 233, 204, 33, 7, 29, 151, 233, 188, 162, 32, 198, 215,
        176, 27, 153, 140, 242, 229, 205, 185, 165, 14, 205, 161, 133, 42, 54, 230, 53, 105, 12,
        142,
    ]);
    let message = decrypt_message(&key, Side::Server, &ciphertext).expect("valid message");
    assert_eq!(
        message.salt,
        i64::from_le_bytes([252, 130, 106, 2, 36, 139, 40, 253])
    );
    assert_eq!(
        message.msg_id,
        i64::from_le_bytes([1, 240, 193, 194, 145, 139, 48, 94])
    );
    assert_eq!(message.seq_no, 2);
    assert_eq!(message.body.len(), 88);
    assert_eq!(&message.body[..4], &[220, 248, 241, 115]);
    // The same bytes do not verify as a client-sent message.
    assert_eq!(
        decrypt_message(&key, Side::Client, &ciphertext),
        Err(CryptoError::MsgKeyMismatch)
    );
}

#[test]
fn round_trip_both_directions() {
    let key = counting_key();
    let mut rng = rng(1);
    for sender in [Side::Client, Side::Server] {
        for body_len in [0usize, 4, 8, 60, 1000] {
            let body: Vec<u8> = (0..body_len).map(|i| i as u8).collect();
            let packet = encrypt_message(&key, sender, &plaintext(&body), &mut rng);
            assert_eq!((packet.len() - ENVELOPE_HEADER_LEN) % 16, 0);
            let message = decrypt_message(&key, sender, &packet).expect("round trip");
            assert_eq!(message.body, body);
            assert_eq!(message.seq_no, 7);
            assert_eq!(message.session_id, -5);
        }
    }
}

#[test]
fn rejects_wrong_key_id_and_tampering() {
    let key = counting_key();
    let other = AuthKey::from_bytes([7u8; 256]);
    let packet = encrypt_message(&key, Side::Client, &plaintext(b"abcd"), &mut rng(2));
    assert_eq!(
        decrypt_message(&other, Side::Client, &packet),
        Err(CryptoError::AuthKeyIdMismatch)
    );
    let mut tampered = packet.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert_eq!(
        decrypt_message(&key, Side::Client, &tampered),
        Err(CryptoError::MsgKeyMismatch)
    );
    assert!(decrypt_message(&key, Side::Client, &packet[..packet.len() - 16]).is_err());
}

#[test]
fn rejects_bad_length_fields_and_padding() {
    let key = counting_key();
    // A length field larger than the data.
    let mut lying = plaintext(b"abcd");
    lying[28..32].copy_from_slice(&100u32.to_le_bytes());
    let packet = encrypt_with_padding(&key, Side::Client, &lying, &[0u8; 12]);
    assert!(matches!(
        decrypt_message(&key, Side::Client, &packet),
        Err(CryptoError::MalformedPlaintext(_))
    ));
    // Padding below 12 bytes (36 + 12 = 48 would be fine; 44 + 4 is not).
    let packet = encrypt_with_padding(&key, Side::Client, &plaintext(&[0u8; 12]), &[0u8; 4]);
    assert!(matches!(
        decrypt_message(&key, Side::Client, &packet),
        Err(CryptoError::MalformedPlaintext(_))
    ));
    // Padding above 1024 bytes.
    let packet = encrypt_with_padding(&key, Side::Client, &plaintext(&[]), &[0u8; 1040]);
    assert!(matches!(
        decrypt_message(&key, Side::Client, &packet),
        Err(CryptoError::MalformedPlaintext(_))
    ));
}

proptest! {
    #[test]
    fn arbitrary_packets_never_panic(packet in proptest::collection::vec(any::<u8>(), 0..300)) {
        let key = counting_key();
        let _ = decrypt_message(&key, Side::Client, &packet);
        let mut with_id = key.id().to_le_bytes().to_vec();
        with_id.extend_from_slice(&packet);
        let _ = decrypt_message(&key, Side::Server, &with_id);
    }
}
