//! Generates the TL codecs from `schema/` (see chappe-tl-gen) into OUT_DIR.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let schema_dir = manifest.join("../../schema");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let with_api = std::env::var_os("CARGO_FEATURE_API").is_some();
    match chappe_tl_gen::generate(&schema_dir, &out_dir, with_api) {
        Ok(generated) => {
            for input in generated.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            println!("cargo:rerun-if-changed=build.rs");
        }
        Err(e) => {
            eprintln!("chappe-tl code generation failed: {e}");
            std::process::exit(1);
        }
    }
}
