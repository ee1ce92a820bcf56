//! Errors of TL decoding and per-layer encoding.

/// Why a TL value could not be decoded. Every variant is the sender's fault
/// (malformed or hostile input); none is a bug on our side.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended in the middle of a value.
    #[error("unexpected end of input")]
    UnexpectedEof,
    /// A constructor id that the expected type (or function set) does not have.
    #[error("unknown constructor {id:#010x} for {ty}")]
    UnknownConstructor { id: u32, ty: &'static str },
    /// Nesting of boxed values exceeded [`Limits::max_depth`](crate::Limits).
    #[error("value nested too deeply")]
    TooDeep,
    /// A message, vector or byte string over the configured limits.
    #[error("value too long")]
    TooLong,
    /// A vector with a negative element count.
    #[error("negative length")]
    NegativeLength,
    /// Input left over after a complete value was decoded.
    #[error("trailing bytes after value")]
    TrailingBytes,
    /// A well-formed request of an older layer that has no canonical
    /// counterpart (e.g. a required field the old layer cannot supply).
    #[error("{name} of layer {layer} cannot be mapped to the canonical layer")]
    Unsupported { name: &'static str, layer: i32 },
}

/// Why a canonical value could not be encoded for an older layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The layer has no constructor (or required field type) with this name.
    #[error("{name} does not exist in layer {layer}")]
    NotInLayer { name: &'static str, layer: i32 },
    /// A layer number that is not in `SUPPORTED_LAYERS`.
    #[error("layer {0} is not supported")]
    UnsupportedLayer(i32),
}
