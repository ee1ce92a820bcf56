//! Cross-layer behaviour against bytes written by real clients' own
//! serializers (see fixtures/make_*_fixtures.*): Pyrogram 2.0.106 (158),
//! GramJS 2.26.22 (198), pyrofork 2.3.69 (220), kurigram 2.2.26 (229).
#![cfg(feature = "api")]

use std::collections::BTreeMap;

use chappe_tl::api::{enums, functions, types, Request};
use chappe_tl::layers::{decode_request, resolve_layer, LayerDecode, LayerEncode};
use chappe_tl::{
    DecodeError, EncodeError, Limits, Serializable, CANONICAL_LAYER, SUPPORTED_LAYERS,
};

const FIXTURES: &[(i32, &str)] = &[
    (158, include_str!("fixtures/layer-158.hex")),
    (198, include_str!("fixtures/layer-198.hex")),
    (220, include_str!("fixtures/layer-220.hex")),
    (229, include_str!("fixtures/layer-229.hex")),
    (230, include_str!("fixtures/layer-230.hex")),
];

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn fixtures(text: &str) -> BTreeMap<&str, Vec<u8>> {
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(name, _)| *name != "layer")
        .map(|(name, h)| (name, hex(h.trim())))
        .collect()
}

fn decode(layer: i32, bytes: &[u8]) -> Request {
    decode_request(layer, bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("layer {layer}: {e}"))
}

#[test]
fn every_fixture_layer_is_supported() {
    for (layer, text) in FIXTURES {
        assert!(SUPPORTED_LAYERS.contains(layer));
        assert!(text.starts_with(&format!("layer {layer}\n")));
    }
    assert_eq!(CANONICAL_LAYER, *SUPPORTED_LAYERS.last().unwrap());
}

#[test]
fn real_client_login_requests_decode_into_canonical() {
    for (layer, text) in FIXTURES {
        let layer = *layer;
        let f = fixtures(text);

        let Request::InvokeWithLayer(outer) = decode(layer, &f["invoke_init_get_config"]) else {
            panic!("layer {layer}: not invokeWithLayer");
        };
        assert_eq!(outer.layer, layer);
        let Request::InitConnection(init) = decode(layer, &outer.query) else {
            panic!("layer {layer}: not initConnection");
        };
        assert_eq!(init.api_id, 12345);
        assert_eq!(init.device_model, "CPython 3.11");
        assert_eq!(init.system_version, "Linux 6.1");
        assert_eq!(init.lang_code, "en");
        assert_eq!(init.proxy, None);
        let expected_params = enums::JsonValue::JsonObject(types::JsonObject {
            value: vec![types::JsonObjectValue {
                key: "tz_offset".into(),
                value: types::JsonNumber { value: 3600.0 }.into(),
            }
            .into()],
        });
        assert_eq!(init.params, Some(expected_params));
        assert_eq!(
            decode(layer, &init.query),
            Request::HelpGetConfig(functions::help::GetConfig)
        );

        let Request::AuthSendCode(send) = decode(layer, &f["send_code"]) else {
            panic!("layer {layer}: not auth.sendCode");
        };
        assert_eq!(send.phone_number, "9996612345");
        assert_eq!(send.api_hash, "0123456789abcdef0123456789abcdef");
        let enums::CodeSettings::CodeSettings(settings) = &send.settings;
        assert!(settings.allow_app_hash && settings.current_number && !settings.allow_flashcall);

        assert_eq!(
            decode(layer, &f["get_users"]),
            Request::UsersGetUsers(functions::users::GetUsers {
                id: vec![types::InputUserSelf.into()],
            })
        );
        assert_eq!(f["get_config"], [0x6b, 0x18, 0xf9, 0xc4]);
        assert_eq!(
            decode(layer, &f["get_config"]).constructor_name(),
            "help.getConfig"
        );
    }
}

