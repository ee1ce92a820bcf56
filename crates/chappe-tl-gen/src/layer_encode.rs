//! Emits an old layer's encoders: canonical Rust values -> old wire format.
//!
//! Per non-identical type `T` an `enc_t` (variant -> the old layer's
//! constructor of the same name), per non-identical constructor an `encc_c`
//! that writes the old layer's fields, taking each from the canonical field of
//! the same name, dropping what the layer lacks and recomputing the flags.

use std::fmt::Write as _;

use crate::convert::LayerCtx;
use crate::names;
use crate::schema::{Def, Param, QualName, Ty};

fn not_in_layer(ctx: &LayerCtx<'_>, name: &QualName) -> String {
    format!(
        "crate::EncodeError::NotInLayer {{ name: \"{name}\", layer: {} }}",
        ctx.layer
    )
}

/// How an old field gets its value from the canonical struct `v`.
enum Source {
    /// Nothing usable: flag cleared / default written.
    Absent,
    /// Flag-only field, set from this boolean expression.
    Flag(String),
    /// Written from canonical field `expr` (`&T`), which is optional or not.
    Value {
        expr: String,
        optional: bool,
        write: String,
    },
}

fn source(ctx: &LayerCtx<'_>, canon: &Def, f: &crate::schema::Field) -> Source {
    let Some(c) = canon.fields().find(|c| c.name == f.name) else {
        return Source::Absent;
    };
    let cname = names::field(&c.name);
    let c_optional = c.flag.is_some() && c.ty != Ty::FlagTrue;
    if f.ty == Ty::FlagTrue {
        return match (&c.ty, c_optional) {
            (Ty::FlagTrue, _) | (Ty::Bool, false) => Source::Flag(format!("v.{cname}")),
            (Ty::Bool, true) => Source::Flag(format!("v.{cname} == Some(true)")),
            _ => Source::Absent,
        };
    }
    if c.ty == Ty::FlagTrue {
        // `flags.N?true` became (or was) a required `Bool` in the old layer.
        return if f.ty == Ty::Bool {
            Source::Value {
                expr: format!("v.{cname}"),
                optional: false,
                write: format!("crate::wire::write_bool(out, v.{cname});"),
            }
        } else {
            Source::Absent
        };
    }
    match ctx.encode(&c.ty, &f.ty, "x") {
        Some(write) => Source::Value {
            expr: format!("v.{cname}"),
            optional: c_optional,
            write,
        },
        None => Source::Absent,
    }
}

/// Function body writing old constructor `old` (id included) from `v`, a
/// reference to the canonical struct of `canon`.
fn constructor_body(ctx: &LayerCtx<'_>, old: &Def, canon: &Def) -> String {
    let mut s = String::new();
    let fields: Vec<(&crate::schema::Field, Source)> =
        old.fields().map(|f| (f, source(ctx, canon, f))).collect();
    if !encodable(ctx, old, canon) {
        let _ = writeln!(s, "    Err({})", not_in_layer(ctx, &old.name));
        return s;
    }
    let _ = writeln!(s, "    crate::wire::write_u32(out, 0x{:08x});", old.id);
    for p in &old.params {
        let Param::Flags(flags) = p else { continue };
        let mut bits = Vec::new();
        for (f, src) in &fields {
            let Some((fl, bit)) = &f.flag else { continue };
            if fl != flags {
                continue;
            }
            let cond = match src {
                Source::Absent => continue,
                Source::Flag(e) => e.clone(),
                Source::Value {
                    expr,
                    optional: true,
                    ..
                } => format!("{expr}.is_some()"),
                Source::Value {
                    optional: false, ..
                } => "true".into(),
            };
            bits.push(format!("if {cond} {{ flags_{flags} |= 1u32 << {bit}; }}"));
        }
        let m = if bits.is_empty() { "" } else { "mut " };
        let _ = writeln!(s, "    let {m}flags_{flags} = 0u32; {}", bits.join(" "));
    }
    for p in &old.params {
        let f = match p {
            Param::Flags(flags) => {
                let _ = writeln!(s, "    crate::wire::write_u32(out, flags_{flags});");
                continue;
            }
            Param::Field(f) => f,
        };
        let Some((_, src)) = fields.iter().find(|(g, _)| g.name == f.name) else {
            continue;
        };
        let default = || match ctx.encode_default(&f.ty) {
            Some(d) => d,
            None => format!("return Err({});", not_in_layer(ctx, &old.name)),
        };
        let line = match (src, f.flag.is_some()) {
            (Source::Flag(_), _) => continue,
            (Source::Absent, true) => continue,
            (Source::Absent, false) => default(),
            (
                Source::Value {
                    expr,
                    optional: true,
                    write,
                },
                _,
            ) => {
                let missing = if f.flag.is_some() {
                    String::new()
                } else {
                    default()
                };
                format!("match &{expr} {{ Some(x) => {{ {write} }} None => {{ {missing} }} }}")
            }
            (
                Source::Value {
                    expr,
                    optional: false,
                    write,
                },
                _,
            ) => {
                format!("{{ let x = &{expr}; {write} }}")
            }
        };
        let _ = writeln!(s, "    {line}");
    }
    s.push_str("    Ok(())\n");
    s
}

