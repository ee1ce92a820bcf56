//! Peeling the invocation wrappers off an RPC query: `invokeWithLayer`,
//! `initConnection`, `invokeWithoutUpdates`, `invokeAfterMsg`, `invokeAfterMsgs` and
//! `gzip_packed`, nested in any order. What is left is the query the application runs.
//!
//! These wrappers are identical in every API layer, so they are decoded here by hand
//! rather than through a layer's codec; any other wrapper (invokeWithTakeout …) is
//! part of the query as far as the session is concerned.

use crate::gzip::{self, GzipError};
use crate::wire::{ids, Reader, WireError, MAX_IDS_PER_VECTOR};

/// Deepest nesting of wrappers accepted around one query.
const MAX_WRAPPERS: usize = 16;
/// Deepest nesting inside an `initConnection.params` JSON value.
const MAX_JSON_DEPTH: u32 = 32;
// JSONValue constructors, identical in every supported layer; `params` is skipped
// structurally rather than decoded.
const JSON_NULL: u32 = 0x3f6d_7b68;
const JSON_BOOL: u32 = 0xc734_5e6a;
const JSON_NUMBER: u32 = 0x2be0_dfa4;
const JSON_STRING: u32 = 0xb71e_767a;
const JSON_ARRAY: u32 = 0xf744_4763;
const JSON_OBJECT: u32 = 0x99c1_d49d;
const JSON_OBJECT_VALUE: u32 = 0xc0de_1bd9;

/// What a client said about itself in `initConnection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    /// The application's api_id.
    pub api_id: i32,
    /// Device model.
    pub device_model: String,
    /// Operating system version.
    pub system_version: String,
    /// Application version.
    pub app_version: String,
    /// The system's language code.
    pub system_lang_code: String,
    /// Language pack name.
    pub lang_pack: String,
    /// The application's language code.
    pub lang_code: String,
    /// The MTProxy the client says it connects through, if any.
    pub proxy: Option<ClientProxy>,
    /// `params` as its serialized `JSONValue`, for the application to decode.
    pub params: Option<Vec<u8>>,
}

/// `inputClientProxy address:string port:int`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientProxy {
    /// Proxy host.
    pub address: String,
    /// Proxy port.
    pub port: i32,
}

/// Why a query's wrappers could not be peeled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnwrapError {
    /// A wrapper is truncated or malformed.
    #[error("malformed wrapper: {0}")]
    Wire(#[from] WireError),
    /// A `gzip_packed` inside the wrappers could not be inflated.
    #[error("bad gzip_packed: {0}")]
    Gzip(#[from] GzipError),
}

/// A query with its wrappers removed and their meaning collected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Unwrapped {
    /// The innermost `invokeWithLayer` layer, if any.
    pub(crate) layer: Option<i32>,
    /// The innermost `initConnection`, if any.
    pub(crate) client_info: Option<ClientInfo>,
    pub(crate) without_updates: bool,
    /// Message ids named by `invokeAfterMsg(s)`.
    pub(crate) after: Vec<i64>,
    pub(crate) query: Vec<u8>,
}

/// Peels the wrappers off `body`; a `gzip_packed` met on the way is inflated to at most
/// `max_inflated` bytes.
pub(crate) fn unwrap(body: &[u8], max_inflated: usize) -> Result<Unwrapped, UnwrapError> {
    let mut out = Unwrapped::default();
    // The current buffer is either the caller's or one we inflated; `offset` is where
    // the not-yet-peeled part starts.
    let mut inflated: Option<Vec<u8>> = None;
    let mut offset = 0usize;
    for _ in 0..MAX_WRAPPERS {
        let buffer = inflated.as_deref().unwrap_or(body);
        let current = buffer.get(offset..).unwrap_or_default();
        let mut r = Reader::new(current);
        let Ok(constructor) = r.u32() else {
            break;
        };
        match constructor {
            ids::INVOKE_WITH_LAYER => {
                out.layer = Some(r.i32()?);
            }
            ids::INIT_CONNECTION => {
                out.client_info = Some(init_connection(&mut r)?);
            }
            ids::INVOKE_WITHOUT_UPDATES => out.without_updates = true,
            ids::INVOKE_AFTER_MSG => push_after(&mut out.after, [r.i64()?])?,
            ids::INVOKE_AFTER_MSGS => {
                push_after(&mut out.after, r.long_vector(MAX_IDS_PER_VECTOR)?)?
            }
            ids::GZIP_PACKED => {
                let unpacked = gzip::unpack(current, max_inflated)?;
                inflated = Some(unpacked);
                offset = 0;
                continue;
            }
            _ => break,
        }
        offset += current.len() - r.rest().len();
    }
    let buffer = inflated.as_deref().unwrap_or(body);
    out.query = buffer.get(offset..).unwrap_or_default().to_vec();
    Ok(out)
}

