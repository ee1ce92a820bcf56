//! Multi-layer support: clients speak different API layers (Pyrogram 158,
//! GramJS 198, pyrofork 220, Telethon/kurigram 229 ...), the rest of chappe
//! works with the canonical types only. This module decodes a request of any
//! supported layer into the canonical [`api::Request`], and encodes canonical
//! values into the constructors of the layer a session negotiated.
//!
//! Mapping is by name: fields a layer lacks are dropped (encode) or become
//! `None` / `false` / default (decode); flags are recomputed. What cannot be
//! mapped is an error, never a guess: [`EncodeError::NotInLayer`],
//! [`DecodeError::Unsupported`].

mod primitives;

use crate::{api, DecodeError, EncodeError, Limits, Reader};

pub use crate::{CANONICAL_LAYER, SUPPORTED_LAYERS};

/// The layer whose codec serves a client asking for `requested`: the highest
/// supported layer not above it, or the lowest supported one if it is below all.
pub fn resolve_layer(requested: i32) -> i32 {
    let lowest = SUPPORTED_LAYERS.first().copied().unwrap_or(CANONICAL_LAYER);
    SUPPORTED_LAYERS
        .iter()
        .copied()
        .filter(|&l| l <= requested)
        .max()
        .unwrap_or(lowest)
}

/// Decodes a whole request body sent by a client of `layer` into the
/// canonical request. The constructor id is looked up in that layer first;
/// an id that layer does not know is tried in the canonical layer and then in
/// the other layers (clients mix in newer or older functions now and then).
pub fn decode_request(
    layer: i32,
    body: &[u8],
    limits: &Limits,
) -> Result<api::Request, DecodeError> {
    if body.len() > limits.max_message_len {
        return Err(DecodeError::TooLong);
    }
    let layer = resolve_layer(layer);
    let mut r = Reader::new(body, *limits);
    let id = r.read_u32()?;
    let mut order = vec![layer, CANONICAL_LAYER];
    order.extend(SUPPORTED_LAYERS.iter().rev().copied());
    order.dedup();
    let mut tried = Vec::with_capacity(order.len());
    for l in order {
        if tried.contains(&l) {
            continue;
        }
        tried.push(l);
        let mut attempt = r.clone();
        if let Some(result) = decode_in_layer(l, id, &mut attempt) {
            let request = result?;
            attempt.finish()?;
            return Ok(request);
        }
    }
    Err(DecodeError::UnknownConstructor { id, ty: "Request" })
}

/// The TL result type of a request, e.g. `auth.SentCode` or `Vector<User>`.
pub fn result_type_name(req: &api::Request) -> &'static str {
    req.result_type_name()
}

/// Writes a canonical value as the constructor of the same name in `layer`
/// (resolved with [`resolve_layer`]).
pub trait LayerEncode {
    fn encode_for_layer(&self, layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError>;

    /// Convenience wrapper returning a fresh buffer.
    fn to_layer_bytes(&self, layer: i32) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_for_layer(layer, &mut out)?;
        Ok(out)
    }
}

/// Reads a value sent in `layer`'s format (resolved with [`resolve_layer`])
/// into the canonical type.
pub trait LayerDecode: Sized {
    fn decode_for_layer(layer: i32, r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Decodes a whole buffer with default limits; all of it must be used.
    fn from_layer_bytes(layer: i32, bytes: &[u8]) -> Result<Self, DecodeError> {
        let limits = Limits::default();
        if bytes.len() > limits.max_message_len {
            return Err(DecodeError::TooLong);
        }
        let mut r = Reader::new(bytes, limits);
        let v = Self::decode_for_layer(layer, &mut r)?;
        r.finish()?;
        Ok(v)
    }
}

#[allow(clippy::all, clippy::pedantic, missing_docs, unused_parens)]
mod generated {
    use super::{resolve_layer, LayerDecode, LayerEncode};
    include!(concat!(env!("OUT_DIR"), "/layers.rs"));
}

use generated::decode_in_layer;
pub use generated::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_picks_highest_not_above() {
        assert_eq!(resolve_layer(158), 158);
        assert_eq!(resolve_layer(170), 158);
        assert_eq!(resolve_layer(227), 220);
        assert_eq!(resolve_layer(1), SUPPORTED_LAYERS[0]);
        assert_eq!(resolve_layer(10_000), CANONICAL_LAYER);
    }
}
