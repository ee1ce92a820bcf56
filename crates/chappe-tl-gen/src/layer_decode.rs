//! Emits an old layer's decoders: old wire format -> canonical Rust values.
//!
//! Per non-identical type `T` a `dec_t` (dispatching on the old layer's
//! constructor ids), per non-identical constructor or function a body
//! decoder mapping fields by name, `skip_t` for types the canonical layer no
//! longer has, and `decode_request`, the function dispatcher.

use std::fmt::Write as _;

use crate::boxing::Boxing;
use crate::convert::LayerCtx;
use crate::names;
use crate::schema::{Def, Param, QualName, Ty};

fn unsupported(ctx: &LayerCtx<'_>, name: &QualName) -> String {
    format!(
        "crate::DecodeError::Unsupported {{ name: \"{name}\", layer: {} }}",
        ctx.layer
    )
}

/// Body statements decoding old definition `old` into canonical struct `canon`
/// at path `ctor`, ending with `Ok(ctor { .. })`.
pub fn body(ctx: &LayerCtx<'_>, boxing: &Boxing, old: &Def, canon: &Def, ctor: &str) -> String {
    let mut s = String::new();
    let mut mapped: Vec<String> = Vec::new();
    for p in &old.params {
        let f = match p {
            Param::Flags(flags) => {
                let _ = writeln!(s, "    let flags_{flags} = r.read_u32()?;");
                continue;
            }
            Param::Field(f) => f,
        };
        let target = canon.fields().find(|c| c.name == f.name);
        let bit = f
            .flag
            .as_ref()
            .map(|(fl, b)| format!("flags_{fl} & (1u32 << {b}) != 0"));
        let local = format!("f_{}", names::field_plain(&f.name));
        // Flag-only fields carry no payload: map or ignore.
        if f.ty == Ty::FlagTrue {
            if let (Some(t), Some(bit)) = (target, &bit) {
                if t.ty == Ty::FlagTrue || (t.ty == Ty::Bool && t.flag.is_none()) {
                    let _ = writeln!(s, "    let {local} = {bit};");
                    mapped.push(f.name.clone());
                }
            }
            continue;
        }
        let conv = target.and_then(|t| {
            if t.ty == Ty::FlagTrue && f.ty == Ty::Bool && f.flag.is_none() {
                return Some("r.read_bool()?".to_owned());
            }
            if t.ty == Ty::FlagTrue {
                return None;
            }
            ctx.decode(&f.ty, &t.ty)
        });
        let (Some(t), Some(e)) = (target, conv) else {
            let skip = ctx.skip(&f.ty);
            match &bit {
                Some(bit) => {
                    let _ = writeln!(s, "    if {bit} {{ {skip} }}");
                }
                None => {
                    let _ = writeln!(s, "    {skip}");
                }
            }
            continue;
        };
        let canon_optional = t.flag.is_some() && t.ty != Ty::FlagTrue;
        match (&bit, canon_optional) {
            (None, false) => {
                let _ = writeln!(s, "    let {local} = {e};");
            }
            (None, true) => {
                let _ = writeln!(s, "    let {local} = Some({e});");
            }
            (Some(bit), true) => {
                let _ = writeln!(
                    s,
                    "    let {local} = if {bit} {{ Some({e}) }} else {{ None }};"
                );
            }
            (Some(bit), false) => {
                let fallback = match ctx.decode_default(t) {
                    Some(d) => d,
                    None => format!("return Err({})", unsupported(ctx, &old.name)),
                };
                let _ = writeln!(
                    s,
                    "    let {local} = if {bit} {{ {e} }} else {{ {fallback} }};"
                );
            }
        }
        mapped.push(f.name.clone());
    }
    let mut inits = Vec::new();
    for t in canon.fields() {
        let fname = names::field(&t.name);
        let value = if mapped.contains(&t.name) {
            let local = format!("f_{}", names::field_plain(&t.name));
            if boxing.is_boxed(canon, &t.name) {
                if t.flag.is_some() {
                    format!("{local}.map(Box::new)")
                } else {
                    format!("Box::new({local})")
                }
            } else {
                local
            }
        } else {
            match ctx.decode_default(t) {
                Some(d) => d,
                None => {
                    let _ = writeln!(s, "    return Err({});", unsupported(ctx, &old.name));
                    return s;
                }
            }
        };
        inits.push(format!("{fname}: {value}"));
    }
    if inits.is_empty() {
        let _ = writeln!(s, "    Ok({ctor})");
    } else {
        let _ = writeln!(s, "    Ok({ctor} {{ {} }})", inits.join(", "));
    }
    s
}

