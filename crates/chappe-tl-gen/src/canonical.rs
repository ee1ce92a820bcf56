//! Emits the canonical module of one schema: `types` (one struct per
//! constructor), `enums` (one enum per boxed type), `functions` (one struct per
//! function) and the `Request` enum over all functions.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::boxing::Boxing;
use crate::codec::{self, Root};
use crate::modtree::ModTree;
use crate::names;
use crate::schema::{Def, Param, QualName, Schema, Ty};

const PRELUDE: &str =
    "#[allow(unused_imports)]\nuse crate::{Serializable as _, Deserializable as _};\n";

/// Renders the whole module body (to be `include!`d inside `pub mod api`).
pub fn emit(schema: &Schema, root: Root<'_>) -> Result<String, String> {
    let boxing = Boxing::compute(schema);
    check_names(schema)?;
    let mut types = ModTree::default();
    for c in &schema.constructors {
        types.push(&c.name.ns, &emit_struct(root, &boxing, c, false));
    }
    let mut enums = ModTree::default();
    for ty in schema.types.keys() {
        enums.push(&ty.ns, &emit_enum(schema, root, ty));
    }
    let mut functions = ModTree::default();
    for f in &schema.functions {
        functions.push(&f.name.ns, &emit_struct(root, &boxing, f, true));
    }
    let mut out = String::new();
    out.push_str(
        "/// One struct per TL constructor; `serialize` writes the boxed form (id + body).\n",
    );
    out.push_str("pub mod types {\n");
    out.push_str(&types.render(PRELUDE));
    out.push_str(
        "}\n/// One enum per boxed TL type; each variant wraps the constructor's struct.\n",
    );
    out.push_str("pub mod enums {\n");
    out.push_str(&enums.render(PRELUDE));
    out.push_str("}\n/// One struct per TL function (RPC request).\n");
    out.push_str("pub mod functions {\n");
    out.push_str(&functions.render(PRELUDE));
    out.push_str("}\n");
    out.push_str(&emit_request(schema, root));
    Ok(out)
}

/// Two TL names mapping to one Rust identifier would silently shadow; refuse.
fn check_names(schema: &Schema) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for d in schema.constructors.iter().chain(&schema.functions) {
        let key = (
            d.name.ns.clone(),
            names::pascal(&d.name.name),
            schema.functions.contains(d),
        );
        if !seen.insert(key) {
            return Err(format!("Rust name collision for {}", d.name));
        }
    }
    let mut flat = BTreeSet::new();
    for f in &schema.functions {
        if !flat.insert(names::flat(&f.name)) {
            return Err(format!("Request variant collision for {}", f.name));
        }
    }
    Ok(())
}

fn tl_name(d: &Def) -> String {
    d.name.to_string()
}

fn emit_struct(root: Root<'_>, boxing: &Boxing, d: &Def, is_fn: bool) -> String {
    let name = names::pascal(&d.name.name);
    let fields: Vec<_> = d.fields().collect();
    let derive_default = fields.iter().all(|f| codec::has_default(f));
    let mut s = String::new();
    let _ = writeln!(s, "/// `{}#{:08x}`", tl_name(d), d.id);
    let _ = writeln!(
        s,
        "#[derive(Debug, Clone, PartialEq{})]",
        if derive_default { ", Default" } else { "" }
    );
    if fields.is_empty() {
        let _ = writeln!(s, "pub struct {name};");
    } else {
        let _ = writeln!(s, "pub struct {name} {{");
        for f in &fields {
            let boxed = boxing.is_boxed(d, &f.name);
            let _ = writeln!(
                s,
                "    pub {}: {},",
                names::field(&f.name),
                codec::field_ty(root, f, boxed)
            );
        }
        s.push_str("}\n");
    }
    let _ = writeln!(
        s,
        "impl crate::Identifiable for {name} {{ const CONSTRUCTOR_ID: u32 = 0x{:08x}; }}",
        d.id
    );
    // Bodies (without the constructor id) are shared by boxed and bare use.
    let _ = writeln!(s, "impl {name} {{");
    s.push_str("    #[doc(hidden)]\n    #[allow(unused_variables)]\n");
    s.push_str("    pub fn serialize_body(&self, out: &mut Vec<u8>) {\n");
    s.push_str(&ser_body(d, "self."));
    s.push_str("    }\n");
    s.push_str("    #[doc(hidden)]\n    #[allow(unused_variables)]\n");
    s.push_str("    pub fn deserialize_body(r: &mut crate::Reader<'_>) -> Result<Self, crate::DecodeError> {\n");
    s.push_str(&de_body(root, boxing, d, "Self"));
    s.push_str("    }\n}\n");
    let _ = writeln!(
        s,
        "impl crate::Serializable for {name} {{ fn serialize(&self, out: &mut Vec<u8>) {{ \
         crate::wire::write_u32(out, 0x{:08x}); self.serialize_body(out); }} }}",
        d.id
    );
    let _ = writeln!(
        s,
        "impl crate::Deserializable for {name} {{ fn deserialize(r: &mut crate::Reader<'_>) -> Result<Self, crate::DecodeError> {{ \
         r.expect_constructor(0x{:08x}, \"{}\")?; Self::deserialize_body(r) }} }}",
        d.id,
        tl_name(d)
    );
    if is_fn {
        let ret = match &d.result {
            Ty::Generic => "crate::RawObject".to_owned(),
            t => codec::rust_ty(root, t, false),
        };
        let _ = writeln!(
            s,
            "impl crate::RemoteCall for {name} {{ type Return = {ret}; }}"
        );
    }
    s
}

