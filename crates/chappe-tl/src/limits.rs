//! Decoding limits: what a peer may make us read, allocate and recurse into.

/// Bounds applied while decoding untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest whole message accepted by `from_bytes` / `decode_request`.
    pub max_message_len: usize,
    /// Deepest nesting of boxed values (each boxed type decode is one level).
    pub max_depth: u32,
    /// Largest element count of a single vector.
    pub max_vector_len: usize,
}

impl Limits {
    /// 16 MiB messages (MTProto's own cap), depth 64, vectors up to 1 Mi items.
    pub const DEFAULT: Limits = Limits {
        max_message_len: 16 * 1024 * 1024,
        max_depth: 64,
        max_vector_len: 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
