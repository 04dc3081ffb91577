//! A Confluence space's HTML export (Space settings > Export space > HTML,
//! a `.zip`), read as hostile input: what it holds for the importer, and
//! every entry refused with why. Nothing here writes a file: the entries'
//! names are only ever looked up, never used as paths on disk.
//!
//! The export's layout: one folder (the space key) holding `index.html`
//! (the space's details and the page tree, nested `<ul>` lists), one HTML
//! file per page (`Title_123456.html` or `123456.html`), `attachments/
//! <page id>/<attachment id or file name>`, and its own `images/` and
//! `styles/`.
//!
//! Limits, for zip bombs and absurd archives: [`MAX_ENTRIES`] entries,
//! [`MAX_ENTRY_BYTES`] per entry and [`MAX_TOTAL_BYTES`] in all, counted
//! as the entries unpack (a zip's own sizes can lie).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// More entries than this and the archive is refused whole.
pub const MAX_ENTRIES: usize = 200_000;
/// An entry that unpacks to more than this is refused.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// An archive whose read entries unpack to more than this is refused whole.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;

/// What the importer takes from the archive.
#[derive(Debug, Default)]
pub struct SpaceExport {
    /// `index.html`, if the export holds one.
    pub index: Option<String>,
    /// Each page's HTML by its file name (`Title_123456.html`).
    pub pages: BTreeMap<String, String>,
    /// Attachment bytes by their path below the export's folder
    /// (`attachments/123456/789.png`).
    pub attachments: BTreeMap<String, Vec<u8>>,
    /// Entries refused, by name, with why.
    pub refused: Vec<(String, String)>,
    /// Entries of the export's own chrome (`images/`, `styles/`), not read.
    pub chrome: usize,
}

/// Why an entry's name is refused, if it is: one that climbs out (`../`),
/// is absolute, or is no plain path.
fn refused_name(name: &str, enclosed: Option<&Path>) -> Option<&'static str> {
    if enclosed.is_none() || name.starts_with('/') || name.contains('\\') || name.split('/').any(|part| part == "..") {
        return Some("its name climbs out of the export (`../`, or an absolute path): not read");
    }
    if name.chars().any(char::is_control) {
        return Some("its name holds control characters: not read");
    }
    None
}

/// Reads the export at `path`.
pub fn read(path: &Path) -> Result<SpaceExport> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).with_context(|| format!("{} is not a zip archive", path.display()))?;
    if archive.len() > MAX_ENTRIES {
        bail!("{} holds {} entries, more than the {MAX_ENTRIES} a space export can have: refused whole (a zip bomb?)", path.display(), archive.len());
    }
    // The export's folder: the one of the shallowest `index.html`, else of
    // the shallowest page.
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let shallowest = |is: &dyn Fn(&str) -> bool| names.iter().filter(|n| refused_name(n, Some(Path::new(n))).is_none() && is(n)).min_by_key(|n| (n.matches('/').count(), n.len())).cloned();
    let Some(anchor) = shallowest(&|n| n == "index.html" || n.ends_with("/index.html")).or_else(|| shallowest(&|n| n.ends_with(".html"))) else {
        bail!("{} holds no HTML pages: is it a space's HTML export (Space settings > Export space > HTML)?", path.display());
    };
    let root = anchor.rsplit_once('/').map(|(folder, _)| format!("{folder}/")).unwrap_or_default();
    let mut export = SpaceExport::default();
    let mut total: u64 = 0;
    for n in 0..archive.len() {
        let mut entry = archive.by_index(n).with_context(|| format!("cannot read entry {n} of {}", path.display()))?;
        let name = entry.name().to_string();
        if entry.is_dir() {
            continue;
        }
        if let Some(why) = refused_name(&name, entry.enclosed_name().as_deref()) {
            export.refused.push((name, why.to_string()));
            continue;
        }
        if entry.is_symlink() {
            export.refused.push((name, "a symbolic link: not read".to_string()));
            continue;
        }
        let Some(inside) = name.strip_prefix(&root) else {
            export.refused.push((name, format!("outside the export's folder `{root}`: not read")));
            continue;
        };
        let is_page = !inside.contains('/') && inside.ends_with(".html");
        let is_attachment = inside.starts_with("attachments/");
        if !is_page && !is_attachment {
            export.chrome += 1;
            continue;
        }
        let mut bytes = Vec::new();
        (&mut entry).take(MAX_ENTRY_BYTES + 1).read_to_end(&mut bytes).with_context(|| format!("cannot unpack {name} from {}", path.display()))?;
        if bytes.len() as u64 > MAX_ENTRY_BYTES {
            export.refused.push((name, format!("unpacks to more than {} MB: not read (a zip bomb?)", MAX_ENTRY_BYTES >> 20)));
            continue;
        }
        total += bytes.len() as u64;
        if total > MAX_TOTAL_BYTES {
            bail!("{} unpacks to more than {} GB: refused whole (a zip bomb?); nothing was written", path.display(), MAX_TOTAL_BYTES >> 30);
        }
        if is_attachment {
            export.attachments.insert(inside.to_string(), bytes);
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(html) if inside == "index.html" => export.index = Some(html),
            Ok(html) => {
                export.pages.insert(inside.to_string(), html);
            }
            Err(_) => export.refused.push((name, "not UTF-8 text: not read".to_string())),
        }
    }
    Ok(export)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_climb_out_are_refused() {
        assert!(refused_name("SPACE/../../etc/passwd", Some(Path::new("x"))).is_some());
        assert!(refused_name("/etc/passwd", Some(Path::new("x"))).is_some());
        assert!(refused_name("SPACE\\..\\x.html", Some(Path::new("x"))).is_some());
        assert!(refused_name("SPACE/a.html", None).is_some());
        assert!(refused_name("SPACE/a\u{1b}.html", Some(Path::new("x"))).is_some());
        assert!(refused_name("SPACE/Refunds_1234.html", Some(Path::new("SPACE/Refunds_1234.html"))).is_none());
    }
}
