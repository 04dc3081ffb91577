//! The framing both of this crate's files share: a 16-byte magic, a
//! little-endian `u32` length, a JSON header of that length, then the
//! file's binary body.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// `magic`, the header as JSON, then room for a body of about `body` bytes.
pub(crate) fn start(magic: &[u8; 16], header: &impl Serialize, body: usize) -> Vec<u8> {
    let header = serde_json::to_vec(header).expect("a header always serialises");
    let mut out = Vec::with_capacity(magic.len() + 4 + header.len() + body);
    out.extend_from_slice(magic);
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    out
}

/// The header and the body of `bytes`, or why they are not a file that
/// starts with `magic`.
pub(crate) fn split<'a, H: DeserializeOwned>(bytes: &'a [u8], magic: &[u8; 16]) -> Result<(H, &'a [u8]), String> {
    let rest = bytes.strip_prefix(magic.as_slice()).ok_or("it does not start with the expected magic")?;
    let (len, rest) = rest.split_at_checked(4).ok_or("it ends in the header")?;
    let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
    let (header, body) = rest.split_at_checked(len).ok_or("it ends in the header")?;
    let header = serde_json::from_slice(header).map_err(|e| format!("its header: {e}"))?;
    Ok((header, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_files() {
        let mut file = start(b"CUECARD-TESTING\x01", &vec![1, 2], 3);
        file.extend_from_slice(b"abc");
        let (header, body): (Vec<u32>, &[u8]) = split(&file, b"CUECARD-TESTING\x01").unwrap();
        assert_eq!((header, body), (vec![1, 2], b"abc".as_slice()));
        assert!(split::<Vec<u32>>(&file, b"CUECARD-OTHERS!\x01").is_err());
        assert!(split::<Vec<u32>>(&file[..20], b"CUECARD-TESTING\x01").is_err());
    }
}