/// False when a required field of the old constructor can never be filled
/// from the canonical value (no counterpart and no neutral default).
fn encodable(ctx: &LayerCtx<'_>, old: &Def, canon: &Def) -> bool {
    old.fields().all(|f| {
        f.flag.is_some()
            || !matches!(source(ctx, canon, f), Source::Absent)
            || ctx.encode_default(&f.ty).is_some()
    })
}

/// `encc_c` for every non-identical constructor of the old layer that has a
/// canonical counterpart of the same name and type.
pub fn constructor_encoders(ctx: &LayerCtx<'_>) -> String {
    let mut s = String::new();
    for c in &ctx.canon.constructors {
        let Some(old) = old_counterpart(ctx, c) else {
            continue;
        };
        if ctx.identity.def_identical(ctx.old, old, c) || !encodable(ctx, old, c) {
            continue;
        }
        let _ = writeln!(
            s,
            "#[allow(unused_variables)]\npub fn encc_{}(v: &{}, out: &mut Vec<u8>) -> Result<(), crate::EncodeError> {{\n{}}}",
            names::flat_snake(&c.name),
            ctx.root.types(&c.name),
            constructor_body(ctx, old, c)
        );
    }
    s
}

/// The old layer's constructor with the same name and the same boxed type.
pub fn old_counterpart<'a>(ctx: &LayerCtx<'a>, canon: &Def) -> Option<&'a Def> {
    ctx.old
        .constructor(&canon.name)
        .filter(|o| o.result == canon.result)
}

/// How a canonical constructor is written for this layer: an expression
/// evaluating to `Result<(), EncodeError>` given `x: &types::C` and `out`.
pub fn constructor_expr(ctx: &LayerCtx<'_>, c: &Def, module: &str) -> String {
    match old_counterpart(ctx, c) {
        None => format!("Err({})", not_in_layer(ctx, &c.name)),
        Some(old) if ctx.identity.def_identical(ctx.old, old, c) => {
            "{ crate::Serializable::serialize(x, out); Ok(()) }".into()
        }
        Some(old) if !encodable(ctx, old, c) => format!("Err({})", not_in_layer(ctx, &c.name)),
        Some(_) => format!("{module}::encc_{}(x, out)", names::flat_snake(&c.name)),
    }
}

/// `enc_t` for every non-identical type both layers have.
pub fn type_encoders(ctx: &LayerCtx<'_>, module: &str) -> String {
    let mut s = String::new();
    for ty in ctx.canon.types.keys() {
        if !ctx.has_converter(ty) {
            continue;
        }
        let enum_path = ctx.root.enums(ty);
        let _ = writeln!(
            s,
            "#[allow(unused_variables)]\npub fn enc_{}(v: &{enum_path}, out: &mut Vec<u8>) -> Result<(), crate::EncodeError> {{\n    match v {{",
            names::flat_snake(ty)
        );
        for c in ctx.canon.type_constructors(ty) {
            let expr = constructor_expr(ctx, c, module);
            let binding = if expr.starts_with("Err(") { "_" } else { "x" };
            let _ = writeln!(
                s,
                "        {enum_path}::{}({binding}) => {expr},",
                names::pascal(&c.name.name),
            );
        }
        s.push_str("    }\n}\n");
    }
    s
}
