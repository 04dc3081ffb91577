//! What a result row shows of each article of a small tier's segment (its
//! id, title and, in the head, summary), kept beside the index as one
//! compact text file per segment (`<segment>.rows`, in the tier's pack)
//! instead of tantivy's document store: a line per document, in document
//! order, the fields split by U+001F. At 36,000 articles the store's
//! framing (lengths, field numbers, block index) cost 200 KB of the 560 KB
//! the first tier's stored ids and titles took on the wire (as lines: 360
//! KB), and 350 KB of the head's 1.31 MB.

use tantivy::DocId;

use crate::EngineError;

/// The extension of a segment's rows file (`<segment uuid>.rows`).
pub const ROWS_EXTENSION: &str = "rows";

/// Between the fields of a row.
const SEPARATOR: char = '\u{1f}';

/// The rows file's name for the segment `uuid` (32 hex digits).
pub fn rows_file(uuid: &str) -> String {
    format!("{uuid}.{ROWS_EXTENSION}")
}

/// What a row shows of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Empty in the first tier.
    pub summary: &'a str,
}

/// The rows file of a segment whose documents, in order, are `rows`. A
/// line break or separator inside a field (which shows on one line
/// anyway) becomes a space.
pub fn encode<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> Vec<u8> {
    let clean = |text: &str| text.replace(['\n', '\r', SEPARATOR], " ");
    let mut out = String::new();
    for row in rows {
        for (n, field) in [row.id, row.title, row.summary].into_iter().enumerate() {
            if n > 0 {
                out.push(SEPARATOR);
            }
            out.push_str(&clean(field));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// A segment's rows, read.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    text: String,
    /// Per document: where its line starts, its two separators and where
    /// it ends.
    spans: Vec<[u32; 4]>,
}

impl Rows {
    /// Reads a rows file (`name` for messages).
    pub fn parse(bytes: Vec<u8>, name: &str) -> Result<Rows, EngineError> {
        let bad = |why: &str| EngineError::BadPack(format!("{name}: {why}"));
        let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
        let mut spans = Vec::new();
        let mut start = 0usize;
        for line in text.split_terminator('\n') {
            let mut separators = line.match_indices(SEPARATOR).map(|(at, _)| (start + at) as u32);
            let (Some(first), Some(second), None) = (separators.next(), separators.next(), separators.next()) else {
                return Err(bad("a row without its three fields"));
            };
            let end = start + line.len();
            spans.push([start as u32, first, second, end as u32]);
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

    /// The row of document `doc`.
    pub fn get(&self, doc: DocId) -> Option<Row<'_>> {
        let [start, first, second, end] = self.spans.get(doc as usize)?.map(|at| at as usize);
        let after = SEPARATOR.len_utf8();
        Some(Row { id: &self.text[start..first], title: &self.text[first + after..second], summary: &self.text[second + after..end] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_in_order_whatever_the_fields_hold() {
        let row = |id, title, summary| Row { id, title, summary };
        let bytes = encode([row("billing/refund", "Refunds: within 30 days", "Paid back to the card."), row("a", "", ""), row("x/ü", "Two\nlines\u{1f}here", "\r")]);
        let rows = Rows::parse(bytes, "test.rows").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.get(0), Some(row("billing/refund", "Refunds: within 30 days", "Paid back to the card.")));
        assert_eq!(rows.get(1), Some(row("a", "", "")));
        assert_eq!(rows.get(2), Some(row("x/ü", "Two lines here", " ")));
        assert_eq!(rows.get(3), None);
        assert!(Rows::parse(Vec::new(), "empty.rows").unwrap().is_empty());
    }

    #[test]
    fn a_damaged_rows_file_is_refused_by_name() {
        let error = Rows::parse(b"id\x1ftitle only\n".to_vec(), "s.rows").unwrap_err().to_string();
        assert!(error.contains("s.rows"), "{error}");
        assert!(Rows::parse(vec![0xff, 0xfe], "s.rows").is_err());
    }
}
