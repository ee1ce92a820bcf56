//! The codec traits every generated type implements, and their impls for the
//! TL primitives used as function results (`Vector<long>`, `Bool`, `X` ...).

use crate::wire;
use crate::{DecodeError, Limits, Reader};

/// Writes the boxed TL form of a value.
pub trait Serializable {
    fn serialize(&self, out: &mut Vec<u8>);

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.serialize(&mut out);
        out
    }
}

/// Reads the boxed TL form of a value.
pub trait Deserializable: Sized {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Decodes a whole buffer with [`Limits::default`]; the value must use
    /// all of it.
    fn from_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        from_bytes_with(b, &Limits::default())
    }
}

/// [`Deserializable::from_bytes`] with explicit limits.
pub fn from_bytes_with<T: Deserializable>(b: &[u8], limits: &Limits) -> Result<T, DecodeError> {
    if b.len() > limits.max_message_len {
        return Err(DecodeError::TooLong);
    }
    let mut r = Reader::new(b, *limits);
    let v = T::deserialize(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// A TL constructor or function with a fixed id.
pub trait Identifiable {
    const CONSTRUCTOR_ID: u32;
}

/// A TL function: what the server answers with.
pub trait RemoteCall: Serializable {
    type Return: Deserializable;
}

/// The result of a generic function (`invokeWithLayer` ... `= X`) or any
/// value kept undecoded: the raw bytes, written verbatim. Decoding takes all
/// the remaining input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawObject(pub Vec<u8>);

impl Serializable for RawObject {
    fn serialize(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }
}

impl Deserializable for RawObject {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(RawObject(r.read_rest()))
    }
}

macro_rules! primitive {
    ($t:ty, $read:ident, $write:expr) => {
        impl Serializable for $t {
            fn serialize(&self, out: &mut Vec<u8>) {
                $write(out, self)
            }
        }
        impl Deserializable for $t {
            fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read()
            }
        }
    };
}

primitive!(i32, read_i32, |out, v: &i32| wire::write_i32(out, *v));
primitive!(i64, read_i64, |out, v: &i64| wire::write_i64(out, *v));
primitive!(f64, read_f64, |out, v: &f64| wire::write_f64(out, *v));
primitive!(bool, read_bool, |out, v: &bool| wire::write_bool(out, *v));
primitive!(String, read_string, |out, v: &String| wire::write_string(
    out, v
));
primitive!([u8; 16], read_int128, |out: &mut Vec<u8>, v: &[u8; 16]| out
    .extend_from_slice(v));
primitive!([u8; 32], read_int256, |out: &mut Vec<u8>, v: &[u8; 32]| out
    .extend_from_slice(v));

/// A boxed `Vector<T>` of boxed elements.
impl<T: Serializable> Serializable for Vec<T> {
    fn serialize(&self, out: &mut Vec<u8>) {
        wire::write_vector_len(out, true, self.len());
        for x in self {
            x.serialize(out);
        }
    }
}

impl<T: Deserializable> Deserializable for Vec<T> {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // Every element type we use encodes to at least 4 bytes.
        let n = r.read_vector_len(true, 4)?;
        let mut v = Vec::with_capacity(wire::capped_capacity::<T>(n));
        for _ in 0..n {
            v.push(T::deserialize(r)?);
        }
        Ok(v)
    }
}