/// `dec_t`: one old-layer boxed type into the canonical enum.
pub fn type_decoder(ctx: &LayerCtx<'_>, boxing: &Boxing, ty: &QualName) -> String {
    let enum_path = ctx.root.enums(ty);
    let mut s = String::new();
    let mut helpers = String::new();
    let _ = writeln!(
        s,
        "pub fn dec_{}(r: &mut crate::Reader<'_>) -> Result<{enum_path}, crate::DecodeError> {{",
        names::flat_snake(ty)
    );
    s.push_str("    r.nested(|r| {\n    let start = r.position();\n    match r.read_u32()? {\n");
    for c in ctx.old.type_constructors(ty) {
        let variant = format!("{enum_path}::{}", names::pascal(&c.name.name));
        let canon = ctx.canon.type_constructors(ty).find(|d| d.name == c.name);
        let arm = match canon {
            None => format!("Err({})", unsupported(ctx, &c.name)),
            Some(d) if ctx.identity.def_identical(ctx.old, c, d) => format!(
                "crate::wire::decode_variant(r, {variant}, {}::deserialize_body)",
                ctx.root.types(&d.name)
            ),
            Some(d) => {
                let f = format!("decc_{}", names::flat_snake(&c.name));
                let _ = writeln!(
                    helpers,
                    "#[allow(unused_variables)]\nfn {f}(r: &mut crate::Reader<'_>) -> Result<{t}, crate::DecodeError> {{\n{}}}",
                    body(ctx, boxing, c, d, &t_path(ctx, d)),
                    t = ctx.root.types(&d.name),
                );
                format!("crate::wire::decode_variant(r, {variant}, {f})")
            }
        };
        let _ = writeln!(s, "        0x{:08x} => {arm},", c.id);
    }
    // A constructor this layer does not know may still be a newer one the
    // client happens to send: try the canonical decoder.
    let _ = writeln!(
        s,
        "        _ => {{ r.seek(start)?; <{enum_path} as crate::Deserializable>::deserialize(r) }}"
    );
    s.push_str("    }\n    })\n}\n");
    s.push_str(&helpers);
    s
}

fn t_path(ctx: &LayerCtx<'_>, d: &Def) -> String {
    ctx.root.types(&d.name)
}

/// `skip_t`: consumes a value of an old-layer type the canonical layer lacks.
pub fn type_skipper(ctx: &LayerCtx<'_>, ty: &QualName) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "#[allow(unused_variables)]\npub fn skip_{}(r: &mut crate::Reader<'_>) -> Result<(), crate::DecodeError> {{",
        names::flat_snake(ty)
    );
    s.push_str("    r.nested(|r| match r.read_u32()? {\n");
    for c in ctx.old.type_constructors(ty) {
        let mut arm = String::new();
        for p in &c.params {
            match p {
                Param::Flags(fl) => {
                    let _ = write!(arm, "let flags_{fl} = r.read_u32()?; ");
                }
                Param::Field(f) => {
                    let skip = ctx.skip(&f.ty);
                    match &f.flag {
                        Some((fl, b)) if f.ty != Ty::FlagTrue => {
                            let _ = write!(arm, "if flags_{fl} & (1u32 << {b}) != 0 {{ {skip} }} ");
                        }
                        _ => {
                            let _ = write!(arm, "{skip} ");
                        }
                    }
                }
            }
        }
        let _ = writeln!(s, "        0x{:08x} => {{ {arm}Ok(()) }}", c.id);
    }
    let _ = writeln!(
        s,
        "        id => Err(crate::DecodeError::UnknownConstructor {{ id, ty: \"{ty}\" }}),"
    );
    s.push_str("    })\n}\n");
    s
}

/// `decode_request`: the old layer's function ids -> canonical `Request`.
/// Returns `None` for ids this layer does not define.
pub fn request_decoder(ctx: &LayerCtx<'_>, boxing: &Boxing) -> String {
    let mut s = String::new();
    let mut helpers = String::new();
    s.push_str(
        "pub fn decode_request(id: u32, r: &mut crate::Reader<'_>) -> Option<Result<crate::api::Request, crate::DecodeError>> {\n",
    );
    s.push_str("    Some(match id {\n");
    for f in &ctx.old.functions {
        let canon = ctx.canon.functions.iter().find(|d| d.name == f.name);
        let arm = match canon {
            None => format!("Err({})", unsupported(ctx, &f.name)),
            Some(d) => {
                let variant = format!("crate::api::Request::{}", names::flat(&d.name));
                let fpath = ctx.root.functions(&d.name);
                if ctx.identity.def_identical(ctx.old, f, d) {
                    format!("crate::wire::decode_variant(r, {variant}, {fpath}::deserialize_body)")
                } else {
                    let name = format!("decf_{}", names::flat_snake(&f.name));
                    let _ = writeln!(
                        helpers,
                        "#[allow(unused_variables)]\nfn {name}(r: &mut crate::Reader<'_>) -> Result<{fpath}, crate::DecodeError> {{\n{}}}",
                        body(ctx, boxing, f, d, &fpath),
                    );
                    format!("crate::wire::decode_variant(r, {variant}, {name})")
                }
            }
        };
        let _ = writeln!(s, "        0x{:08x} => {arm},", f.id);
    }
    s.push_str("        _ => return None,\n    })\n}\n");
    s.push_str(&helpers);
    s
}
