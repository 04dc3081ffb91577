//! How bundle parts are stored: zlib-compressed, under the `.ccz`
//! extension, so they are small whatever the host does.
//!
//! Most static hosts and CDNs compress only text types; an index served as
//! `application/octet-stream` went out raw. A part compressed at build time
//! is small on any host, and `.ccz` is mapped to `Content-Encoding` by no
//! server (`.gz` is, by Apache's mod_mime, which would make browsers
//! inflate it before the app sees the bytes). The manifest's hashes cover
//! the stored (compressed) bytes. The app inflates a part with the
//! browser's `DecompressionStream("deflate")`, outside wasm memory; native
//! tools use [`inflate`].

use crate::EngineError;

/// File extension of a compressed part.
pub const COMPRESSED_EXTENSION: &str = "ccz";

/// Largest size a part may inflate to: well above a 36,000-article index.
pub const MAX_INFLATED_BYTES: usize = 1 << 30;

/// True when the part at `path` is stored compressed.
pub fn is_compressed(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| ext == COMPRESSED_EXTENSION)
}

/// The stored form of `bytes`: a zlib stream (RFC 1950, what
/// `DecompressionStream("deflate")` reads). Deterministic: the same bytes
/// always give the same part.
#[cfg(feature = "write")]
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9)
}

/// The bytes of a stored part (`name` is for the error message).
pub fn inflate(stored: &[u8], name: &str) -> Result<Vec<u8>, EngineError> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(stored, MAX_INFLATED_BYTES)
        .map_err(|e| EngineError::BadPack(format!("{name} does not inflate: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_is_deterministic() {
        let text = "refund within 30 days ".repeat(500);
        let stored = compress(text.as_bytes());
        assert!(stored.len() < text.len() / 10);
        assert_eq!(stored, compress(text.as_bytes()));
        assert_eq!(inflate(&stored, "x").unwrap(), text.as_bytes());
    }

    #[test]
    fn refuses_damage_without_panicking() {
        let stored = compress(b"hello hello hello");
        assert!(inflate(&stored[..stored.len() - 3], "x").is_err());
        assert!(inflate(b"<!doctype html>", "x").is_err());
    }

    #[test]
    fn knows_compressed_paths() {
        assert!(is_compressed("en/index.0123456789ab.ccz"));
        assert!(!is_compressed("manifest.json"));
        assert!(!is_compressed("media/ccz"));
    }
}