/// Statements serializing the body of `d`; `access` prefixes field names
/// (`self.` for structs, `v.` for a bound variable).
pub fn ser_body(d: &Def, access: &str) -> String {
    let mut s = String::new();
    for p in &d.params {
        if let Param::Flags(flags) = p {
            let users = d
                .fields()
                .filter(|f| f.flag.as_ref().is_some_and(|(fl, _)| fl == flags))
                .count();
            let mutable = if users > 0 { "mut " } else { "" };
            let _ = writeln!(s, "        let {mutable}flags_{flags} = 0u32;");
            for f in d.fields() {
                let Some((fl, bit)) = &f.flag else { continue };
                if fl != flags {
                    continue;
                }
                let fname = names::field(&f.name);
                let cond = if f.ty == Ty::FlagTrue {
                    format!("{access}{fname}")
                } else {
                    format!("{access}{fname}.is_some()")
                };
                let _ = writeln!(s, "        if {cond} {{ flags_{flags} |= 1u32 << {bit}; }}");
            }
        }
    }
    for p in &d.params {
        match p {
            Param::Flags(flags) => {
                let _ = writeln!(s, "        crate::wire::write_u32(out, flags_{flags});");
            }
            Param::Field(f) => {
                let fname = names::field(&f.name);
                if f.ty == Ty::FlagTrue {
                    continue;
                }
                if f.flag.is_some() {
                    let _ = writeln!(
                        s,
                        "        if let Some(x) = &{access}{fname} {{ {} }}",
                        codec::ser(&f.ty, "x")
                    );
                } else {
                    let _ = writeln!(
                        s,
                        "        {}",
                        codec::ser(&f.ty, &format!("(&{access}{fname})"))
                    );
                }
            }
        }
    }
    s
}

/// Statements decoding the body of `d` into `ctor { .. }` and returning it.
fn de_body(root: Root<'_>, boxing: &Boxing, d: &Def, ctor: &str) -> String {
    let mut s = String::new();
    for p in &d.params {
        match p {
            Param::Flags(flags) => {
                let _ = writeln!(s, "        let flags_{flags} = r.read_u32()?;");
            }
            Param::Field(f) => {
                let local = format!("f_{}", names::field_plain(&f.name));
                let e = codec::de(root, &f.ty, boxing.is_boxed(d, &f.name));
                match &f.flag {
                    Some((fl, bit)) if f.ty == Ty::FlagTrue => {
                        let _ = writeln!(
                            s,
                            "        let {local} = flags_{fl} & (1u32 << {bit}) != 0;"
                        );
                    }
                    Some((fl, bit)) => {
                        let _ = writeln!(
                            s,
                            "        let {local} = if flags_{fl} & (1u32 << {bit}) != 0 {{ Some({e}) }} else {{ None }};"
                        );
                    }
                    None => {
                        let _ = writeln!(s, "        let {local} = {e};");
                    }
                }
            }
        }
    }
    let fields: Vec<_> = d.fields().collect();
    if fields.is_empty() {
        let _ = writeln!(s, "        Ok({ctor})");
    } else {
        let inits: Vec<String> = fields
            .iter()
            .map(|f| {
                format!(
                    "{}: f_{}",
                    names::field(&f.name),
                    names::field_plain(&f.name)
                )
            })
            .collect();
        let _ = writeln!(s, "        Ok({ctor} {{ {} }})", inits.join(", "));
    }
    s
}

