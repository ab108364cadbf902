//! Builds the demo org (every file in `www/demo/`) into the web app, so that "Try the demo
//! org" works offline with nothing to fetch.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=www/demo");
    if env::var_os("CARGO_FEATURE_WEB").is_none() {
        return;
    }
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&root).join("www").join("demo");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".md") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from(
        "/// The demo org's files: (name, bytes).\npub static DEMO_FILES: &[(&str, &[u8])] = &[\n",
    );
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({n:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("demo_files.rs");
    if let Err(e) = fs::write(&out, code) {
        println!("cargo:warning=could not write {}: {e}", out.display());
    }
}