/// What each client's own `User` / `Config` bytes decode to, and that
/// re-encoding the canonical value for that layer reproduces them exactly.
#[test]
fn canonical_user_and_config_match_real_client_bytes() {
    for (layer, text) in FIXTURES.iter().filter(|(l, _)| *l != 230) {
        let layer = *layer;
        let f = fixtures(text);
        let user = enums::User::from_layer_bytes(layer, &f["user"]).unwrap();
        let enums::User::User(u) = &user else {
            panic!("layer {layer}: not user");
        };
        assert!(u.is_self && u.premium && !u.bot);
        assert_eq!(u.id, 1234567890);
        assert_eq!(u.access_hash, Some(-42));
        assert_eq!(u.first_name.as_deref(), Some("Ada"));
        assert_eq!(u.phone.as_deref(), Some("9996612345"));
        assert_eq!(u.lang_code.as_deref(), Some("en"));
        assert_eq!(
            u.status,
            Some(
                types::UserStatusOnline {
                    expires: 1700000000
                }
                .into()
            )
        );
        assert_eq!(
            user.to_layer_bytes(layer).unwrap(),
            f["user"],
            "layer {layer} user"
        );

        let config = enums::Config::from_layer_bytes(layer, &f["config"]).unwrap();
        let enums::Config::Config(c) = &config;
        assert_eq!(c.this_dc, 2);
        let enums::DcOption::DcOption(dc) = &c.dc_options[0];
        assert_eq!((dc.ip_address.as_str(), dc.port), ("127.0.0.1", 4430));
        assert_eq!(
            config.to_layer_bytes(layer).unwrap(),
            f["config"],
            "layer {layer} config"
        );
    }
}

fn newest_user() -> enums::User {
    types::User {
        is_self: true,
        bot_guard: true,
        id: 77,
        access_hash: Some(1),
        first_name: Some("Grace".into()),
        stories_max_id: Some(
            types::RecentStory {
                live: true,
                max_id: Some(5),
            }
            .into(),
        ),
        send_paid_messages_stars: Some(10),
        color: Some(
            types::PeerColor {
                color: Some(3),
                background_emoji_id: None,
            }
            .into(),
        ),
        ..Default::default()
    }
    .into()
}

#[test]
fn canonical_user_encodes_into_old_layers_dropping_new_fields() {
    let user = newest_user();
    for layer in [158, 198, 220] {
        let bytes = user.to_layer_bytes(layer).unwrap();
        let back = enums::User::from_layer_bytes(layer, &bytes).unwrap();
        let enums::User::User(b) = back else { panic!() };
        assert_eq!(
            (b.id, b.is_self, b.first_name.as_deref()),
            (77, true, Some("Grace"))
        );
        assert!(!b.bot_guard, "layer {layer} has no bot_guard");
        if layer >= 220 {
            assert_eq!(b.send_paid_messages_stars, Some(10));
            assert!(b.stories_max_id.is_some());
        } else {
            assert_eq!(b.send_paid_messages_stars, None);
            // 198 had `stories_max_id:int`; a RecentStory cannot go there.
            assert_eq!(b.stories_max_id, None);
        }
        if layer >= 198 {
            assert!(b.color.is_some(), "layer {layer} has PeerColor");
        } else {
            assert_eq!(b.color, None);
        }
    }
    // The canonical layer itself is plain serialization.
    assert_eq!(
        user.to_layer_bytes(CANONICAL_LAYER).unwrap(),
        user.to_bytes()
    );
    // Unknown layers resolve to the nearest supported one.
    assert_eq!(
        user.to_layer_bytes(170).unwrap(),
        user.to_layer_bytes(158).unwrap()
    );
}

