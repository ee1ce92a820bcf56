//! Build-time code generator for `chappe-tl`.
//!
//! Reads the schema directory (`mtproto.tl` and one `api-<layer>.tl` per
//! supported layer), and writes Rust sources into `OUT_DIR` that chappe-tl
//! `include!`s: the MTProto service types, the canonical API (newest layer),
//! and per-layer codecs between older layers and the canonical types.
//! Adding a layer is dropping a file into the schema directory.

pub mod aliases;
pub mod boxing;
pub mod canonical;
pub mod codec;
pub mod convert;
pub mod identity;
pub mod layer_decode;
pub mod layer_encode;
pub mod layers;
pub mod modtree;
pub mod names;
pub mod schema;

use std::fs;
use std::path::{Path, PathBuf};

use schema::{parse_schema, Schema};

/// One `api-<layer>.tl` file.
#[derive(Clone)]
pub struct LayerSchema {
    pub layer: i32,
    pub path: PathBuf,
    pub schema: Schema,
}

/// What the build script needs to know after generation.
pub struct Generated {
    /// Files whose change must re-run the build script.
    pub inputs: Vec<PathBuf>,
    /// Total lines written, for the size report.
    pub lines: usize,
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Finds and parses every `api-<layer>.tl`, sorted by layer. The layer comes
/// from the file name; a `// LAYER N` marker inside, if present, must agree.
pub fn load_layers(schema_dir: &Path) -> Result<Vec<LayerSchema>, String> {
    let mut layers = Vec::new();
    let entries = fs::read_dir(schema_dir).map_err(|e| format!("{}: {e}", schema_dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let Some(layer) = file
            .strip_prefix("api-")
            .and_then(|f| f.strip_suffix(".tl"))
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let schema = parse_schema(&read(&path)?).map_err(|e| format!("{file}: {e}"))?;
        if let Some(marker) = schema.layer_marker {
            if marker != layer {
                return Err(format!(
                    "{file}: file name says layer {layer}, marker says {marker}"
                ));
            }
        }
        layers.push(LayerSchema {
            layer,
            path,
            schema,
        });
    }
    layers.sort_by_key(|l| l.layer);
    if layers.is_empty() {
        return Err(format!(
            "no api-<layer>.tl files in {}",
            schema_dir.display()
        ));
    }
    Ok(layers)
}

/// Generates all sources into `out_dir`. Without `with_api` only the MTProto
/// module and the layer constants are produced (the `api` feature is off).
pub fn generate(schema_dir: &Path, out_dir: &Path, with_api: bool) -> Result<Generated, String> {
    let mut inputs = vec![schema_dir.to_path_buf()];
    let mut lines = 0;
    let mut write = |name: &str, code: String| -> Result<(), String> {
        lines += code.lines().count();
        let path = out_dir.join(name);
        fs::write(&path, code).map_err(|e| format!("{}: {e}", path.display()))
    };

    let mtproto_path = schema_dir.join("mtproto.tl");
    let mtproto = parse_schema(&read(&mtproto_path)?).map_err(|e| format!("mtproto.tl: {e}"))?;
    inputs.push(mtproto_path);
    write(
        "mtproto.rs",
        canonical::emit(&mtproto, codec::Root("crate::mtproto"))?,
    )?;

    let layers = load_layers(schema_dir)?;
    inputs.extend(layers.iter().map(|l| l.path.clone()));
    let supported: Vec<String> = layers.iter().map(|l| l.layer.to_string()).collect();
    let Some(canonical) = layers.last() else {
        return Err("no layers".into());
    };
    write(
        "layer_consts.rs",
        format!(
            "/// The layer the canonical `api` types follow (the newest schema).\n\
             pub const CANONICAL_LAYER: i32 = {};\n\
             /// Every layer with a schema in `schema/`, ascending.\n\
             pub const SUPPORTED_LAYERS: &[i32] = &[{}];\n",
            canonical.layer,
            supported.join(", ")
        ),
    )?;
    if with_api {
        write(
            "api.rs",
            canonical::emit(&canonical.schema, codec::Root("crate::api"))?,
        )?;
        write(
            "layers.rs",
            layers::emit(&layers, &canonical.schema, canonical.layer),
        )?;
    }
    Ok(Generated { inputs, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_schemas_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
        let layers = load_layers(&dir).unwrap();
        let numbers: Vec<i32> = layers.iter().map(|l| l.layer).collect();
        assert!(numbers.starts_with(&[158, 198, 220, 229]), "{numbers:?}");
        let canonical = &layers[layers.len() - 1].schema;
        for l in &layers {
            let id = identity::Identity::compute(&l.schema, canonical);
            let fns_same = l
                .schema
                .functions
                .iter()
                .filter(|f| {
                    canonical
                        .functions
                        .iter()
                        .any(|c| id.def_identical(&l.schema, f, c))
                })
                .count();
            eprintln!(
                "layer {}: {} types ({} identical to canonical), {} functions ({} identical)",
                l.layer,
                l.schema.types.len(),
                id.count(),
                l.schema.functions.len(),
                fns_same
            );
        }
    }
}
