//! Rust identifiers for TL names.
//!
//! One uniform rule, no per-name exceptions, so other crates can predict every
//! generated name: `inputPeerSelf` -> `InputPeerSelf`, `server_DH_params_ok` ->
//! `ServerDhParamsOk`, `JSONValue` -> `JsonValue`. A run of capitals keeps only
//! its first letter upper-case, `_` starts a new word.

use crate::schema::QualName;

/// PascalCase for a TL type or constructor name (without namespace).
pub fn pascal(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    let mut prev_upper = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            word_start = true;
            continue;
        }
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        if word_start {
            out.push(c.to_ascii_uppercase());
            prev_upper = true;
        } else if c.is_ascii_uppercase() && prev_upper && !next_lower {
            // Inside an acronym: `JSON` -> `Json`, but `JSONValue` keeps `V`.
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
            prev_upper = c.is_ascii_uppercase();
        }
        word_start = false;
    }
    out
}

/// Module name for a TL namespace (`auth`, `messages`, `phone` ...).
pub fn module(ns: &str) -> String {
    field(ns)
}

/// Field identifier: TL field names are snake_case (lowered if not); Rust keywords
/// become raw identifiers, and `self` (which cannot be raw) becomes `is_self`.
pub fn field(name: &str) -> String {
    // A few TL fields are upper-case (`A`, `M1`, `srp_B`); Rust wants snake_case.
    let lower = name.to_ascii_lowercase();
    let name = lower.as_str();
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
        "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
        "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
        "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "unsized", "virtual", "yield", "try", "gen",
    ];
    match name {
        "self" => "is_self".to_owned(),
        "Self" | "super" | "crate" => format!("{name}_"),
        n if KEYWORDS.contains(&n) => format!("r#{n}"),
        n => n.to_owned(),
    }
}

/// A field name usable inside another identifier (no `r#`).
pub fn field_plain(name: &str) -> String {
    field(name).trim_start_matches("r#").to_owned()
}

/// `crate::api::types::auth::SentCode`-style path under `root::kind`.
pub fn path(root: &str, kind: &str, q: &QualName) -> String {
    let mut p = format!("{root}::{kind}");
    for ns in &q.ns {
        p.push_str("::");
        p.push_str(&module(ns));
    }
    p.push_str("::");
    p.push_str(&pascal(&q.name));
    p
}

/// Flat identifier including the namespace, for `Request` variants and
/// per-layer helper functions: `auth.sendCode` -> `AuthSendCode`.
pub fn flat(q: &QualName) -> String {
    let mut s = String::new();
    for ns in &q.ns {
        s.push_str(&pascal(ns));
    }
    s.push_str(&pascal(&q.name));
    s
}

/// snake_case form of [`flat`] for generated function names.
pub fn flat_snake(q: &QualName) -> String {
    let mut out = String::new();
    for (i, c) in flat(q).chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_cases() {
        assert_eq!(pascal("inputPeerSelf"), "InputPeerSelf");
        assert_eq!(pascal("server_DH_params_ok"), "ServerDhParamsOk");
        assert_eq!(pascal("p_q_inner_data_temp_dc"), "PQInnerDataTempDc");
        assert_eq!(pascal("JSONValue"), "JsonValue");
        assert_eq!(pascal("jsonObjectValue"), "JsonObjectValue");
        assert_eq!(pascal("resPQ"), "ResPq");
        assert_eq!(
            pascal("Set_client_DH_params_answer"),
            "SetClientDhParamsAnswer"
        );
        assert_eq!(pascal("msgs_ack"), "MsgsAck");
    }

    #[test]
    fn fields() {
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "is_self");
        assert_eq!(field("static"), "r#static");
        assert_eq!(field("user_id"), "user_id");
        assert_eq!(field_plain("type"), "type");
        assert_eq!(field("srp_B"), "srp_b");
    }

    #[test]
    fn paths() {
        let q = QualName::new(&["auth".into()], "sentCode");
        assert_eq!(
            path("crate::api", "types", &q),
            "crate::api::types::auth::SentCode"
        );
        assert_eq!(flat(&q), "AuthSentCode");
        assert_eq!(flat_snake(&q), "auth_sent_code");
    }
}
