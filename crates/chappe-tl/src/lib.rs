//! Telegram's TL for chappe: the MTProto service schema, the canonical
//! Telegram API (the newest supported layer), per-layer codecs, and bounded
//! decoding of untrusted input.
//!
//! Everything under [`mtproto`] and [`api`] is generated at build time from
//! the schema files in the repository's `schema/` directory (see
//! `chappe-tl-gen`); adding a layer is adding a file there.
//!
//! Naming, uniform so every name is predictable from the schema:
//! - constructor `ns.fooBar` -> struct `types::ns::FooBar`; function
//!   `ns.getFoo` -> struct `functions::ns::GetFoo`; boxed type `ns.Foo` ->
//!   `enums::ns::Foo`, whose variants are named after the constructors
//!   (`enums::InputPeer::InputPeerSelf(types::InputPeerSelf)`);
//! - PascalCase per word with acronyms lowered: `server_DH_params_ok` ->
//!   `ServerDhParamsOk`, `resPQ` -> `ResPq`, `JSONValue` -> `JsonValue`;
//! - fields keep their TL names, lower-cased (`srp_B` -> `srp_b`); keywords
//!   become raw identifiers (`r#type`), and `self` becomes `is_self`;
//! - `api::Request` variants join namespace and name: `HelpGetConfig`.
//!
//! Types: `int` i32, `long` i64, `double` f64, `int128`/`int256` byte arrays,
//! `string` String (invalid UTF-8 replaced), `bytes` Vec<u8>, `Bool` and
//! `flags.N?true` bool, `flags.N?T` Option<T>, vectors Vec<T>; `#` flag words
//! are computed on encode and not stored; fields that would make a type
//! infinitely large are boxed. The `!X` query of generic wrappers
//! (invokeWithLayer, initConnection ...) stays raw bytes.
//!
//! Features: `api` (default) — the Telegram API and [`layers`]; without it
//! only [`mtproto`] and the traits are built.

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
