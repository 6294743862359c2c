//! Compiles the gazetteer's boundaries, places and name forms once per
//! build, with the code of `Gazetteer::build_from_text` (`src/compile.rs`
//! and `src/borders.rs`, included here by path) over the same data, into
//! `OUT_DIR/gazetteer.bin` and `gazetteer.txt`, which `Gazetteer::load`
//! reads back. Normalizing and indexing ~225,000 name forms takes ~150 ms,
//! too long to do at every start of the program.
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/borders.rs"]
mod borders;
#[allow(dead_code)]
#[path = "src/compile.rs"]
mod compile;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let data = manifest.join("../../data");
    let data = data.canonicalize().unwrap_or(data);
    let read = |rel: &str| {
        let p = data.join(rel);
        println!("cargo:rerun-if-changed={}", p.display());
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let gazetteer = read("geo/gazetteer.tsv");
    let borders_tsv = read("geo/borders.tsv");
    // The country names and curated places come from muster-lexicon's
    // embedded copy of data/ (as at run time); a change there rebuilds
    // muster-lexicon and so this script, but say what is read all the same.
    for (rel, _) in muster_lexicon::DATA_FILES {
        if used(rel) {
            println!("cargo:rerun-if-changed={}", data.join(rel).display());
        }
    }
    for dir in ["generated/countries", "lang"] {
        println!("cargo:rerun-if-changed={}", data.join(dir).display());
    }
    let compiled = compile::compile(&gazetteer, &borders_tsv, muster_lexicon::DATA_FILES);
    let (bin, text) = compile::encode(&compiled);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    write(&out.join("gazetteer.bin"), bin.as_slice());
    write(&out.join("gazetteer.txt"), text.as_bytes());
}

/// Whether `compile` reads this file of `DATA_FILES`.
fn used(rel: &str) -> bool {
    rel.starts_with("generated/countries/")
        || (rel.starts_with("lang/") && rel.ends_with("/countries.tsv"))
        || rel == "reference/places.tsv"
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
