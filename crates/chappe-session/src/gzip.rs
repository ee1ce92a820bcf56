//! `gzip_packed#3072cfa1 packed_data:bytes = Object`: bounded inflating of what a peer
//! sends and opportunistic compression of what we send.
//!
//! Inflating is bounded while it runs (never "inflate, then check the size"), so a
//! small gzip bomb cannot make us allocate more than the configured maximum.

use std::io::{Read, Write};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::wire::{ids, put_bytes, put_u32, Reader, WireError};

/// Why a `gzip_packed` could not be unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GzipError {
    /// The TL framing around the compressed data is malformed.
    #[error("malformed gzip_packed: {0}")]
    Wire(#[from] WireError),
    /// The compressed data is not valid gzip.
    #[error("invalid gzip data")]
    Corrupt,
    /// The data inflates to more than the allowed size.
    #[error("gzip_packed inflates beyond the limit")]
    TooLarge,
}

/// Inflates gzip `data`, failing as soon as the output would exceed `max_len` bytes.
pub fn inflate_bounded(data: &[u8], max_len: usize) -> Result<Vec<u8>, GzipError> {
    let limit = u64::try_from(max_len).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::new();
    GzDecoder::new(data)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| GzipError::Corrupt)?;
    if out.len() > max_len {
        return Err(GzipError::TooLarge);
    }
    Ok(out)
}

/// Unpacks a whole `gzip_packed` object (constructor id included) into the object it
/// carries, bounded by `max_len`.
pub fn unpack(object: &[u8], max_len: usize) -> Result<Vec<u8>, GzipError> {
    let mut r = Reader::new(object);
    r.expect(ids::GZIP_PACKED)?;
    let packed = r.bytes()?;
    if !r.is_empty() {
        return Err(GzipError::Wire(WireError::BadLength));
    }
    inflate_bounded(packed, max_len)
}

/// Wraps `object` in `gzip_packed`.
pub fn pack(object: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(object.len() / 2), Compression::fast());
    // Writing into a Vec cannot fail.
    let compressed = match encoder.write_all(object).and_then(|()| encoder.finish()) {
        Ok(compressed) => compressed,
        Err(_) => return object.to_vec(),
    };
    let mut out = Vec::with_capacity(compressed.len() + 8);
    put_u32(&mut out, ids::GZIP_PACKED);
    put_bytes(&mut out, &compressed);
    out
}

/// `object` packed if it is at least `threshold` bytes long and packing makes it
/// smaller; otherwise `object` unchanged. Objects over 16 MiB are never packed (a TL
/// `bytes` cannot hold them).
pub fn pack_if_smaller(object: Vec<u8>, threshold: usize) -> Vec<u8> {
    if object.len() < threshold || object.len() >= (1 << 24) {
        return object;
    }
    let packed = pack(&object);
    if packed.len() < object.len() {
        packed
    } else {
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let object: Vec<u8> = std::iter::repeat_n(*b"abcd", 1000).flatten().collect();
        let packed = pack_if_smaller(object.clone(), 100);
        assert!(packed.len() < object.len());
        assert_eq!(unpack(&packed, 1 << 20).unwrap(), object);
    }

    #[test]
    fn small_or_incompressible_stays_plain() {
        assert_eq!(pack_if_smaller(vec![1, 2, 3, 4], 100), vec![1, 2, 3, 4]);
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let out = pack_if_smaller(noise.clone(), 100);
        assert!(out == noise || out.len() < noise.len());
    }

    #[test]
    fn bomb_is_stopped_at_the_limit() {
        let zeros = vec![0u8; 1 << 20];
        let packed = pack(&zeros);
        assert!(packed.len() < 8 * 1024);
        assert_eq!(unpack(&packed, 1000), Err(GzipError::TooLarge));
        assert_eq!(unpack(&packed, 1 << 20).unwrap().len(), 1 << 20);
    }

    #[test]
    fn garbage_is_an_error() {
        let mut object = Vec::new();
        put_u32(&mut object, ids::GZIP_PACKED);
        put_bytes(&mut object, b"not gzip at all");
        assert_eq!(unpack(&object, 1000), Err(GzipError::Corrupt));
        assert!(unpack(&[1, 2, 3], 1000).is_err());
    }
}
