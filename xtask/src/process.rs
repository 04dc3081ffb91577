//! Running the project's tools, with errors that say what failed.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (the parent of this crate's folder).
pub fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().expect("xtask lives inside the workspace").to_path_buf()
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// A command for `name`, preferring the cargo bin folder (it may not be on
/// PATH on a fresh machine), with that folder and the npm build tools'
/// (`tools/node_modules/.bin`) on PATH for its children.
pub fn tool(name: &str) -> Command {
    let installed = cargo_bin_dir().join(name);
    let mut command = Command::new(if installed.exists() { installed.into_os_string() } else { name.into() });
    let path = std::env::var_os("PATH").unwrap_or_default();
    // Cargo-installed tools (trunk, wasm-bindgen), then npm-installed
    // build tools (wasm-opt), before the system's.
    let mut dirs = vec![cargo_bin_dir(), repo_root().join("tools/node_modules/.bin")];
    dirs.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(dirs) {
        command.env("PATH", joined);
    }
    command
}

/// The cargo running this xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub fn npm() -> Command {
    Command::new("npm")
}

/// Runs `command` to completion; an error names it and its exit status.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = describe(command);
    eprintln!("xtask: running {shown}");
    let status = command.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Runs `command` and returns its standard output, or `None` if it fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    format!("`{}`", parts.join(" "))
}
