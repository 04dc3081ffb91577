//! What a result row shows of each article of a first-tier segment, its id
//! and title, kept beside the index as one compact text file per segment
//! (`<segment>.rows`, in the tier's pack) instead of tantivy's document
//! store: a line per document, in document order, id and title split by
//! U+001F. At 36,000 articles the store's framing (lengths, field numbers,
//! block index) cost 200 KB of the 560 KB the first tier's stored fields
//! took on the wire; the same ids and titles as lines take 360 KB.

use tantivy::DocId;

use crate::EngineError;

/// The extension of a segment's rows file (`<segment uuid>.rows`).
pub const ROWS_EXTENSION: &str = "rows";

/// Between an id and its title.
const SEPARATOR: char = '\u{1f}';

/// The rows file's name for the segment `uuid` (32 hex digits).
pub fn rows_file(uuid: &str) -> String {
    format!("{uuid}.{ROWS_EXTENSION}")
}

/// The rows file of a segment whose documents, in order, are `rows`
/// (id, title). A line break or separator inside a title (which shows on
/// one line anyway) becomes a space.
pub fn encode<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let clean = |text: &str| text.replace(['\n', '\r', SEPARATOR], " ");
    let mut out = String::new();
    for (id, title) in rows {
        out.push_str(&clean(id));
        out.push(SEPARATOR);
        out.push_str(&clean(title));
        out.push('\n');
    }
    out.into_bytes()
}

/// A segment's rows, read.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    text: String,
    /// Per document: where its id starts, where its title starts (after
    /// the separator) and where the title ends.
    spans: Vec<(u32, u32, u32)>,
}

impl Rows {
    /// Reads a rows file (`name` for messages).
    pub fn parse(bytes: Vec<u8>, name: &str) -> Result<Rows, EngineError> {
        let bad = |why: &str| EngineError::BadPack(format!("{name}: {why}"));
        let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
        let mut spans = Vec::new();
        let mut start = 0usize;
        for line in text.split_terminator('\n') {
            let split = line.find(SEPARATOR).ok_or_else(|| bad("a row without a title"))?;
            let end = start + line.len();
            spans.push((start as u32, (start + split + SEPARATOR.len_utf8()) as u32, end as u32));
            start = end + 1;
        }
        Ok(Rows { text, spans })
    }

    /// How many documents the segment has.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True for a segment without documents.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The id and title of document `doc`.
    pub fn get(&self, doc: DocId) -> Option<(&str, &str)> {
        let (id, title, end) = *self.spans.get(doc as usize)?;
        let id_end = title as usize - SEPARATOR.len_utf8();
        Some((&self.text[id as usize..id_end], &self.text[title as usize..end as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_in_order_whatever_the_titles_hold() {
        let bytes = encode([("billing/refund", "Refunds: within 30 days"), ("a", ""), ("x/ü", "Two\nlines\u{1f}here")]);
        let rows = Rows::parse(bytes, "test.rows").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.get(0), Some(("billing/refund", "Refunds: within 30 days")));
        assert_eq!(rows.get(1), Some(("a", "")));
        assert_eq!(rows.get(2), Some(("x/ü", "Two lines here")));
        assert_eq!(rows.get(3), None);
        assert!(Rows::parse(Vec::new(), "empty.rows").unwrap().is_empty());
    }

    #[test]
    fn a_damaged_rows_file_is_refused_by_name() {
        let error = Rows::parse(b"no separator\n".to_vec(), "s.rows").unwrap_err().to_string();
        assert!(error.contains("s.rows"), "{error}");
        assert!(Rows::parse(vec![0xff, 0xfe], "s.rows").is_err());
    }
}
