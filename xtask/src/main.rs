//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `setup`: install what is missing (wasm32 target, trunk, wasm-bindgen-cli
//!   matching Cargo.lock, binaryen's wasm-opt from npm into tools/,
//!   Chromium from Debian, the browser tests' npm deps);
//! - `serve`: build the bundle from `kb/` and the app, serve on 127.0.0.1:8080;
//! - `test`: every test: native (engine, indexer), then the dist binary
//!   (`dist`) writes the sample kb's site, and the browser tests (headless
//!   Chromium) run against it;
//! - `bench`: build, size and search-speed figures (see BENCHMARKS.md);
//! - `dist`: the `cuecard` binary with the app inside, and its archive.
//!
//! Only std: this crate must build in seconds on a fresh machine.

mod bench;
mod bench_bundle;
mod dist;
mod precompress;
mod process;
mod setup;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | serve [--kb DIR] [--port N] | test | dist | bench [--quick] [--baseline DIR [--baseline-bin FILE]] [--rounds N]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(setup::Needs::everything()),
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench::run(&args[1..]),
        Some("dist") => dist::run().map(|_| ()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the bundle and the app, and serves them with live rebuilds.
fn serve(args: &[String]) -> Result<(), String> {
    let mut kb = None;
    let mut port = "8080".to_string();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--kb" => kb = rest.next().cloned(),
            "--port" => port = rest.next().cloned().ok_or("--port needs a number")?,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    setup::all(setup::Needs { browser: false, ..setup::Needs::everything() })?;
    let root = process::repo_root();
    let mut trunk = process::tool("trunk");
    trunk
        .current_dir(&root)
        .args(["serve", "--release", "--address", "127.0.0.1", "--port", &port]);
    if let Some(kb) = kb {
        let kb = std::path::absolute(&kb).map_err(|e| format!("bad --kb {kb}: {e}"))?;
        trunk.env("CUECARD_KB", kb);
    }
    eprintln!("xtask: serving Cuecard on http://127.0.0.1:{port}/ (Ctrl+C to stop)");
    process::run(&mut trunk)
}

/// Runs every test: native first (fast), then the built site in Chromium.
fn test() -> Result<(), String> {
    setup::all(setup::Needs::everything())?;
    let root = process::repo_root();
    process::run(
        process::cargo()
            .current_dir(&root)
            .args(["test", "--locked", "-p", "cuecard-engine", "-p", "cuecard-meaning", "-p", "cuecard", "-p", "cuecard-app", "-p", "xtask"]),
    )?;
    // The one binary knowledge teams install (the app inside, release):
    // the browser tests run against a site it writes, and build their
    // fixture sites with it. The real corpora (36,000 articles) are tested
    // with the release indexer.
    let dist_bin = dist::run()?;
    process::run(process::cargo().current_dir(&root).args(["test", "--locked", "--release", "-p", "cuecard", "--test", "corpora"]))?;
    let site = root.join("target/e2e-site");
    let _ = std::fs::remove_dir_all(&site);
    process::run(std::process::Command::new(&dist_bin).arg("site").arg("--kb").arg(root.join("kb")).arg("--out").arg(&site))?;
    for script in ["test", "test:gitlab-pages"] {
        // The second: search and the offline copy again, with the site served
        // as GitLab Pages serves it (the app's precompressed siblings, nothing
        // compressed on the fly; `support/server.mjs`).
        process::run(
            process::npm()
                .current_dir(root.join("tests"))
                .args(["run", script])
                .env("CUECARD_SITE", &site)
                .env("CUECARD_BIN", &dist_bin)
                .env("CUECARD_DIST_BIN", &dist_bin),
        )?;
    }
    Ok(())
}
