//! Telegram's TL for chappe: the MTProto service schema, the canonical
//! Telegram API (the newest supported layer), per-layer codecs, and bounded
//! decoding of untrusted input.
//!
//! Everything under [`mtproto`] and [`api`] is generated at build time from
//! the schema files in the repository's `schema/` directory (see
//! `chappe-tl-gen`); adding a layer is adding a file there.

mod error;
mod limits;
mod reader;
mod traits;
pub mod wire;

pub mod mtproto;

#[cfg(feature = "api")]
pub mod api;
#[cfg(feature = "api")]
pub mod layers;

pub use error::{DecodeError, EncodeError};
pub use limits::Limits;
pub use reader::Reader;
pub use traits::{
    from_bytes_with, Deserializable, Identifiable, RawObject, RemoteCall, Serializable,
};

include!(concat!(env!("OUT_DIR"), "/layer_consts.rs"));