fn emit_enum(schema: &Schema, root: Root<'_>, ty: &QualName) -> String {
    let name = names::pascal(&ty.name);
    let ctors: Vec<&Def> = schema.type_constructors(ty).collect();
    let mut s = String::new();
    let _ = writeln!(s, "/// Boxed TL type `{ty}`.");
    s.push_str("#[derive(Debug, Clone, PartialEq)]\n");
    let _ = writeln!(s, "pub enum {name} {{");
    for c in &ctors {
        let v = names::pascal(&c.name.name);
        let _ = writeln!(s, "    {v}({}),", root.types(&c.name));
    }
    s.push_str("}\n");
    let _ = writeln!(s, "impl {name} {{");
    s.push_str("    /// The constructor id of the wrapped value.\n");
    s.push_str("    pub fn constructor_id(&self) -> u32 {\n        match self {\n");
    for c in &ctors {
        let _ = writeln!(
            s,
            "            Self::{}(_) => 0x{:08x},",
            names::pascal(&c.name.name),
            c.id
        );
    }
    s.push_str("        }\n    }\n");
    s.push_str("    /// The TL name of the wrapped constructor.\n");
    s.push_str("    pub fn constructor_name(&self) -> &'static str {\n        match self {\n");
    for c in &ctors {
        let _ = writeln!(
            s,
            "            Self::{}(_) => \"{}\",",
            names::pascal(&c.name.name),
            c.name
        );
    }
    s.push_str("        }\n    }\n}\n");
    let _ = writeln!(s, "impl crate::Serializable for {name} {{");
    s.push_str("    fn serialize(&self, out: &mut Vec<u8>) {\n        match self {\n");
    for c in &ctors {
        let _ = writeln!(
            s,
            "            Self::{}(x) => x.serialize(out),",
            names::pascal(&c.name.name)
        );
    }
    s.push_str("        }\n    }\n}\n");
    let _ = writeln!(s, "impl crate::Deserializable for {name} {{");
    s.push_str(
        "    fn deserialize(r: &mut crate::Reader<'_>) -> Result<Self, crate::DecodeError> {\n",
    );
    s.push_str("        r.nested(|r| match r.read_u32()? {\n");
    for c in &ctors {
        let _ = writeln!(
            s,
            "            0x{:08x} => crate::wire::decode_variant(r, Self::{}, {}::deserialize_body),",
            c.id,
            names::pascal(&c.name.name),
            root.types(&c.name)
        );
    }
    for (alias_id, target) in crate::aliases::for_type(schema, ty) {
        let _ = writeln!(
            s,
            "            0x{:08x} => crate::wire::decode_variant(r, Self::{}, {}::deserialize_body),",
            alias_id,
            names::pascal(&target.name.name),
            root.types(&target.name)
        );
    }
    let _ = writeln!(
        s,
        "            id => Err(crate::DecodeError::UnknownConstructor {{ id, ty: \"{ty}\" }}),"
    );
    s.push_str("        })\n    }\n}\n");
    for c in &ctors {
        let _ = writeln!(
            s,
            "impl From<{t}> for {name} {{ fn from(x: {t}) -> Self {{ Self::{v}(x) }} }}",
            t = root.types(&c.name),
            v = names::pascal(&c.name.name)
        );
    }
    s
}

fn emit_request(schema: &Schema, root: Root<'_>) -> String {
    let mut s = String::new();
    s.push_str("/// Any function of this schema, as received by a server.\n");
    s.push_str("#[derive(Debug, Clone, PartialEq)]\npub enum Request {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "    {}({}),",
            names::flat(&f.name),
            root.functions(&f.name)
        );
    }
    s.push_str("}\nimpl Request {\n");
    s.push_str("    /// The constructor id of the wrapped function.\n");
    s.push_str("    pub fn constructor_id(&self) -> u32 {\n        match self {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "            Self::{}(_) => 0x{:08x},",
            names::flat(&f.name),
            f.id
        );
    }
    s.push_str("        }\n    }\n");
    s.push_str("    /// The TL name of the wrapped function, e.g. `help.getConfig`.\n");
    s.push_str("    pub fn constructor_name(&self) -> &'static str {\n        match self {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "            Self::{}(_) => \"{}\",",
            names::flat(&f.name),
            f.name
        );
    }
    s.push_str("        }\n    }\n");
    s.push_str("    /// The TL type of the function's result, e.g. `Config` or `Vector<User>`.\n");
    s.push_str("    pub fn result_type_name(&self) -> &'static str {\n        match self {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "            Self::{}(_) => \"{}\",",
            names::flat(&f.name),
            codec::tl_name(&f.result)
        );
    }
    s.push_str("        }\n    }\n");
    s.push_str("    /// Decodes the body of the function with constructor `id` (already\n");
    s.push_str("    /// read); `None` if this schema has no such function.\n");
    s.push_str("    #[doc(hidden)]\n");
    s.push_str("    pub fn decode_body(id: u32, r: &mut crate::Reader<'_>) -> Option<Result<Self, crate::DecodeError>> {\n");
    s.push_str("        Some(match id {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "            0x{:08x} => crate::wire::decode_variant(r, Self::{}, {}::deserialize_body),",
            f.id,
            names::flat(&f.name),
            root.functions(&f.name)
        );
    }
    s.push_str("            _ => return None,\n        })\n    }\n}\n");
    s.push_str("impl crate::Serializable for Request {\n    fn serialize(&self, out: &mut Vec<u8>) {\n        match self {\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "            Self::{}(x) => crate::Serializable::serialize(x, out),",
            names::flat(&f.name)
        );
    }
    s.push_str("        }\n    }\n}\n");
    s.push_str("impl crate::Deserializable for Request {\n");
    s.push_str(
        "    fn deserialize(r: &mut crate::Reader<'_>) -> Result<Self, crate::DecodeError> {\n",
    );
    s.push_str("        let id = r.read_u32()?;\n");
    s.push_str("        Self::decode_body(id, r).unwrap_or(Err(crate::DecodeError::UnknownConstructor { id, ty: \"Request\" }))\n");
    s.push_str("    }\n}\n");
    for f in &schema.functions {
        let _ = writeln!(
            s,
            "impl From<{t}> for Request {{ fn from(x: {t}) -> Self {{ Self::{v}(x) }} }}",
            t = root.functions(&f.name),
            v = names::flat(&f.name)
        );
    }
    s
}
