//! The canonical Telegram API: types, enums and functions of the newest
//! supported layer ([`crate::CANONICAL_LAYER`]), plus [`Request`], the sum of
//! all functions as a server receives them. Generated from `schema/api-*.tl`.

#![allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    non_camel_case_types,
    unused_parens
)]

include!(concat!(env!("OUT_DIR"), "/api.rs"));
