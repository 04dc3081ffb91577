//! `cargo xtask dist`: the one file a knowledge team installs. Builds the
//! app (release, wasm-opt, workers named by content, and nothing of any
//! kb: no bundle, no `_headers`, no policy), puts its files in
//! `indexer/app-dist/` (which `indexer/build.rs` embeds and the crate's
//! package carries) with their precompressed siblings (`precompress`),
//! builds `cuecard` with them inside, and writes `target/dist/cuecard` and
//! `target/dist/cuecard-<version>-<target>.tar.gz` (the binary, LICENSE, a
//! short README).

use std::path::{Path, PathBuf};

use crate::process;

/// The release archive's target triple (the machine this runs on).
const TARGET: &str = "x86_64-unknown-linux-gnu";

/// The README that travels in the archive.
const ARCHIVE_README: &str = "# cuecard\n\nThe Cuecard knowledge base tool, with the agents' app inside.\n\n\
    ```sh\ncuecard init my-kb          # a kb repository with sample articles and CI\ncuecard serve --kb my-kb    # preview while writing\n\
    cuecard check --kb my-kb    # every problem, with file and line\ncuecard site --kb my-kb --out site   # the site to publish\n```\n\n\
    `cuecard --version` names the app build inside; `cuecard --help` lists every command.\n";

/// Builds the dist binary; returns its path.
pub fn run() -> Result<PathBuf, String> {
    crate::setup::all(crate::setup::Needs { browser: false, ..crate::setup::Needs::everything() })?;
    let root = process::repo_root();
    let staging = root.join("target/dist/app");
    let _ = std::fs::remove_dir_all(&staging);
    process::run(
        process::tool("trunk")
            .current_dir(&root)
            .args(["build", "--release", "--dist"])
            .arg(&staging)
            .env("CUECARD_APP_ONLY", "1")
            .env_remove("CUECARD_KB"),
    )?;
    let embedded = root.join("indexer/app-dist");
    replace_app_files(&staging, &embedded)?;
    let precompressed = crate::precompress::write_siblings(&embedded)?;
    eprintln!("xtask: {} precompressed siblings (.br, .gz) beside the app's files", precompressed.written);
    process::run(process::cargo().current_dir(&root).args(["build", "--locked", "--release", "-p", "cuecard"]))?;
    let dist = root.join("target/dist");
    let binary = dist.join("cuecard");
    std::fs::copy(root.join("target/release/cuecard"), &binary).map_err(|e| format!("cannot copy the binary into {}: {e}", dist.display()))?;
    let version = process::output(std::process::Command::new(&binary).arg("--version")).ok_or("the dist binary does not run")?;
    if version.contains("no app inside") {
        return Err(format!("{} was built without the app ({version})", binary.display()));
    }
    let number = version.split_whitespace().nth(1).unwrap_or("0").to_string();
    let archive_dir = dist.join("archive");
    let _ = std::fs::remove_dir_all(&archive_dir);
    std::fs::create_dir_all(&archive_dir).map_err(|e| e.to_string())?;
    std::fs::copy(&binary, archive_dir.join("cuecard")).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("LICENSE"), archive_dir.join("LICENSE")).map_err(|e| format!("LICENSE: {e}"))?;
    std::fs::write(archive_dir.join("README.md"), ARCHIVE_README).map_err(|e| e.to_string())?;
    let archive = dist.join(format!("cuecard-{number}-{TARGET}.tar.gz"));
    process::run(std::process::Command::new("tar").arg("-czf").arg(&archive).arg("-C").arg(&archive_dir).args(["cuecard", "LICENSE", "README.md"]))?;
    eprintln!("xtask: {version}\nxtask: wrote {} and {}", binary.display(), archive.display());
    Ok(binary)
}

/// Makes `to` hold exactly the files of `from` (its README kept).
fn replace_app_files(from: &Path, to: &Path) -> Result<(), String> {
    if !from.join("index.html").is_file() {
        return Err(format!("trunk wrote no index.html into {}", from.display()));
    }
    for entry in std::fs::read_dir(to).map_err(|e| format!("{}: {e}", to.display()))?.flatten() {
        if entry.file_name() != "README.md" {
            let path = entry.path();
            let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed.map_err(|e| format!("cannot clear {}: {e}", path.display()))?;
        }
    }
    copy_tree(from, to)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?.flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        // Trunk's staging leftovers are not the app.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if source.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
        }
    }
    Ok(())
}