fn push_after(after: &mut Vec<i64>, ids: impl IntoIterator<Item = i64>) -> Result<(), WireError> {
    after.extend(ids);
    if after.len() > MAX_IDS_PER_VECTOR {
        return Err(WireError::BadLength);
    }
    Ok(())
}

fn init_connection(r: &mut Reader<'_>) -> Result<ClientInfo, WireError> {
    let flags = r.i32()?;
    let api_id = r.i32()?;
    let device_model = r.string()?;
    let system_version = r.string()?;
    let app_version = r.string()?;
    let system_lang_code = r.string()?;
    let lang_pack = r.string()?;
    let lang_code = r.string()?;
    let proxy = if flags & 1 != 0 {
        r.expect(ids::INPUT_CLIENT_PROXY)?;
        Some(ClientProxy {
            address: r.string()?,
            port: r.i32()?,
        })
    } else {
        None
    };
    let params = if flags & 2 != 0 {
        let before = r.rest();
        skip_json_value(r, 0)?;
        let len = before.len() - r.rest().len();
        Some(before.get(..len).unwrap_or_default().to_vec())
    } else {
        None
    };
    Ok(ClientInfo {
        api_id,
        device_model,
        system_version,
        app_version,
        system_lang_code,
        lang_pack,
        lang_code,
        proxy,
        params,
    })
}

/// Skips one boxed `JSONValue`, recursing at most [`MAX_JSON_DEPTH`] levels.
fn skip_json_value(r: &mut Reader<'_>, depth: u32) -> Result<(), WireError> {
    if depth > MAX_JSON_DEPTH {
        return Err(WireError::TooDeep);
    }
    match r.u32()? {
        JSON_NULL => {}
        JSON_BOOL => match r.u32()? {
            ids::BOOL_TRUE | ids::BOOL_FALSE => {}
            other => return Err(WireError::UnexpectedConstructor(other)),
        },
        JSON_NUMBER => {
            r.f64()?;
        }
        JSON_STRING => {
            r.bytes()?;
        }
        JSON_ARRAY => {
            r.expect(ids::VECTOR)?;
            let count = r.vector_len(usize::MAX, 4)?;
            for _ in 0..count {
                skip_json_value(r, depth + 1)?;
            }
        }
        JSON_OBJECT => {
            r.expect(ids::VECTOR)?;
            let count = r.vector_len(usize::MAX, 12)?;
            for _ in 0..count {
                r.expect(JSON_OBJECT_VALUE)?;
                r.bytes()?;
                skip_json_value(r, depth + 1)?;
            }
        }
        other => return Err(WireError::UnexpectedConstructor(other)),
    }
    Ok(())
}

