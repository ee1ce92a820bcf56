//! Rust type names and encode/decode snippets for single TL values.
//!
//! Everything here produces code for the canonical representation of a value
//! (the structs and enums under `root`), reading and writing the wire format of
//! the same schema. Paths are absolute (`crate::api::enums::InputPeer`) so the
//! snippets work in any generated module.

use crate::schema::{Field, Ty};

/// Where the generated types of one schema live, e.g. `crate::api`.
#[derive(Clone, Copy)]
pub struct Root<'a>(pub &'a str);

impl Root<'_> {
    pub fn types(&self, q: &crate::schema::QualName) -> String {
        crate::names::path(self.0, "types", q)
    }
    pub fn enums(&self, q: &crate::schema::QualName) -> String {
        crate::names::path(self.0, "enums", q)
    }
    pub fn functions(&self, q: &crate::schema::QualName) -> String {
        crate::names::path(self.0, "functions", q)
    }
}

/// The Rust type of a value of TL type `ty` (not counting field optionality).
pub fn rust_ty(root: Root<'_>, ty: &Ty, boxed: bool) -> String {
    let inner = match ty {
        Ty::Int => "i32".into(),
        Ty::Long => "i64".into(),
        Ty::Double => "f64".into(),
        Ty::Int128 => "[u8; 16]".into(),
        Ty::Int256 => "[u8; 32]".into(),
        Ty::String => "String".into(),
        Ty::Bytes | Ty::Query => "Vec<u8>".into(),
        Ty::Bool | Ty::FlagTrue => "bool".into(),
        Ty::Vector { elem, .. } => format!("Vec<{}>", rust_ty(root, elem, false)),
        Ty::Boxed(q) => root.enums(q),
        Ty::Bare(q) => root.types(q),
        Ty::Generic => "crate::RawObject".into(),
    };
    if boxed {
        format!("Box<{inner}>")
    } else {
        inner
    }
}

/// The Rust type of a struct field.
pub fn field_ty(root: Root<'_>, f: &Field, boxed: bool) -> String {
    let t = rust_ty(root, &f.ty, boxed);
    if f.flag.is_some() && f.ty != Ty::FlagTrue {
        format!("Option<{t}>")
    } else {
        t
    }
}

/// Smallest encoded size of a value, used to reject vector counts that cannot
/// fit in the remaining input before anything is allocated.
pub fn min_wire_size(ty: &Ty) -> usize {
    match ty {
        Ty::Int | Ty::Bool | Ty::Boxed(_) | Ty::String | Ty::Bytes => 4,
        Ty::Long | Ty::Double => 8,
        Ty::Int128 => 16,
        Ty::Int256 => 32,
        Ty::Vector { boxed: true, .. } => 8,
        Ty::Vector { boxed: false, .. } => 4,
        Ty::FlagTrue | Ty::Bare(_) | Ty::Query | Ty::Generic => 0,
    }
}

/// Statements writing the value behind `expr` (an expression of type `&T`,
/// or `&Box<T>`) to `out`.
pub fn ser(ty: &Ty, expr: &str) -> String {
    match ty {
        Ty::Int => format!("crate::wire::write_i32(out, *{expr});"),
        Ty::Long => format!("crate::wire::write_i64(out, *{expr});"),
        Ty::Double => format!("crate::wire::write_f64(out, *{expr});"),
        Ty::Int128 | Ty::Int256 | Ty::Query => format!("out.extend_from_slice(&{expr}[..]);"),
        Ty::String => format!("crate::wire::write_string(out, {expr});"),
        Ty::Bytes => format!("crate::wire::write_bytes(out, {expr});"),
        Ty::Bool => format!("crate::wire::write_bool(out, *{expr});"),
        Ty::FlagTrue => String::new(),
        Ty::Vector { boxed, elem } => format!(
            "crate::wire::write_vector_len(out, {boxed}, {expr}.len()); for x in {expr}.iter() {{ {} }}",
            ser(elem, "x")
        ),
        // Method syntax auto-derefs `&Box<T>`; generated modules import the trait.
        Ty::Boxed(_) | Ty::Generic => format!("{expr}.serialize(out);"),
        Ty::Bare(_) => format!("{expr}.serialize_body(out);"),
    }
}

/// An expression decoding a value of `ty` from `r` (a `&mut Reader`), with `?`.
pub fn de(root: Root<'_>, ty: &Ty, boxed: bool) -> String {
    let e = match ty {
        Ty::Int => "r.read_i32()?".into(),
        Ty::Long => "r.read_i64()?".into(),
        Ty::Double => "r.read_f64()?".into(),
        Ty::Int128 => "r.read_int128()?".into(),
        Ty::Int256 => "r.read_int256()?".into(),
        Ty::String => "r.read_string()?".into(),
        Ty::Bytes => "r.read_bytes()?".into(),
        Ty::Bool => "r.read_bool()?".into(),
        Ty::FlagTrue => "true".into(),
        Ty::Query => "r.read_rest()".into(),
        Ty::Vector { boxed, elem } => format!(
            "{{ let n = r.read_vector_len({boxed}, {min})?; \
             let mut v: Vec<{t}> = Vec::with_capacity(crate::wire::capped_capacity::<{t}>(n)); \
             for _ in 0..n {{ v.push({e}); }} v }}",
            min = min_wire_size(elem),
            t = rust_ty(root, elem, false),
            e = de(root, elem, false),
        ),
        Ty::Boxed(q) => format!(
            "<{} as crate::Deserializable>::deserialize(r)?",
            root.enums(q)
        ),
        Ty::Generic => "<crate::RawObject as crate::Deserializable>::deserialize(r)?".into(),
        Ty::Bare(q) => format!("{}::deserialize_body(r)?", root.types(q)),
    };
    if boxed {
        format!("Box::new({e})")
    } else {
        e
    }
}

/// Whether a field of this type can derive `Default`.
pub fn has_default(f: &Field) -> bool {
    if f.flag.is_some() {
        return true;
    }
    !matches!(&f.ty, Ty::Boxed(_) | Ty::Bare(_) | Ty::Generic)
}

/// The TL spelling of a type, for diagnostics and `result_type_name`.
pub fn tl_name(ty: &Ty) -> String {
    match ty {
        Ty::Int => "int".into(),
        Ty::Long => "long".into(),
        Ty::Double => "double".into(),
        Ty::Int128 => "int128".into(),
        Ty::Int256 => "int256".into(),
        Ty::String => "string".into(),
        Ty::Bytes => "bytes".into(),
        Ty::Bool => "Bool".into(),
        Ty::FlagTrue => "true".into(),
        Ty::Vector { boxed, elem } => {
            format!(
                "{}<{}>",
                if *boxed { "Vector" } else { "vector" },
                tl_name(elem)
            )
        }
        Ty::Boxed(q) | Ty::Bare(q) => q.to_string(),
        Ty::Query => "!X".into(),
        Ty::Generic => "X".into(),
    }
}
