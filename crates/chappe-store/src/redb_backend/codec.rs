//! A small, versioned binary encoding for the values redb stores.
//!
//! Hand-rolled rather than serde so the on-disk format is explicit and
//! stable: each value starts with a format version byte, integers are
//! little-endian, strings carry a u32 length. Decoding never panics and never
//! allocates more than the input holds.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::StoreError;

/// Appends fields to a value being encoded.
#[derive(Default)]
pub(super) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(super) fn new(version: u8) -> Self {
        let mut writer = Self::default();
        writer.u8(version);
        writer
    }

    pub(super) fn finish(self) -> Vec<u8> {
        self.buf
    }

    pub(super) fn u8(&mut self, value: u8) {
        self.buf.push(value);
    }

    pub(super) fn i32(&mut self, value: i32) {
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn i64(&mut self, value: i64) {
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    pub(super) fn str(&mut self, value: &str) {
        // Strings come from TL (at most 16 MiB), so they always fit a u32.
        let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.extend_from_slice(value.as_bytes());
    }

    pub(super) fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }

    pub(super) fn u32(&mut self, value: u32) {
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn bytes(&mut self, value: &[u8]) {
        // Byte strings come from TL too, so they fit a u32 like strings.
        let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.extend_from_slice(value);
    }

    pub(super) fn opt_str(&mut self, value: Option<&str>) {
        match value {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.str(v);
            }
        }
    }

    pub(super) fn opt_i32(&mut self, value: Option<i32>) {
        match value {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.i32(v);
            }
        }
    }

    pub(super) fn opt_i64(&mut self, value: Option<i64>) {
        match value {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.i64(v);
            }
        }
    }

    pub(super) fn opt_ip(&mut self, value: Option<IpAddr>) {
        match value {
            None => self.u8(0),
            Some(IpAddr::V4(ip)) => {
                self.u8(4);
                self.raw(&ip.octets());
            }
            Some(IpAddr::V6(ip)) => {
                self.u8(6);
                self.raw(&ip.octets());
            }
        }
    }
}

/// Reads fields back, reporting damage as [`StoreError::Corrupt`].
pub(super) struct Reader<'a> {
    table: &'static str,
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading a value of `table`, checking its format version.
    pub(super) fn new(
        table: &'static str,
        bytes: &'a [u8],
        version: u8,
    ) -> Result<Self, StoreError> {
        let mut reader = Self { table, rest: bytes };
        let found = reader.u8()?;
        if found != version {
            return Err(reader.corrupt(format!("unknown format version {found}")));
        }
        Ok(reader)
    }

    /// Checks the whole value was consumed.
    pub(super) fn finish(self) -> Result<(), StoreError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.corrupt(format!("{} trailing bytes", self.rest.len())))
        }
    }

    pub(super) fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            reason,
        }
    }

    pub(super) fn take<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        let Some((head, tail)) = self.rest.split_first_chunk::<N>() else {
            return Err(self.corrupt(format!("truncated: wanted {N} bytes")));
        };
        self.rest = tail;
        Ok(*head)
    }

    pub(super) fn u8(&mut self) -> Result<u8, StoreError> {
        Ok(self.take::<1>()?[0])
    }

    pub(super) fn i32(&mut self) -> Result<i32, StoreError> {
        Ok(i32::from_le_bytes(self.take()?))
    }

    pub(super) fn i64(&mut self) -> Result<i64, StoreError> {
        Ok(i64::from_le_bytes(self.take()?))
    }

    pub(super) fn str(&mut self) -> Result<String, StoreError> {
        let bytes = self.byte_slice()?;
        match std::str::from_utf8(bytes) {
            Ok(value) => Ok(value.to_owned()),
            Err(_) => Err(self.corrupt("string is not UTF-8".into())),
        }
    }

    pub(super) fn bytes(&mut self) -> Result<Vec<u8>, StoreError> {
        Ok(self.byte_slice()?.to_vec())
    }

    /// A u32 length then that many bytes, checked against what is left
    /// before anything is copied.
    fn byte_slice(&mut self) -> Result<&'a [u8], StoreError> {
        let len = u32::from_le_bytes(self.take()?);
        let len = usize::try_from(len).map_err(|_| self.corrupt("length too big".into()))?;
        if len > self.rest.len() {
            return Err(self.corrupt(format!("truncated: wanted {len} bytes")));
        }
        let (bytes, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(bytes)
    }

    pub(super) fn u32(&mut self) -> Result<u32, StoreError> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    pub(super) fn bool(&mut self) -> Result<bool, StoreError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(self.corrupt(format!("bad bool {tag}"))),
        }
    }

    pub(super) fn opt_str(&mut self) -> Result<Option<String>, StoreError> {
        Ok(if self.present()? {
            Some(self.str()?)
        } else {
            None
        })
    }

    /// Reads a presence tag: 0 absent, 1 present.
    pub(super) fn present(&mut self) -> Result<bool, StoreError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(self.corrupt(format!("bad option tag {tag}"))),
        }
    }

    pub(super) fn opt_i32(&mut self) -> Result<Option<i32>, StoreError> {
        Ok(if self.present()? {
            Some(self.i32()?)
        } else {
            None
        })
    }

    pub(super) fn opt_i64(&mut self) -> Result<Option<i64>, StoreError> {
        Ok(if self.present()? {
            Some(self.i64()?)
        } else {
            None
        })
    }

    pub(super) fn opt_ip(&mut self) -> Result<Option<IpAddr>, StoreError> {
        match self.u8()? {
            0 => Ok(None),
            4 => Ok(Some(IpAddr::V4(Ipv4Addr::from(self.take::<4>()?)))),
            6 => Ok(Some(IpAddr::V6(Ipv6Addr::from(self.take::<16>()?)))),
            tag => Err(self.corrupt(format!("bad address tag {tag}"))),
        }
    }
}
