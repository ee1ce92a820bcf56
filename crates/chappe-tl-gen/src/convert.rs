//! Value conversions between an old layer's wire format and the canonical
//! Rust types, one TL type expression at a time.
//!
//! `decode` reads an old-layer value and yields the canonical value; `encode`
//! writes a canonical value in the old layer's format. Both return `None`
//! when the two types cannot be converted (e.g. `int` became `RecentStory`);
//! the caller then treats the field as absent on the other side.

use crate::codec::{self, Root};
use crate::identity::Identity;
use crate::names;
use crate::schema::{Schema, Ty};

/// Everything needed to convert between one old layer and the canonical one.
pub struct LayerCtx<'a> {
    pub layer: i32,
    pub old: &'a Schema,
    pub canon: &'a Schema,
    pub identity: Identity,
    pub root: Root<'a>,
}

impl LayerCtx<'_> {
    /// The old layer has a type of this name that is not wire-identical, but
    /// the canonical layer has it too: a generated `dec_*`/`enc_*` exists.
    pub fn has_converter(&self, t: &crate::schema::QualName) -> bool {
        self.old.types.contains_key(t)
            && self.canon.types.contains_key(t)
            && !self.identity.type_identical(t)
    }

    /// Expression (with `?`) reading old type `a` into canonical type `b`.
    pub fn decode(&self, a: &Ty, b: &Ty) -> Option<String> {
        match (a, b) {
            (Ty::Int, Ty::Long) => Some("i64::from(r.read_i32()?)".into()),
            (Ty::Boxed(t), Ty::Boxed(u)) if t == u => {
                if self.identity.type_identical(t) {
                    Some(codec::de(self.root, b, false))
                } else if self.has_converter(t) {
                    Some(format!("dec_{}(r)?", names::flat_snake(t)))
                } else {
                    None
                }
            }
            (Ty::Bare(c), Ty::Bare(d)) if c == d => {
                let same = self.old.constructor(c) == self.canon.constructor(d)
                    && matches!(&self.canon.constructor(d)?.result, Ty::Boxed(t) if self.identity.type_identical(t));
                same.then(|| codec::de(self.root, b, false))
            }
            (
                Ty::Vector {
                    boxed: ba,
                    elem: ea,
                },
                Ty::Vector {
                    boxed: bb,
                    elem: eb,
                },
            ) if ba == bb => {
                let e = self.decode(ea, eb)?;
                let t = codec::rust_ty(self.root, eb, false);
                Some(format!(
                    "{{ let n = r.read_vector_len({ba}, {min})?; \
                     let mut v: Vec<{t}> = Vec::with_capacity(crate::wire::capped_capacity::<{t}>(n)); \
                     for _ in 0..n {{ v.push({e}); }} v }}",
                    min = codec::min_wire_size(ea),
                ))
            }
            (Ty::Boxed(_) | Ty::Bare(_) | Ty::Vector { .. } | Ty::FlagTrue, _) => None,
            (a, b) if a == b => Some(codec::de(self.root, b, false)),
            _ => None,
        }
    }

    /// Statements consuming an old-layer value of type `a` without keeping it.
    pub fn skip(&self, a: &Ty) -> String {
        match a {
            Ty::Boxed(t) if self.canon.types.contains_key(t) && !self.has_converter(t) => {
                format!("let _ = {};", codec::de(self.root, a, false))
            }
            Ty::Boxed(t) if self.has_converter(t) => format!("dec_{}(r)?;", names::flat_snake(t)),
            Ty::Boxed(t) => format!("skip_{}(r)?;", names::flat_snake(t)),
            Ty::Bare(c) => match self.old.constructor(c) {
                Some(d) => d
                    .fields()
                    .map(|f| self.skip_field(f))
                    .collect::<Vec<_>>()
                    .join(" "),
                None => String::new(),
            },
            Ty::Vector { boxed, elem } => format!(
                "{{ let n = r.read_vector_len({boxed}, {min})?; for _ in 0..n {{ {s} }} }}",
                min = codec::min_wire_size(elem),
                s = self.skip(elem)
            ),
            Ty::FlagTrue => String::new(),
            Ty::Query | Ty::Generic => "let _ = r.read_rest();".into(),
            prim => format!("let _ = {};", codec::de(self.root, prim, false)),
        }
    }

    /// Skips one field of a bare constructor (flags are not supported there:
    /// bare flagged constructors do not occur in the schemas).
    fn skip_field(&self, f: &crate::schema::Field) -> String {
        self.skip(&f.ty)
    }

    /// Statements writing canonical value `x` (an expression of type `&B`)
    /// as old type `a`.
    pub fn encode(&self, b: &Ty, a: &Ty, x: &str) -> Option<String> {
        match (b, a) {
            (Ty::Int, Ty::Long) => Some(format!("crate::wire::write_i64(out, i64::from(*{x}));")),
            (Ty::Boxed(t), Ty::Boxed(u)) if t == u => {
                if self.identity.type_identical(t) {
                    Some(codec::ser(a, x))
                } else if self.has_converter(t) {
                    Some(format!("enc_{}({x}, out)?;", names::flat_snake(t)))
                } else {
                    None
                }
            }
            (Ty::Bare(c), Ty::Bare(d)) if c == d => {
                let same = self.old.constructor(d) == self.canon.constructor(c)
                    && matches!(&self.canon.constructor(c)?.result, Ty::Boxed(t) if self.identity.type_identical(t));
                same.then(|| codec::ser(a, x))
            }
            (
                Ty::Vector {
                    boxed: bb,
                    elem: eb,
                },
                Ty::Vector {
                    boxed: ba,
                    elem: ea,
                },
            ) if ba == bb => {
                let e = self.encode(eb, ea, "y")?;
                Some(format!(
                    "crate::wire::write_vector_len(out, {ba}, {x}.len()); for y in {x}.iter() {{ {e} }}"
                ))
            }
            (Ty::Boxed(_) | Ty::Bare(_) | Ty::Vector { .. } | Ty::FlagTrue, _) => None,
            (b, a) if a == b => Some(codec::ser(a, x)),
            _ => None,
        }
    }

    /// Statements writing a neutral value of old type `a` for a required
    /// field the canonical value cannot supply, or `None` if there is none.
    pub fn encode_default(&self, a: &Ty) -> Option<String> {
        Some(match a {
            Ty::Int => "crate::wire::write_i32(out, 0);".into(),
            Ty::Long => "crate::wire::write_i64(out, 0);".into(),
            Ty::Double => "crate::wire::write_f64(out, 0.0);".into(),
            Ty::Int128 => "out.extend_from_slice(&[0u8; 16]);".into(),
            Ty::Int256 => "out.extend_from_slice(&[0u8; 32]);".into(),
            Ty::String | Ty::Bytes => "crate::wire::write_bytes(out, &[]);".into(),
            Ty::Bool => "crate::wire::write_bool(out, false);".into(),
            Ty::Vector { boxed, .. } => format!("crate::wire::write_vector_len(out, {boxed}, 0);"),
            Ty::FlagTrue => String::new(),
            Ty::Boxed(_) | Ty::Bare(_) | Ty::Query | Ty::Generic => return None,
        })
    }

    /// Expression for a canonical field value the old layer cannot supply.
    pub fn decode_default(&self, f: &crate::schema::Field) -> Option<String> {
        if f.flag.is_some() {
            return Some(
                if f.ty == Ty::FlagTrue {
                    "false"
                } else {
                    "None"
                }
                .into(),
            );
        }
        codec::has_default(f).then(|| "Default::default()".into())
    }
}
