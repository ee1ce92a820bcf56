//! Emits `crate::layers`' generated part: one module per old layer (`l158`
//! ...) with its decoders and encoders, the layer dispatch for requests, and
//! `LayerEncode` for every canonical enum and constructor struct.
//!
//! Wherever an old layer's type is wire-identical to the canonical one (see
//! [`crate::identity`]) nothing is generated and the canonical codec is used,
//! which keeps the output to the parts that actually differ.

use std::fmt::Write as _;

use crate::boxing::Boxing;
use crate::codec::Root;
use crate::convert::LayerCtx;
use crate::identity::Identity;
use crate::schema::{QualName, Schema};
use crate::{layer_decode, layer_encode, names, LayerSchema};

const MODULE_PRELUDE: &str = "#![allow(unused_imports, unused_mut, unused_parens, clippy::all)]\n\
     use crate::{Serializable as _, Deserializable as _};\n";

fn module_name(layer: i32) -> String {
    format!("l{layer}")
}

/// Renders the generated part of `crate::layers`.
pub fn emit(layers: &[LayerSchema], canon: &Schema, canon_layer: i32) -> String {
    let root = Root("crate::api");
    let boxing = Boxing::compute(canon);
    let ctxs: Vec<LayerCtx<'_>> = layers
        .iter()
        .filter(|l| l.layer != canon_layer)
        .map(|l| LayerCtx {
            layer: l.layer,
            old: &l.schema,
            canon,
            identity: Identity::compute(&l.schema, canon),
            root,
        })
        .collect();
    let mut out = String::new();
    for ctx in &ctxs {
        let module = format!("crate::layers::{}", module_name(ctx.layer));
        let _ = writeln!(
            out,
            "/// Codecs between layer {} and the canonical layer.\npub mod {} {{\n{MODULE_PRELUDE}",
            ctx.layer,
            module_name(ctx.layer)
        );
        for ty in ctx.old.types.keys() {
            if ctx.has_converter(ty) {
                out.push_str(&layer_decode::type_decoder(ctx, &boxing, ty));
            } else if !canon.types.contains_key(ty) {
                out.push_str(&layer_decode::type_skipper(ctx, ty));
            }
        }
        out.push_str(&layer_decode::request_decoder(ctx, &boxing));
        out.push_str(&layer_encode::constructor_encoders(ctx));
        out.push_str(&layer_encode::type_encoders(ctx, &module));
        out.push_str("}\n");
    }
    out.push_str(&dispatch(&ctxs, canon_layer));
    out.push_str(&function_ids(layers));
    out.push_str(&layer_decode_impls(&ctxs, canon));
    out.push_str(&layer_encode_impls(&ctxs, canon));
    out
}

