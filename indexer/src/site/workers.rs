//! Content-hashed names for the built site's web workers
//! (`cuecard fingerprint --site dist`, run by trunk's post-build hook).
//!
//! Trunk hashes the app's own files but leaves a worker's three files
//! under fixed names (`meaning_worker_loader.js`, `meaning_worker.js`,
//! `meaning_worker_bg.wasm`): the app must know the name to start it. Fixed
//! names cannot be kept offline safely (the service worker keeps a file by
//! its URL, so a new build's worker would meet the old one's copy), and a
//! host's HTTP cache could pair a new page with an old worker. So this step
//! renames each file after its content (`meaning_worker-<hash>_bg.wasm`,
//! ...), points the loader at the new names, and names all three in the
//! page as `<link rel="cuecard-worker">` with an SRI `integrity`: the app
//! starts the worker from the loader's link, and asks the service worker to
//! keep all three with the version. A link with an unknown `rel` fetches
//! nothing. A rerun finds the files already renamed and changes nothing.

use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

use crate::bundle::publish::write_atomically;
use crate::site::headers::PAGE_FILE;

/// The workers trunk builds for the app (`data-type="worker"` in
/// `app/index.html`).
pub const WORKERS: &[&str] = &["meaning_worker"];

/// The `rel` of the page's links to worker files.
pub const WORKER_LINK_REL: &str = "cuecard-worker";

/// One worker's files under their new names, the loader first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintedWorker {
    pub worker: String,
    pub loader: String,
    pub script: String,
    pub wasm: String,
}

/// Renames each worker of `site` found under trunk's fixed names and names
/// its files in the page. Returns what it renamed (nothing on a rerun).
pub fn fingerprint_workers(site: &Path) -> Result<Vec<FingerprintedWorker>> {
    let page_path = site.join(PAGE_FILE);
    let mut page = String::from_utf8(read_regular(&page_path).with_context(|| format!("cannot read {} (pass the built site, e.g. `--site dist`)", page_path.display()))?)
        .with_context(|| format!("{} is not UTF-8", page_path.display()))?;
    let mut renamed = Vec::new();
    for worker in WORKERS {
        let loader_path = site.join(format!("{worker}_loader.js"));
        if std::fs::symlink_metadata(&loader_path).is_err() {
            continue;
        }
        let loader = String::from_utf8(read_regular(&loader_path)?).with_context(|| format!("{} is not UTF-8", loader_path.display()))?;
        let shim = LoaderShim::parse(&loader).with_context(|| format!("{} is not trunk's loader shim", loader_path.display()))?;
        let read = |name: &str| read_regular(&site.join(name)).with_context(|| format!("named by {}", loader_path.display()));
        let (script_bytes, wasm_bytes) = (read(&shim.script)?, read(&shim.wasm)?);
        let script = hashed_name(&shim.script, &script_bytes);
        let wasm = hashed_name(&shim.wasm, &wasm_bytes);
        let new_loader = LoaderShim { script: script.clone(), wasm: wasm.clone() }.to_text();
        let loader_name = hashed_name(&format!("{worker}_loader.js"), new_loader.as_bytes());

        write_atomically(site, &site.join(&script), &script_bytes)?;
        write_atomically(site, &site.join(&wasm), &wasm_bytes)?;
        write_atomically(site, &site.join(&loader_name), new_loader.as_bytes())?;
        page = with_worker_links(&page, worker, &[("loader", &loader_name, new_loader.as_bytes()), ("script", &script, &script_bytes), ("wasm", &wasm, &wasm_bytes)])?;
        write_atomically(site, &page_path, page.as_bytes())?;
        for old in [&shim.script, &shim.wasm, &format!("{worker}_loader.js")] {
            std::fs::remove_file(site.join(old)).with_context(|| format!("cannot remove {}", site.join(old).display()))?;
        }
        renamed.push(FingerprintedWorker { worker: worker.to_string(), loader: loader_name, script, wasm });
    }
    Ok(renamed)
}

/// The bytes of `path`, a regular file: a symbolic link (or anything else)
/// in the site folder is refused, so its target is never published.
fn read_regular(path: &Path) -> Result<Vec<u8>> {
    let kind = std::fs::symlink_metadata(path).with_context(|| format!("cannot read {}", path.display()))?.file_type();
    if !kind.is_file() {
        bail!("{} is {}, not a regular file: only the site's own files are published", path.display(), if kind.is_symlink() { "a symbolic link" } else { "not a file" });
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// What trunk's loader shim names: the glue script and the wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LoaderShim {
    script: String,
    wasm: String,
}

impl LoaderShim {
    const IMPORT: &str = "importScripts(\"./";
    const INIT: &str = "\");wasm_bindgen(\"./";
    const END: &str = "\");";

    /// Reads `importScripts("./x.js");wasm_bindgen("./x_bg.wasm");`.
    fn parse(text: &str) -> Result<LoaderShim> {
        let rest = text.trim().strip_prefix(Self::IMPORT).context("it does not start with importScripts(\"./...\")")?;
        let (script, rest) = rest.split_once(Self::INIT).context("it does not call wasm_bindgen(\"./...\") after importScripts")?;
        let wasm = rest.strip_suffix(Self::END).context("it does not end with the wasm_bindgen call")?;
        let plain = |name: &str| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !plain(script) || !plain(wasm) {
            bail!("it names files outside the site's folder: {script}, {wasm}");
        }
        Ok(LoaderShim { script: script.to_string(), wasm: wasm.to_string() })
    }

    fn to_text(&self) -> String {
        format!("{}{}{}{}{}", Self::IMPORT, self.script, Self::INIT, self.wasm, Self::END)
    }
}

/// `name` with 16 hex digits of its content's sha256 before its
/// extension, the way trunk names the app's files
/// (`meaning_worker_bg.wasm` → `meaning_worker-0123456789abcdef_bg.wasm`).
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash: String = Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
    let (stem, extension) = name.split_once('.').unwrap_or((name, ""));
    match stem.strip_suffix("_bg").or_else(|| stem.strip_suffix("_loader")) {
        Some(base) => format!("{base}-{hash}{}.{extension}", &stem[base.len()..]),
        None => format!("{stem}-{hash}.{extension}"),
    }
}

