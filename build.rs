//! Regenerates include/liburing/decls.h, the C declarations of everything
//! src/capi exports plus liburing's own ring structs, with cbindgen.
//! The file is committed; `make test` fails if a build changes it.

use std::path::Path;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = Path::new(&dir).join("include/liburing/decls.h");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    // Always on in Rust; cbindgen.toml maps it to `#if defined(_GNU_SOURCE)`
    // for the prototypes that need glibc's GNU types (loff_t), so the header
    // still compiles in strict ISO C mode, as liburing's does.
    println!("cargo::rustc-check-cfg=cfg(liburing_gnu_source)");
    println!("cargo::rustc-cfg=liburing_gnu_source");
    let config = cbindgen::Config::from_file(Path::new(&dir).join("cbindgen.toml")).expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut text = Vec::new();
    bindings.write(&mut text);
    // Only touch the file when its content changes, so make sees no change.
    if std::fs::read(&out).ok().as_deref() != Some(text.as_slice()) {
        std::fs::write(&out, text).expect("include/liburing/decls.h is writable");
    }
}
