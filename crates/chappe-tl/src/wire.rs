//! Encoding of TL primitives, shared by the generated code.

/// `boolTrue#997275b5`
pub const BOOL_TRUE: u32 = 0x9972_75b5;
/// `boolFalse#bc799737`
pub const BOOL_FALSE: u32 = 0xbc79_9737;
/// `vector#1cb5c415`
pub const VECTOR: u32 = 0x1cb5_c415;

pub fn write_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn write_i32(out: &mut Vec<u8>, v: i32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn write_f64(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    write_u32(out, if v { BOOL_TRUE } else { BOOL_FALSE });
}

/// A TL byte string. TL cannot express lengths of 2^24 or more; such data
/// never fits in a 16 MiB MTProto message, so the length is truncated to 24
/// bits rather than panicking (the peer will reject the message).
pub fn write_bytes(out: &mut Vec<u8>, data: &[u8]) {
    let len = data.len();
    let header = if len < 254 {
        out.push(len as u8);
        1
    } else {
        let l = (len as u32).to_le_bytes();
        out.extend_from_slice(&[254, l[0], l[1], l[2]]);
        4
    };
    out.extend_from_slice(data);
    let padding = (4 - (header + len) % 4) % 4;
    out.extend(std::iter::repeat_n(0u8, padding));
}

pub fn write_string(out: &mut Vec<u8>, s: &str) {
    write_bytes(out, s.as_bytes());
}

/// Vector header: the `vector` id when boxed, then the element count.
pub fn write_vector_len(out: &mut Vec<u8>, boxed: bool, len: usize) {
    if boxed {
        write_u32(out, VECTOR);
    }
    write_i32(out, i32::try_from(len).unwrap_or(i32::MAX));
}

/// Initial capacity for a decoded vector: the count is already checked
/// against the input size, but a small wire element can be a large Rust value,
/// so pre-allocate at most ~64 KiB and let the vector grow from there.
pub fn capped_capacity<T>(count: usize) -> usize {
    count.min(65536 / std::mem::size_of::<T>().max(1))
}

/// Decodes one variant's body and wraps it. Generated `match` arms call this
/// instead of building the value inline: unoptimised builds give every arm's
/// temporaries their own stack slot, so a 100-variant enum decoded inline
/// would need a frame as large as all its variants together, and recursive
/// types nested to the depth limit could overflow a small thread stack.
#[doc(hidden)]
pub fn decode_variant<T, S>(
    r: &mut crate::Reader<'_>,
    wrap: impl FnOnce(T) -> S,
    decode: impl FnOnce(&mut crate::Reader<'_>) -> Result<T, crate::DecodeError>,
) -> Result<S, crate::DecodeError> {
    decode(r).map(wrap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, Reader};

    #[test]
    fn bytes_round_trip_at_boundaries() {
        for len in [0usize, 1, 2, 3, 4, 253, 254, 255, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut out = Vec::new();
            write_bytes(&mut out, &data);
            assert_eq!(out.len() % 4, 0, "len {len}");
            let mut r = Reader::new(&out, Limits::default());
            assert_eq!(r.read_bytes().unwrap(), data);
            r.finish().unwrap();
        }
    }
}
