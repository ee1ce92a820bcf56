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
