//! Generates the image service's client (types and client, no server) into
//! `OUT_DIR/image.rs`, which `src/main.rs` includes.

use stackspec_codegen::{Generator, Side, Spec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spec = std::path::Path::new("../../spec/image.yaml");
    println!("cargo::rerun-if-changed={}", spec.display());
    let generated =
        Generator::new().with_side(Side::Client).generate(&Spec::load(spec)?, "image")?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("image.rs");
    generated.write_single_file(&out)?;
    Ok(())
}