/// The SRI `integrity` value trunk also uses: `sha384-<base64>`.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// `html` with links naming `worker`'s files (`part`, name, bytes) at the
/// end of `<head>`, replacing links an earlier build left.
fn with_worker_links(html: &str, worker: &str, files: &[(&str, &str, &[u8])]) -> Result<String> {
    let html = without_worker_links(html, worker);
    let Some(head_end) = html.to_ascii_lowercase().find("</head>") else {
        bail!("the page has no </head> to name the worker's files in");
    };
    let links: String = files
        .iter()
        .map(|(part, name, bytes)| {
            format!("    <link rel=\"{WORKER_LINK_REL}\" data-worker=\"{worker}\" data-part=\"{part}\" href=\"./{name}\" integrity=\"{}\" />\n", integrity(bytes))
        })
        .collect();
    let before = html[..head_end].trim_end_matches(' ');
    let newline = if before.ends_with('\n') { "" } else { "\n" };
    Ok(format!("{before}{newline}{links}  {}", &html[head_end..]))
}

/// `html` without the links an earlier run wrote for `worker` (each with
/// its indentation and line end), whatever else shares their lines.
fn without_worker_links(html: &str, worker: &str) -> String {
    let start_of_link = format!("<link rel=\"{WORKER_LINK_REL}\" data-worker=\"{worker}\"");
    let mut out = html.to_string();
    while let Some(start) = out.find(&start_of_link) {
        let end = out[start..].find("/>").map_or(out.len(), |i| start + i + 2);
        let end = if out[end..].starts_with('\n') { end + 1 } else { end };
        let start = out[..start].trim_end_matches(' ').len();
        out.replace_range(start..end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_shim_is_read_and_written_back_exactly() {
        let text = "importScripts(\"./meaning_worker.js\");wasm_bindgen(\"./meaning_worker_bg.wasm\");";
        let shim = LoaderShim::parse(text).unwrap();
        assert_eq!(shim, LoaderShim { script: "meaning_worker.js".into(), wasm: "meaning_worker_bg.wasm".into() });
        assert_eq!(shim.to_text(), text);
        assert!(LoaderShim::parse("importScripts(\"./../x.js\");wasm_bindgen(\"./x_bg.wasm\");").is_err());
        assert!(LoaderShim::parse("self.onmessage = () => {}").is_err());
    }

    #[test]
    fn hashed_names_keep_the_part_suffix_and_extension() {
        let hash: String = Sha256::digest(b"x").iter().take(8).map(|b| format!("{b:02x}")).collect();
        assert_eq!(hashed_name("meaning_worker_bg.wasm", b"x"), format!("meaning_worker-{hash}_bg.wasm"));
        assert_eq!(hashed_name("meaning_worker_loader.js", b"x"), format!("meaning_worker-{hash}_loader.js"));
        assert_eq!(hashed_name("meaning_worker.js", b"x"), format!("meaning_worker-{hash}.js"));
    }

    #[test]
    fn links_go_before_the_end_of_head_and_replace_an_earlier_builds() {
        let page = "<html><head>\n  <title>x</title>\n  </head><body></body></html>";
        let once = with_worker_links(page, "w", &[("loader", "w-1_loader.js", b"a")]).unwrap();
        assert!(once.contains(&format!("<link rel=\"cuecard-worker\" data-worker=\"w\" data-part=\"loader\" href=\"./w-1_loader.js\" integrity=\"{}\" />", integrity(b"a"))));
        assert!(once.find("cuecard-worker").unwrap() < once.find("</head>").unwrap());
        let twice = with_worker_links(&once, "w", &[("loader", "w-2_loader.js", b"b")]).unwrap();
        assert_eq!(twice.matches("cuecard-worker").count(), 1);
        assert!(twice.contains("w-2_loader.js") && !twice.contains("w-1_loader.js"));
        // Trunk ends its last link without a line break: ours start a line,
        // and leave trunk's alone when they go.
        let trunk = "<head>\n<link rel=\"preload\" href=\"./a.wasm\">  </head>";
        let linked = with_worker_links(trunk, "w", &[("loader", "w-1_loader.js", b"a")]).unwrap();
        assert!(linked.contains("href=\"./a.wasm\">\n    <link rel=\"cuecard-worker\""), "{linked}");
        assert_eq!(without_worker_links(&linked, "w"), "<head>\n<link rel=\"preload\" href=\"./a.wasm\">\n  </head>");
    }
}