/// Encodes `invokeWithLayer(layer, initConnection(…, query))` around `query` (what our
/// client sends first on a session).
pub(crate) fn wrap_init(init: &crate::client::InitConnection, query: &[u8]) -> Vec<u8> {
    use crate::wire::{put_bytes, put_i32, put_u32};
    let mut out = Vec::with_capacity(query.len() + 128);
    put_u32(&mut out, ids::INVOKE_WITH_LAYER);
    put_i32(&mut out, init.layer);
    put_u32(&mut out, ids::INIT_CONNECTION);
    put_i32(&mut out, 0);
    put_i32(&mut out, init.api_id);
    for text in [
        &init.device_model,
        &init.system_version,
        &init.app_version,
        &init.system_lang_code,
        &init.lang_pack,
        &init.lang_code,
    ] {
        put_bytes(&mut out, text.as_bytes());
    }
    out.extend_from_slice(query);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{put_bytes, put_i32, put_i64, put_long_vector, put_u32};

    const QUERY: [u8; 8] = [0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3, 4];

    fn init_connection_with_params(query: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_u32(&mut out, ids::INIT_CONNECTION);
        put_i32(&mut out, 3);
        put_i32(&mut out, 42);
        for s in ["dev", "os", "1.0", "en", "", "en"] {
            put_bytes(&mut out, s.as_bytes());
        }
        put_u32(&mut out, ids::INPUT_CLIENT_PROXY);
        put_bytes(&mut out, b"proxy.example");
        put_i32(&mut out, 443);
        // params: {"a": [true, 1.5, "x", null]}
        put_u32(&mut out, JSON_OBJECT);
        put_u32(&mut out, ids::VECTOR);
        put_i32(&mut out, 1);
        put_u32(&mut out, JSON_OBJECT_VALUE);
        put_bytes(&mut out, b"a");
        put_u32(&mut out, JSON_ARRAY);
        put_u32(&mut out, ids::VECTOR);
        put_i32(&mut out, 4);
        put_u32(&mut out, JSON_BOOL);
        put_u32(&mut out, ids::BOOL_TRUE);
        put_u32(&mut out, JSON_NUMBER);
        out.extend_from_slice(&1.5f64.to_le_bytes());
        put_u32(&mut out, JSON_STRING);
        put_bytes(&mut out, b"x");
        put_u32(&mut out, JSON_NULL);
        out.extend_from_slice(query);
        out
    }

    #[test]
    fn peels_nested_wrappers_in_any_order() {
        let mut body = Vec::new();
        put_u32(&mut body, ids::INVOKE_WITHOUT_UPDATES);
        put_u32(&mut body, ids::INVOKE_AFTER_MSGS);
        put_long_vector(&mut body, &[100, 104]);
        put_u32(&mut body, ids::INVOKE_WITH_LAYER);
        put_i32(&mut body, 158);
        put_u32(&mut body, ids::INVOKE_AFTER_MSG);
        put_i64(&mut body, 96);
        body.extend_from_slice(&init_connection_with_params(&QUERY));

        let out = unwrap(&body, 1 << 20).unwrap();
        assert_eq!(out.layer, Some(158));
        assert!(out.without_updates);
        assert_eq!(out.after, vec![100, 104, 96]);
        let info = out.client_info.unwrap();
        assert_eq!(info.api_id, 42);
        assert_eq!(info.device_model, "dev");
        assert_eq!(info.lang_pack, "");
        assert_eq!(
            info.proxy,
            Some(ClientProxy {
                address: "proxy.example".into(),
                port: 443
            })
        );
        assert!(info.params.unwrap().starts_with(&JSON_OBJECT.to_le_bytes()));
        assert_eq!(out.query, QUERY);
    }

    #[test]
    fn gzip_inside_wrappers() {
        let mut inner = Vec::new();
        put_u32(&mut inner, ids::INVOKE_WITH_LAYER);
        put_i32(&mut inner, 229);
        inner.extend_from_slice(&QUERY);
        let packed = gzip::pack(&inner);
        let mut body = Vec::new();
        put_u32(&mut body, ids::INVOKE_WITHOUT_UPDATES);
        body.extend_from_slice(&packed);
        let out = unwrap(&body, 1 << 20).unwrap();
        assert_eq!((out.layer, out.without_updates), (Some(229), true));
        assert_eq!(out.query, QUERY);
    }

    #[test]
    fn plain_query_and_malformed_wrappers() {
        assert_eq!(unwrap(&QUERY, 100).unwrap().query, QUERY);
        let mut truncated = Vec::new();
        put_u32(&mut truncated, ids::INVOKE_WITH_LAYER);
        assert!(unwrap(&truncated, 100).is_err());
        // Deeply nested JSON is refused rather than recursed into.
        let mut deep = Vec::new();
        put_u32(&mut deep, ids::INIT_CONNECTION);
        put_i32(&mut deep, 2);
        put_i32(&mut deep, 1);
        for _ in 0..6 {
            put_bytes(&mut deep, b"");
        }
        for _ in 0..100 {
            put_u32(&mut deep, JSON_ARRAY);
            put_u32(&mut deep, ids::VECTOR);
            put_i32(&mut deep, 1);
        }
        put_u32(&mut deep, JSON_NULL);
        assert_eq!(
            unwrap(&deep, 100),
            Err(UnwrapError::Wire(WireError::TooDeep))
        );
    }

    #[test]
    fn wrap_init_unwraps_back() {
        let init = crate::client::InitConnection {
            layer: 230,
            api_id: 7,
            device_model: "m".into(),
            system_version: "s".into(),
            app_version: "a".into(),
            system_lang_code: "en".into(),
            lang_pack: "".into(),
            lang_code: "en".into(),
        };
        let out = unwrap(&wrap_init(&init, &QUERY), 100).unwrap();
        assert_eq!(out.layer, Some(230));
        assert_eq!(out.client_info.unwrap().api_id, 7);
        assert_eq!(out.query, QUERY);
    }
}