#[test]
fn constructor_missing_in_layer_is_an_error() {
    let filter = enums::MessagesFilter::InputMessagesFilterPoll(types::InputMessagesFilterPoll);
    assert_eq!(
        filter.to_layer_bytes(158),
        Err(EncodeError::NotInLayer {
            name: "inputMessagesFilterPoll",
            layer: 158
        })
    );
    assert!(filter.to_layer_bytes(CANONICAL_LAYER).is_ok());
    // Vectors encode element-wise for the layer.
    let users = vec![newest_user(), newest_user()];
    let bytes = users.to_layer_bytes(158).unwrap();
    assert_eq!(
        Vec::<enums::User>::from_layer_bytes(158, &bytes)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn function_removed_since_old_layer_is_unsupported() {
    // messages.getAllChats#875f74be except_ids:Vector<long> (layer 158 only).
    let mut body = 0x875f74beu32.to_le_bytes().to_vec();
    body.extend(0x1cb5c415u32.to_le_bytes());
    body.extend(0i32.to_le_bytes());
    assert_eq!(
        decode_request(158, &body, &Limits::default()),
        Err(DecodeError::Unsupported {
            name: "messages.getAllChats",
            layer: 158
        })
    );
}

#[test]
fn newer_function_sent_by_old_client_falls_back() {
    // account.getConnectedBots#4ea4c80f exists only in newer layers.
    let body = 0x4ea4c80fu32.to_le_bytes();
    assert_eq!(
        decode(158, &body).constructor_name(),
        "account.getConnectedBots"
    );
    let unknown = 0x01020304u32.to_le_bytes();
    assert!(matches!(
        decode_request(158, &unknown, &Limits::default()),
        Err(DecodeError::UnknownConstructor { id: 0x01020304, .. })
    ));
}

#[test]
fn trailing_bytes_and_size_limits_apply_to_requests() {
    let mut body = functions::help::GetConfig.to_bytes();
    body.push(0);
    assert_eq!(
        decode_request(158, &body, &Limits::default()),
        Err(DecodeError::TrailingBytes)
    );
    let small = Limits {
        max_message_len: 2,
        ..Limits::default()
    };
    assert_eq!(
        decode_request(158, &[1, 2, 3, 4], &small),
        Err(DecodeError::TooLong)
    );
}

fn nested_input_peer(depth: usize) -> Vec<u8> {
    // messages.getPeerSettings#efd9a6a2 peer:InputPeer, with the peer nested
    // through inputPeerUserFromMessage#a87b0a1c peer:InputPeer msg_id:int user_id:long.
    let mut body = 0xefd9a6a2u32.to_le_bytes().to_vec();
    for _ in 0..depth {
        body.extend(0xa87b0a1cu32.to_le_bytes());
    }
    body.extend(0x7da07ec9u32.to_le_bytes()); // inputPeerSelf
    for _ in 0..depth {
        body.extend(1i32.to_le_bytes());
        body.extend(2i64.to_le_bytes());
    }
    body
}

fn nested_json_init(depth: usize) -> Vec<u8> {
    let mut body = 0xc1cd5ea9u32.to_le_bytes().to_vec(); // initConnection
    body.extend(2u32.to_le_bytes()); // flags: params
    body.extend(1i32.to_le_bytes());
    for _ in 0..6 {
        body.extend([0, 0, 0, 0]); // empty strings
    }
    for _ in 0..depth {
        body.extend(0xf7444763u32.to_le_bytes()); // jsonArray
        body.extend(0x1cb5c415u32.to_le_bytes());
        body.extend(1i32.to_le_bytes());
    }
    body.extend(0x3f6d7b68u32.to_le_bytes()); // jsonNull
    body.extend(0xc4f9186bu32.to_le_bytes()); // query: help.getConfig
    body
}

#[test]
fn deep_nesting_is_too_deep_in_every_layer() {
    let limits = Limits::default();
    for &layer in SUPPORTED_LAYERS {
        assert!(decode_request(layer, &nested_json_init(10), &limits).is_ok());
        assert_eq!(
            decode_request(layer, &nested_json_init(100_000), &limits),
            Err(DecodeError::TooDeep),
            "layer {layer}"
        );
        assert!(
            decode_request(layer, &nested_input_peer(60), &limits).is_ok(),
            "layer {layer}"
        );
        assert_eq!(
            decode_request(layer, &nested_input_peer(100_000), &limits),
            Err(DecodeError::TooDeep),
            "layer {layer}"
        );
    }
}

#[test]
fn resolve_layer_examples() {
    assert_eq!(resolve_layer(227), 220);
    assert_eq!(resolve_layer(100), 158);
    assert_eq!(resolve_layer(CANONICAL_LAYER + 5), CANONICAL_LAYER);
}

#[test]
fn result_type_names() {
    let req = Request::from(functions::users::GetUsers { id: vec![] });
    assert_eq!(chappe_tl::layers::result_type_name(&req), "Vector<User>");
    let req = Request::from(functions::help::GetConfig);
    assert_eq!(req.result_type_name(), "Config");
}

/// At the maximum allowed depth, decoding the widest recursive types must fit
/// in a 2 MiB stack (tokio's worker default), even in debug builds.
#[test]
fn max_depth_fits_in_a_small_stack() {
    fn nested(wrapper: u32, leaf: u32, depth: usize) -> Vec<u8> {
        let mut b = Vec::new();
        for _ in 0..depth {
            b.extend(wrapper.to_le_bytes());
        }
        b.extend(leaf.to_le_bytes());
        b
    }
    let depth = Limits::default().max_depth as usize;
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            for &layer in SUPPORTED_LAYERS {
                // pageBlockCover cover:PageBlock ... pageBlockDivider
                let blocks = nested(0x39f23300, 0xdb20b188, depth - 1);
                assert!(enums::PageBlock::from_layer_bytes(layer, &blocks).is_ok());
                let too_deep = nested(0x39f23300, 0xdb20b188, depth);
                assert_eq!(
                    enums::PageBlock::from_layer_bytes(layer, &too_deep),
                    Err(DecodeError::TooDeep)
                );
                // textBold text:RichText ... textEmpty
                let text = nested(0x6724abc4, 0xdc3d824f, depth - 1);
                assert!(enums::RichText::from_layer_bytes(layer, &text).is_ok());
                assert!(
                    decode_request(layer, &nested_input_peer(depth - 2), &Limits::default())
                        .is_ok()
                );
            }
        })
        .unwrap();
    handle.join().unwrap();
}

