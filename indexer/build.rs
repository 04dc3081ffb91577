//! Puts the app inside the `cuecard` binary when its built files are in
//! `app-dist/` (written by `cargo xtask dist`, and packaged with the crate):
//! `$OUT_DIR/embedded_app.rs` lists every file with `include_bytes!`, and
//! `CUECARD_APP_HASH` is a content hash of them all (what `--version` and
//! the app's footer show). Without the folder the binary has no app, and
//! the commands that need it say how to get it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => files_under(&path, out),
            Ok(kind) if kind.is_file() && path.file_name().is_some_and(|n| n != "README.md") => out.push(path),
            _ => {}
        }
    }
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let app = manifest_dir.join("app-dist");
    println!("cargo:rerun-if-changed=app-dist");
    let mut files = Vec::new();
    if app.join("index.html").is_file() {
        files_under(&app, &mut files);
    }
    files.sort();
    let mut code = String::from("/// The app's files, by their path in the site.\npub static FILES: &[(&str, &[u8])] = &[\n");
    let mut hash = Sha256::new();
    for path in &files {
        let name = path.strip_prefix(&app).expect("under app-dist").to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).expect("an app file is readable");
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
        writeln!(code, "    ({name:?}, include_bytes!({:?})),", path.display().to_string()).expect("writing to a String");
    }
    code.push_str("];\n");
    let digest = hash.finalize();
    let short: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=CUECARD_APP_HASH={}", if files.is_empty() { String::new() } else { short });
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_app.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
