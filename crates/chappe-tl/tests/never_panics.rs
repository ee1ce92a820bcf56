//! Arbitrary bytes into every top-level decoder must return, never panic.

use chappe_tl::Deserializable;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mtproto_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = chappe_tl::mtproto::Request::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::enums::ResPq::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::enums::ServerDhParams::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::enums::BadMsgNotification::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::raw::MsgContainer::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::raw::RpcResult::from_bytes(&bytes);
        let _ = chappe_tl::mtproto::raw::GzipPacked::from_bytes(&bytes);
    }

    #[cfg(feature = "api")]
    #[test]
    fn api_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = chappe_tl::api::Request::from_bytes(&bytes);
        let _ = chappe_tl::api::enums::User::from_bytes(&bytes);
        let _ = chappe_tl::api::enums::JsonValue::from_bytes(&bytes);
        let _ = chappe_tl::api::enums::Updates::from_bytes(&bytes);
    }

    /// Valid constructor id followed by random bytes reaches deeper code.
    #[cfg(feature = "api")]
    #[test]
    fn api_request_bodies_never_panic(
        id in prop::sample::select(vec![0xa677244fu32, 0x0d91a548, 0xc1cd5ea9, 0xda9b0d0d, 0x0d9d75a4, 0x983d88b3]),
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = id.to_le_bytes().to_vec();
        bytes.extend(body);
        let _ = chappe_tl::api::Request::from_bytes(&bytes);
    }
}

#[cfg(feature = "api")]
mod layered {
    use chappe_tl::api::enums;
    use chappe_tl::layers::{decode_request, function_ids, LayerDecode};
    use chappe_tl::{Limits, SUPPORTED_LAYERS};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn decode_request_never_panics(
            layer in prop::sample::select(SUPPORTED_LAYERS.to_vec()),
            bytes in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let _ = decode_request(layer, &bytes, &Limits::default());
            let _ = enums::User::from_layer_bytes(layer, &bytes);
            let _ = enums::Updates::from_layer_bytes(layer, &bytes);
        }

        /// Every function id of every layer, followed by arbitrary bytes.
        #[test]
        fn decode_request_bodies_never_panic(
            layer in prop::sample::select(SUPPORTED_LAYERS.to_vec()),
            pick in any::<prop::sample::Index>(),
            body in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let ids = function_ids(layer);
            prop_assert!(!ids.is_empty());
            let mut bytes = ids[pick.index(ids.len())].to_le_bytes().to_vec();
            bytes.extend(body);
            for &as_layer in SUPPORTED_LAYERS {
                let _ = decode_request(as_layer, &bytes, &Limits::default());
            }
        }
    }
}