fn dispatch(ctxs: &[LayerCtx<'_>], canon_layer: i32) -> String {
    let mut s = String::new();
    s.push_str(
        "/// Decodes a request body (after its id) with one layer's function table;\n\
         /// `None` if that layer has no function with this id.\n\
         pub(crate) fn decode_in_layer(layer: i32, id: u32, r: &mut crate::Reader<'_>) \
         -> Option<Result<crate::api::Request, crate::DecodeError>> {\n    match layer {\n",
    );
    for ctx in ctxs {
        let _ = writeln!(
            s,
            "        {} => {}::decode_request(id, r),",
            ctx.layer,
            module_name(ctx.layer)
        );
    }
    let _ = writeln!(
        s,
        "        {canon_layer} => crate::api::Request::decode_body(id, r),\n        _ => None,\n    }}\n}}"
    );
    s
}

/// `function_ids(layer)`: every function constructor id of a layer, for
/// fuzzing and diagnostics.
fn function_ids(layers: &[LayerSchema]) -> String {
    let mut s = String::from(
        "/// Every function constructor id defined by `layer` (exact, not resolved);\n\
         /// empty for an unsupported layer.\n\
         pub fn function_ids(layer: i32) -> &'static [u32] {\n    match layer {\n",
    );
    for l in layers {
        let ids: Vec<String> = l
            .schema
            .functions
            .iter()
            .map(|f| format!("0x{:08x}", f.id))
            .collect();
        let _ = writeln!(s, "        {} => &[{}],", l.layer, ids.join(", "));
    }
    s.push_str("        _ => &[],\n    }\n}\n");
    s
}

/// `LayerDecode` for every canonical enum: the layer's own decoder where the
/// type differs from the canonical one, the canonical decoder otherwise.
fn layer_decode_impls(ctxs: &[LayerCtx<'_>], canon: &Schema) -> String {
    let mut s = String::new();
    for ty in canon.types.keys() {
        let arms: String = ctxs
            .iter()
            .filter(|ctx| ctx.has_converter(ty))
            .map(|ctx| {
                format!(
                    "            {} => {}::dec_{}(r),\n",
                    ctx.layer,
                    module_name(ctx.layer),
                    names::flat_snake(ty)
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "impl LayerDecode for {} {{\n    fn decode_for_layer(layer: i32, r: &mut crate::Reader<'_>) -> Result<Self, crate::DecodeError> {{\n        match resolve_layer(layer) {{\n{arms}            _ => <Self as crate::Deserializable>::deserialize(r),\n        }}\n    }}\n}}",
            names::path("crate::api", "enums", ty)
        );
    }
    s
}

fn layer_encode_impls(ctxs: &[LayerCtx<'_>], canon: &Schema) -> String {
    let mut s = String::new();
    let fallback = "_ => { crate::Serializable::serialize(self, out); Ok(()) }";
    for ty in canon.types.keys() {
        let _ = writeln!(
            s,
            "impl LayerEncode for {} {{\n    fn encode_for_layer(&self, layer: i32, out: &mut Vec<u8>) -> Result<(), crate::EncodeError> {{\n        match resolve_layer(layer) {{",
            names::path("crate::api", "enums", ty)
        );
        for ctx in ctxs {
            if ctx.has_converter(ty) {
                let _ = writeln!(
                    s,
                    "            {} => {}::enc_{}(self, out),",
                    ctx.layer,
                    module_name(ctx.layer),
                    names::flat_snake(ty)
                );
            } else if !ctx.old.types.contains_key(ty) {
                let _ = writeln!(
                    s,
                    "            {l} => Err(crate::EncodeError::NotInLayer {{ name: self.constructor_name(), layer: {l} }}),",
                    l = ctx.layer
                );
            }
        }
        let _ = writeln!(s, "            {fallback}\n        }}\n    }}\n}}");
    }
    for c in &canon.constructors {
        let arms: Vec<String> = ctxs
            .iter()
            .filter(|ctx| !constructor_identical(ctx, &c.name))
            .map(|ctx| {
                let module = format!("crate::layers::{}", module_name(ctx.layer));
                format!(
                    "            {} => {},",
                    ctx.layer,
                    layer_encode::constructor_expr(ctx, c, &module)
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "impl LayerEncode for {} {{\n    #[allow(unused_variables)]\n    fn encode_for_layer(&self, layer: i32, out: &mut Vec<u8>) -> Result<(), crate::EncodeError> {{\n        let x = self;\n        match resolve_layer(layer) {{\n{}            {fallback}\n        }}\n    }}\n}}",
            names::path("crate::api", "types", &c.name),
            arms.iter().map(|a| format!("{a}\n")).collect::<String>()
        );
    }
    s
}

fn constructor_identical(ctx: &LayerCtx<'_>, name: &QualName) -> bool {
    match (ctx.canon.constructor(name), ctx.old.constructor(name)) {
        (Some(c), Some(o)) => ctx.identity.def_identical(ctx.old, o, c),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_schema;

    fn layer(n: i32, text: &str) -> LayerSchema {
        LayerSchema {
            layer: n,
            path: std::path::PathBuf::new(),
            schema: parse_schema(text).unwrap(),
        }
    }

    #[test]
    fn only_differing_parts_are_generated() {
        let old = layer(
            1,
            "same#1 x:int = Same;\nuser#2 flags:# id:long name:flags.0?string = User;\n\
             gone#3 = Gone;\n---functions---\nget#10 = Same;\nsetUser#11 u:User = Same;\nold#12 = Same;",
        );
        let new = layer(
            2,
            "same#1 x:int = Same;\nuser#4 flags:# id:long name:flags.0?string bio:flags.1?string = User;\n\
             ---functions---\nget#10 = Same;\nsetUser#11 u:User = Same;",
        );
        let code = emit(&[old, new.clone()], &new.schema, 2);
        assert!(code.contains("pub mod l1"));
        assert!(
            !code.contains("fn dec_same"),
            "identical type reuses the canonical codec"
        );
        assert!(code.contains("pub fn dec_user"));
        assert!(code.contains("pub fn enc_user"));
        assert!(code.contains("pub fn skip_gone"));
        // setUser mentions the changed User, so it gets its own decoder.
        assert!(code.contains("fn decf_set_user"));
        assert!(!code.contains("fn decf_get"));
        assert!(code.contains("Unsupported { name: \"old\", layer: 1 }"));
        assert!(code.contains("0x00000002 => crate::wire::decode_variant"));
        assert!(code.contains("1 => &[0x00000010, 0x00000011, 0x00000012]"));
    }

    #[test]
    fn required_field_without_default_makes_constructor_unencodable() {
        let old = layer(1, "a#1 p:P = A;\np#2 = P;");
        let new = layer(2, "a#3 = A;\np#2 = P;");
        let code = emit(&[old, new.clone()], &new.schema, 2);
        assert!(code.contains("NotInLayer { name: \"a\", layer: 1 }"));
        assert!(!code.contains("fn encc_a"));
    }
}
