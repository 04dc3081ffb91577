//! The app's files compressed once, at `cargo xtask dist`, beside the
//! originals: `NAME.br` (brotli, quality 11) and `NAME.gz` (gzip, level 9).
//! `cuecard site` writes them with the rest of the app, so a host that
//! serves precompressed siblings sends them as they are: GitLab Pages
//! (which compresses nothing on the fly, so without them the app's wasm
//! would travel uncompressed), nginx's `gzip_static` and `brotli_static`,
//! Caddy's `precompressed`. Hosts that compress on the fly (GitHub Pages,
//! Netlify, Cloudflare Pages) ignore them.
//!
//! Measured on the app's wasm (BENCHMARKS.md): 1.70 MB raw, 0.67 MB as a
//! host gzips it, 0.52 MB at brotli 11 (Cloudflare's on-the-fly brotli,
//! quality 4 or so, gives about 0.60 MB).
//!
//! The page is left out: `cuecard site` rewrites it per kb (3 KB), and a
//! stale compressed page beside a new one would be served instead of it.

use std::io::Write as _;
use std::path::Path;

/// Which files get siblings: what a host would compress (text and wasm).
const COMPRESSED_KINDS: &[&str] = &["wasm", "js", "css", "svg", "json"];

/// The one file that is rewritten per kb, never precompressed.
const PAGE: &str = "index.html";

/// What [`write_siblings`] did.
#[derive(Debug, Default)]
pub struct Precompressed {
    /// Sibling files written.
    pub written: usize,
}

/// Writes `.br` and `.gz` beside every compressible file under `dir`
/// (not the page), where they are smaller than the file.
pub fn write_siblings(dir: &Path) -> Result<Precompressed, String> {
    let mut done = Precompressed::default();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            done.written += write_siblings(&path)?.written;
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let kind = name.rsplit('.').next().unwrap_or("");
        if name == PAGE || !COMPRESSED_KINDS.contains(&kind) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (extension, compressed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            if compressed.len() < bytes.len() {
                let sibling = path.with_file_name(format!("{name}.{extension}"));
                std::fs::write(&sibling, compressed).map_err(|e| format!("{}: {e}", sibling.display()))?;
                done.written += 1;
            }
        }
    }
    Ok(done)
}

/// Brotli at its best quality, with a window as large as the format allows.
fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, size_hint: bytes.len(), ..Default::default() };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| format!("gzip: {e}"))?;
    encoder.finish().map_err(|e| format!("gzip: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn siblings_decode_to_the_file_and_the_page_has_none() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let text = "fn search() { /* the same words again and again */ }\n".repeat(200);
        std::fs::write(dir.join("app.js"), &text).unwrap();
        std::fs::write(dir.join("sub/app.wasm"), text.as_bytes()).unwrap();
        std::fs::write(dir.join("index.html"), &text).unwrap();
        std::fs::write(dir.join("tiny.js"), "x").unwrap();
        std::fs::write(dir.join("part.ccz"), &text).unwrap();
        let done = write_siblings(&dir).unwrap();
        assert_eq!(done.written, 4, "app.js and sub/app.wasm, two each");
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(std::fs::File::open(dir.join("app.js.br")).unwrap(), 4096).read_to_end(&mut unbrotli).unwrap();
        assert_eq!(unbrotli, text.as_bytes());
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(dir.join("sub/app.wasm.gz")).unwrap()).read_to_end(&mut ungzip).unwrap();
        assert_eq!(ungzip, text.as_bytes());
        for absent in ["index.html.br", "index.html.gz", "tiny.js.br", "tiny.js.gz", "part.ccz.br"] {
            assert!(!dir.join(absent).exists(), "{absent}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
