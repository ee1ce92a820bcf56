//! `LayerEncode` / `LayerDecode` for values whose encoding no layer changes:
//! TL primitives, raw objects, and vectors (which convert each element).

use super::{LayerDecode, LayerEncode};
use crate::{wire, DecodeError, Deserializable, EncodeError, RawObject, Reader, Serializable};

macro_rules! layer_independent {
    ($($t:ty),*) => {$(
        impl LayerEncode for $t {
            fn encode_for_layer(&self, _layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                self.serialize(out);
                Ok(())
            }
        }
        impl LayerDecode for $t {
            fn decode_for_layer(_layer: i32, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                <$t as Deserializable>::deserialize(r)
            }
        }
    )*};
}

layer_independent!(i32, i64, f64, bool, String, [u8; 16], [u8; 32], RawObject);

/// TL `bytes`.
impl LayerEncode for Vec<u8> {
    fn encode_for_layer(&self, _layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        wire::write_bytes(out, self);
        Ok(())
    }
}

/// A boxed `Vector<T>`.
impl<T: LayerEncode> LayerEncode for Vec<T> {
    fn encode_for_layer(&self, layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        wire::write_vector_len(out, true, self.len());
        for x in self {
            x.encode_for_layer(layer, out)?;
        }
        Ok(())
    }
}

impl<T: LayerDecode> LayerDecode for Vec<T> {
    fn decode_for_layer(layer: i32, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.read_vector_len(true, 4)?;
        let mut v = Vec::with_capacity(wire::capped_capacity::<T>(n));
        for _ in 0..n {
            v.push(T::decode_for_layer(layer, r)?);
        }
        Ok(v)
    }
}
