//! `LayerEncode` for values whose encoding no layer changes: TL primitives,
//! raw objects, and vectors (which encode each element for the layer).

use super::LayerEncode;
use crate::{wire, EncodeError, RawObject, Serializable};

macro_rules! layer_independent {
    ($($t:ty),*) => {$(
        impl LayerEncode for $t {
            fn encode_for_layer(&self, _layer: i32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                self.serialize(out);
                Ok(())
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
