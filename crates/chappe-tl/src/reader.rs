//! Bounded cursor over untrusted TL input.
//!
//! Every read checks the remaining length first; vector counts are checked
//! against the remaining input and the limits before any allocation, and each
//! nested boxed value goes through [`Reader::nested`], which enforces the depth
//! limit so hostile recursion (e.g. `jsonArray` inside `jsonArray` ...) ends in
//! [`DecodeError::TooDeep`] instead of a stack overflow.

use crate::wire::{BOOL_FALSE, BOOL_TRUE, VECTOR};
use crate::{DecodeError, Limits};

/// A cursor over a byte slice holding TL values.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
    limits: Limits,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], limits: Limits) -> Self {
        Reader {
            buf,
            pos: 0,
            depth: 0,
            limits,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Current nesting depth of boxed values.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Moves the cursor back (or forward) to an earlier [`position`](Self::position).
    pub fn seek(&mut self, pos: usize) -> Result<(), DecodeError> {
        if pos > self.buf.len() {
            return Err(DecodeError::UnexpectedEof);
        }
        self.pos = pos;
        Ok(())
    }

    /// Fails with [`DecodeError::TrailingBytes`] unless all input was consumed.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes)
        }
    }

    /// Runs `f` one nesting level deeper, failing if that exceeds the limit.
    pub fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.depth >= self.limits.max_depth {
            return Err(DecodeError::TooDeep);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    pub fn read_raw(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(len)
            .ok_or(DecodeError::UnexpectedEof)?;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(DecodeError::UnexpectedEof)?;
        self.pos = end;
        Ok(bytes)
    }

    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.read_raw(N)?);
        Ok(out)
    }

    pub fn read_u32(&mut self) -> Result<u32, DecodeError> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// Reads the next `u32` without consuming it.
    pub fn peek_u32(&self) -> Result<u32, DecodeError> {
        let bytes = self
            .buf
            .get(self.pos..self.pos + 4)
            .ok_or(DecodeError::UnexpectedEof)?;
        let mut out = [0u8; 4];
        out.copy_from_slice(bytes);
        Ok(u32::from_le_bytes(out))
    }

    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        self.read_array().map(i32::from_le_bytes)
    }

    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        self.read_array().map(i64::from_le_bytes)
    }

    pub fn read_u64(&mut self) -> Result<u64, DecodeError> {
        self.read_array().map(u64::from_le_bytes)
    }

    pub fn read_f64(&mut self) -> Result<f64, DecodeError> {
        self.read_array().map(f64::from_le_bytes)
    }

    pub fn read_int128(&mut self) -> Result<[u8; 16], DecodeError> {
        self.read_array()
    }

    pub fn read_int256(&mut self) -> Result<[u8; 32], DecodeError> {
        self.read_array()
    }

    /// A TL byte string (length prefix, data, padding to 4 bytes), borrowed.
    pub fn read_bytes_ref(&mut self) -> Result<&'a [u8], DecodeError> {
        let first = *self
            .read_raw(1)?
            .first()
            .ok_or(DecodeError::UnexpectedEof)?;
        let (len, header) = match first {
            0..=253 => (usize::from(first), 1),
            254 => {
                let b = self.read_raw(3)?;
                let len = b
                    .iter()
                    .rev()
                    .fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
                (len, 4)
            }
            _ => return Err(DecodeError::TooLong),
        };
        let data = self.read_raw(len)?;
        let padding = (4 - (header + len) % 4) % 4;
        self.read_raw(padding)?;
        Ok(data)
    }

    pub fn read_bytes(&mut self) -> Result<Vec<u8>, DecodeError> {
        self.read_bytes_ref().map(<[u8]>::to_vec)
    }

    /// A TL string; invalid UTF-8 is replaced rather than rejected, since
    /// clients are not all careful about it.
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_bytes_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// A boxed `Bool` (boolTrue / boolFalse).
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        match self.read_u32()? {
            BOOL_TRUE => Ok(true),
            BOOL_FALSE => Ok(false),
            id => Err(DecodeError::UnknownConstructor { id, ty: "Bool" }),
        }
    }

    /// All remaining bytes (the `!X` query of invokeWithLayer & co.).
    pub fn read_rest(&mut self) -> Vec<u8> {
        let rest = self.buf.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.buf.len();
        rest
    }

    /// Reads a vector header (`vector` id if `boxed`, then the count) and
    /// checks the count against the limits and against what `min_elem_size`
    /// bytes per element could still fit in the input.
    pub fn read_vector_len(
        &mut self,
        boxed: bool,
        min_elem_size: usize,
    ) -> Result<usize, DecodeError> {
        if boxed {
            self.expect_constructor(VECTOR, "Vector")?;
        }
        let count = self.read_i32()?;
        let count = usize::try_from(count).map_err(|_| DecodeError::NegativeLength)?;
        if count > self.limits.max_vector_len {
            return Err(DecodeError::TooLong);
        }
        if count.saturating_mul(min_elem_size) > self.remaining() {
            return Err(DecodeError::UnexpectedEof);
        }
        Ok(count)
    }

    /// Reads a constructor id and fails unless it is `id`.
    pub fn expect_constructor(&mut self, id: u32, ty: &'static str) -> Result<(), DecodeError> {
        match self.read_u32()? {
            got if got == id => Ok(()),
            got => Err(DecodeError::UnknownConstructor { id: got, ty }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_bytes() {
        let mut r = Reader::new(&[3, b'a', b'b', b'c'], Limits::default());
        assert_eq!(r.read_bytes().unwrap(), b"abc");
        r.finish().unwrap();
        let mut long = vec![254, 0, 1, 0];
        long.extend(std::iter::repeat_n(7u8, 256));
        let mut r = Reader::new(&long, Limits::default());
        assert_eq!(r.read_bytes().unwrap().len(), 256);
        r.finish().unwrap();
    }

    #[test]
    fn truncated_bytes_fail() {
        let mut r = Reader::new(&[10, 1, 2], Limits::default());
        assert_eq!(r.read_bytes(), Err(DecodeError::UnexpectedEof));
        let mut r = Reader::new(&[255, 0, 0, 0], Limits::default());
        assert_eq!(r.read_bytes(), Err(DecodeError::TooLong));
    }

    #[test]
    fn vector_count_checked_before_allocation() {
        let mut input = VECTOR.to_le_bytes().to_vec();
        input.extend(1_000_000i32.to_le_bytes());
        let mut r = Reader::new(&input, Limits::default());
        assert_eq!(r.read_vector_len(true, 4), Err(DecodeError::UnexpectedEof));
        let mut input = VECTOR.to_le_bytes().to_vec();
        input.extend((-1i32).to_le_bytes());
        let mut r = Reader::new(&input, Limits::default());
        assert_eq!(r.read_vector_len(true, 4), Err(DecodeError::NegativeLength));
    }

    #[test]
    fn depth_is_limited() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let mut r = Reader::new(&[], limits);
        let res = r.nested(|r| r.nested(|r| r.nested(|_| Ok(()))));
        assert_eq!(res, Err(DecodeError::TooDeep));
        assert_eq!(r.depth(), 0);
    }
}
