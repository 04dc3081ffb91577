//! The index pack: the files of one tantivy index in a single blob, so the
//! browser fetches one file and opens it without copying (see `directory`).
//!
//! Layout, all integers little-endian:
//! `MAGIC` (8 bytes), file count (u32), then per file: name length (u32),
//! name (UTF-8), offset (u64, from the start of the data), length (u64);
//! then the data of all files back to back.

use std::collections::HashMap;
use std::path::PathBuf;

use tantivy::directory::OwnedBytes;

use crate::EngineError;

/// Identifies a Cuecard index pack, and its layout version.
pub const MAGIC: &[u8; 8] = b"CCPACK01";

/// Packs `(name, contents)` pairs into one blob.
pub fn pack(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let data_len: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut out = Vec::with_capacity(data_len + 64 * files.len() + 12);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    let mut offset = 0u64;
    for (name, bytes) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        offset += bytes.len() as u64;
    }
    for (_, bytes) in files {
        out.extend_from_slice(bytes);
    }
    out
}

/// Splits a pack into its files, each a zero-copy slice of `blob`.
pub fn unpack(blob: OwnedBytes) -> Result<HashMap<PathBuf, OwnedBytes>, EngineError> {
    let bad = |what: &str| EngineError::BadPack(what.to_string());
    let bytes = blob.as_slice();
    let mut cursor = Cursor { bytes, at: 0 };
    if cursor.take(MAGIC.len()).ok_or_else(|| bad("too short"))? != MAGIC {
        return Err(bad("wrong magic bytes"));
    }
    let count = cursor.u32().ok_or_else(|| bad("truncated header"))? as usize;
    if count > 100_000 {
        return Err(bad("implausible file count"));
    }
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let name_len = cursor.u32().ok_or_else(|| bad("truncated header"))? as usize;
        let name = cursor.take(name_len).ok_or_else(|| bad("truncated file name"))?;
        let name = std::str::from_utf8(name).map_err(|_| bad("file name is not UTF-8"))?;
        let offset = cursor.u64().ok_or_else(|| bad("truncated header"))?;
        let len = cursor.u64().ok_or_else(|| bad("truncated header"))?;
        entries.push((PathBuf::from(name), offset, len));
    }
    let data_start = cursor.at;
    let mut files = HashMap::with_capacity(count);
    for (name, offset, len) in entries {
        let start = usize::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(data_start))
            .ok_or_else(|| bad("offset out of range"))?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_add(start))
            .filter(|end| *end <= bytes.len())
            .ok_or_else(|| bad("file extends past the end of the pack"))?;
        files.insert(name, blob.slice(start..end));
    }
    Ok(files)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_files() {
        let files = vec![
            ("meta.json".to_string(), b"{}".to_vec()),
            ("abc.idx".to_string(), vec![1, 2, 3, 4]),
            ("empty".to_string(), vec![]),
        ];
        let unpacked = unpack(OwnedBytes::new(pack(&files))).unwrap();
        assert_eq!(unpacked.len(), 3);
        for (name, bytes) in &files {
            assert_eq!(unpacked[&PathBuf::from(name)].as_slice(), bytes.as_slice());
        }
    }

    #[test]
    fn rejects_damage_without_panicking() {
        let good = pack(&[("a".to_string(), vec![7; 100])]);
        assert!(unpack(OwnedBytes::new(b"<!doctype html>".to_vec())).is_err());
        for cut in [0, 5, 12, 20, 40] {
            assert!(unpack(OwnedBytes::new(good[..cut].to_vec())).is_err(), "cut at {cut}");
        }
        let mut lying = good.clone();
        lying[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack(OwnedBytes::new(lying)).is_err());
    }
}
