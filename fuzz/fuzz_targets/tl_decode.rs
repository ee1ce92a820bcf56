//! Fuzzes chappe-tl's decoders: the first byte picks a supported layer (and
//! which decoder), the rest is fed as a request body / value.
#![no_main]

use chappe_tl::layers::{decode_request, LayerDecode};
use chappe_tl::{api, mtproto, Deserializable, Limits, SUPPORTED_LAYERS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let layer = SUPPORTED_LAYERS[usize::from(selector) % SUPPORTED_LAYERS.len()];
    let _ = decode_request(layer, body, &Limits::default());
    // The high bits also exercise value decoders and the MTProto schema.
    match selector >> 5 {
        0 => {
            let _ = api::enums::User::from_layer_bytes(layer, body);
        }
        1 => {
            let _ = api::enums::Updates::from_layer_bytes(layer, body);
        }
        2 => {
            let _ = mtproto::Request::from_bytes(body);
        }
        3 => {
            let _ = mtproto::raw::MsgContainer::from_bytes(body);
        }
        _ => {}
    }
});