/// Real client bytes with one byte changed, or cut short, never panic.
#[test]
fn mutated_client_bytes_never_panic() {
    for (layer, text) in FIXTURES {
        for bytes in fixtures(text).values() {
            for i in 0..bytes.len() {
                for delta in [1u8, 0x80, 0xff] {
                    let mut m = bytes.clone();
                    m[i] = m[i].wrapping_add(delta);
                    let _ = decode_request(*layer, &m, &Limits::default());
                    let _ = enums::User::from_layer_bytes(*layer, &m);
                    let _ = enums::Config::from_layer_bytes(*layer, &m);
                }
                let _ = decode_request(*layer, &bytes[..i], &Limits::default());
                let _ = enums::User::from_layer_bytes(*layer, &bytes[..i]);
            }
        }
    }
}

/// Pyrogram and its forks send the `InputPeer` of `resolve_peer` where an `InputChannel`
/// or `InputUser` is expected, and Telegram accepts it; so does chappe, in every layer.
#[test]
fn input_peers_stand_in_for_input_channels_and_users() {
    use chappe_tl::api::{enums, functions, types, Request};
    use chappe_tl::{Limits, Serializable, SUPPORTED_LAYERS};

    // channels.joinChannel with inputPeerChannel instead of inputChannel.
    let mut join = functions::channels::JoinChannel {
        channel: enums::InputChannel::InputChannel(types::InputChannel {
            channel_id: 42,
            access_hash: -7,
        }),
    }
    .to_bytes();
    let at = 4; // after the function's constructor id
    join[at..at + 4].copy_from_slice(&0x27bc_bbfc_u32.to_le_bytes());
    // users.getUsers with inputPeerSelf and inputPeerUser instead of inputUserSelf/inputUser.
    let mut users = functions::users::GetUsers {
        id: vec![
            enums::InputUser::InputUserSelf(types::InputUserSelf),
            enums::InputUser::InputUser(types::InputUser {
                user_id: 5,
                access_hash: 6,
            }),
        ],
    }
    .to_bytes();
    // function id, vector id, count, then the first element's constructor id.
    users[12..16].copy_from_slice(&0x7da0_7ec9_u32.to_le_bytes());
    users[16..20].copy_from_slice(&0xdde8_a54c_u32.to_le_bytes());

    for &layer in SUPPORTED_LAYERS {
        let Request::ChannelsJoinChannel(decoded) =
            chappe_tl::layers::decode_request(layer, &join, &Limits::default())
                .unwrap_or_else(|e| panic!("layer {layer}: {e}"))
        else {
            panic!("layer {layer}: not joinChannel");
        };
        assert_eq!(
            decoded.channel,
            enums::InputChannel::InputChannel(types::InputChannel {
                channel_id: 42,
                access_hash: -7
            }),
            "layer {layer}"
        );
        let Request::UsersGetUsers(decoded) =
            chappe_tl::layers::decode_request(layer, &users, &Limits::default())
                .unwrap_or_else(|e| panic!("layer {layer}: {e}"))
        else {
            panic!("layer {layer}: not getUsers");
        };
        assert_eq!(
            decoded.id,
            vec![
                enums::InputUser::InputUserSelf(types::InputUserSelf),
                enums::InputUser::InputUser(types::InputUser {
                    user_id: 5,
                    access_hash: 6
                }),
            ],
            "layer {layer}"
        );
    }
}
