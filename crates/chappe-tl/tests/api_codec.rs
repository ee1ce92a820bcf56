//! Canonical API types: round trips, generic wrappers, bounded decoding.
#![cfg(feature = "api")]

use chappe_tl::api::{enums, functions, types, Request};
use chappe_tl::{DecodeError, Deserializable, Limits, RawObject, RemoteCall, Serializable};

fn sample_user() -> enums::User {
    types::User {
        is_self: true,
        premium: true,
        bot_can_edit: true,
        id: 1234567890123,
        access_hash: Some(-5),
        first_name: Some("Ada".into()),
        last_name: None,
        username: Some("ada".into()),
        phone: Some("999661234".into()),
        status: Some(enums::UserStatus::UserStatusOnline(
            types::UserStatusOnline { expires: 99 },
        )),
        usernames: Some(vec![enums::Username::Username(types::Username {
            editable: true,
            active: true,
            username: "ada".into(),
            ..Default::default()
        })]),
        ..Default::default()
    }
    .into()
}

#[test]
fn user_round_trip() {
    let user = sample_user();
    let bytes = user.to_bytes();
    assert_eq!(enums::User::from_bytes(&bytes).unwrap(), user);
    assert_eq!(user.constructor_name(), "user");
}

#[test]
fn get_config_fixed_bytes() {
    let bytes = functions::help::GetConfig.to_bytes();
    assert_eq!(bytes, [0x6b, 0x18, 0xf9, 0xc4]);
    assert_eq!(
        Request::from_bytes(&bytes).unwrap(),
        Request::HelpGetConfig(functions::help::GetConfig)
    );
}

#[test]
fn invoke_with_layer_keeps_inner_query_raw() {
    let init = functions::InitConnection {
        api_id: 6,
        device_model: "pc".into(),
        system_version: "linux".into(),
        app_version: "1.0".into(),
        system_lang_code: "en".into(),
        lang_pack: "".into(),
        lang_code: "en".into(),
        proxy: None,
        params: Some(enums::JsonValue::JsonObject(types::JsonObject {
            value: vec![types::JsonObjectValue {
                key: "tz_offset".into(),
                value: enums::JsonValue::JsonNumber(types::JsonNumber { value: 3600.0 }),
            }
            .into()],
        })),
        query: functions::help::GetConfig.to_bytes(),
    };
    let outer = functions::InvokeWithLayer {
        layer: 158,
        query: init.to_bytes(),
    };
    let bytes = outer.to_bytes();
    let Request::InvokeWithLayer(decoded) = Request::from_bytes(&bytes).unwrap() else {
        panic!("wrong request");
    };
    assert_eq!(decoded.layer, 158);
    let Request::InitConnection(inner) = Request::from_bytes(&decoded.query).unwrap() else {
        panic!("wrong inner request");
    };
    assert_eq!(inner, init);
    assert_eq!(
        Request::from_bytes(&inner.query)
            .unwrap()
            .constructor_name(),
        "help.getConfig"
    );
    fn generic<R: RemoteCall<Return = RawObject>>(_: &R) {}
    generic(&outer);
}

#[test]
fn send_code_and_get_users_round_trip() {
    let reqs: Vec<Request> = vec![
        functions::auth::SendCode {
            phone_number: "+999661234".into(),
            api_id: 1,
            api_hash: "abc".into(),
            settings: types::CodeSettings {
                allow_flashcall: true,
                logout_tokens: Some(vec![vec![1, 2, 3]]),
                ..Default::default()
            }
            .into(),
        }
        .into(),
        functions::users::GetUsers {
            id: vec![enums::InputUser::InputUserSelf(types::InputUserSelf)],
        }
        .into(),
    ];
    for req in reqs {
        let bytes = req.to_bytes();
        assert_eq!(Request::from_bytes(&bytes).unwrap(), req);
    }
}

#[test]
fn recursive_types_are_boxed_and_round_trip() {
    let peer = enums::InputPeer::InputPeerUserFromMessage(types::InputPeerUserFromMessage {
        peer: Box::new(enums::InputPeer::InputPeerSelf(types::InputPeerSelf)),
        msg_id: 5,
        user_id: 6,
    });
    assert_eq!(
        enums::InputPeer::from_bytes(&peer.to_bytes()).unwrap(),
        peer
    );
}

fn nested_json_arrays(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..depth {
        bytes.extend(0xf7444763u32.to_le_bytes()); // jsonArray
        bytes.extend(0x1cb5c415u32.to_le_bytes()); // vector
        bytes.extend(1i32.to_le_bytes());
    }
    bytes.extend(0x3f6d7b68u32.to_le_bytes()); // jsonNull
    bytes
}

#[test]
fn deep_json_nesting_is_rejected_not_overflowed() {
    assert!(enums::JsonValue::from_bytes(&nested_json_arrays(10)).is_ok());
    assert_eq!(
        enums::JsonValue::from_bytes(&nested_json_arrays(100)),
        Err(DecodeError::TooDeep)
    );
    // Far deeper than any stack could take if depth were not bounded.
    assert_eq!(
        enums::JsonValue::from_bytes(&nested_json_arrays(1_000_000)),
        Err(DecodeError::TooDeep)
    );
}

#[test]
fn message_size_limit() {
    let limits = Limits {
        max_message_len: 3,
        ..Limits::default()
    };
    assert_eq!(
        chappe_tl::from_bytes_with::<Request>(&[0x6b, 0x18, 0xf9, 0xc4], &limits),
        Err(DecodeError::TooLong)
    );
}

#[test]
fn huge_vector_count_fails_without_allocating() {
    let mut bytes = 0x0d91a548u32.to_le_bytes().to_vec(); // users.getUsers
    bytes.extend(0x1cb5c415u32.to_le_bytes());
    bytes.extend(i32::MAX.to_le_bytes());
    assert!(Request::from_bytes(&bytes).is_err());
}
