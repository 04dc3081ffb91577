//! `front_matter:` in `cuecard.yaml`: which front-matter key of the tree
//! holds each of Cuecard's fields. A tree that uses a Cuecard field's name
//! for something else (`audience: ITPro` as the reader's role) says so once
//! (`front_matter: { audience: none }`), and a tree that keeps a field under
//! its own key says where (`{ tags: keywords, owner: ms.author }`).

use std::collections::BTreeMap;

/// Cuecard's front-matter fields that a kb may map or turn off. `summary`
/// covers `description`, and `draft` covers `published`.
pub const MAPPABLE_FIELDS: [&str; 19] = [
    "id", "title", "summary", "category", "tags", "products", "audience", "draft", "owner", "reviewed", "review_every", "expires",
    "aka", "disclosures", "redirect_from", "source_id", "source_revision", "change_note", "changed",
];

/// Keys Cuecard reads as another name of a field.
const ALIASES: [(&str, &str); 2] = [("description", "summary"), ("published", "draft")];

/// The value that turns a field off.
pub const NOT_READ: &str = "none";

/// The kb's map of Cuecard's fields to the tree's keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    /// Cuecard field -> the key that holds it (`None`: not read at all).
    fields: BTreeMap<String, Option<String>>,
}

/// What one front-matter key of an article is to Cuecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole<'a> {
    /// Cuecard's field of this name (its own name, or the one it is mapped to).
    Field(&'a str),
    /// A Cuecard field name the kb turned off or moved: not read.
    NotRead,
    /// Any other key: kept as written, never read.
    Other,
}

impl FieldMap {
    /// Every field under its own name.
    pub const NONE: FieldMap = FieldMap { fields: BTreeMap::new() };

    /// The map from `cuecard.yaml`'s `front_matter:` section, or why it
    /// cannot be used (each problem with the field it is about).
    pub fn parse(section: &BTreeMap<String, String>) -> Result<FieldMap, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut fields = BTreeMap::new();
        for (field, key) in section {
            let key = key.trim();
            if !MAPPABLE_FIELDS.contains(&field.as_str()) {
                problems.push((field.clone(), format!("`{field}` is not a field Cuecard reads; the fields are: {}", MAPPABLE_FIELDS.join(", "))));
            } else if key.is_empty() {
                problems.push((field.clone(), format!("`{field}` needs the key that holds it, or `{NOT_READ}`")));
            } else if key == NOT_READ {
                fields.insert(field.clone(), None);
            } else {
                fields.insert(field.clone(), Some(key.to_string()));
            }
        }
        if problems.is_empty() { Ok(FieldMap { fields }) } else { Err(problems) }
    }

    /// What `key` of an article's front matter is, under this map.
    pub fn role_of<'a>(&'a self, key: &'a str) -> KeyRole<'a> {
        if let Some((field, _)) = self.fields.iter().find(|(_, source)| source.as_deref() == Some(key)) {
            return KeyRole::Field(field);
        }
        let field = ALIASES.iter().find(|(alias, _)| *alias == key).map_or(key, |(_, field)| field);
        if !MAPPABLE_FIELDS.contains(&field) {
            return KeyRole::Other;
        }
        match self.fields.contains_key(field) {
            true => KeyRole::NotRead,
            false => KeyRole::Field(key),
        }
    }

    /// Whether the kb reads `field` from a key of its own choosing (so a
    /// plain-text value can stand for what Cuecard writes as a mapping).
    pub fn is_moved(&self, field: &str) -> bool {
        self.fields.get(field).is_some_and(Option::is_some)
    }

    /// Whether the map says nothing.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> FieldMap {
        FieldMap::parse(&pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()).unwrap()
    }

    #[test]
    fn fields_are_read_under_their_names_unless_the_kb_says_otherwise() {
        let none = FieldMap::default();
        assert_eq!(none.role_of("audience"), KeyRole::Field("audience"));
        assert_eq!(none.role_of("description"), KeyRole::Field("description"));
        assert_eq!(none.role_of("ms.author"), KeyRole::Other);
        let docs = map(&[("audience", "none"), ("tags", "keywords"), ("owner", "ms.author"), ("summary", "none")]);
        assert_eq!(docs.role_of("audience"), KeyRole::NotRead);
        assert_eq!(docs.role_of("keywords"), KeyRole::Field("tags"));
        assert_eq!(docs.role_of("tags"), KeyRole::NotRead, "the tree's own `tags` is not Cuecard's any more");
        assert_eq!(docs.role_of("ms.author"), KeyRole::Field("owner"));
        assert_eq!(docs.role_of("description"), KeyRole::NotRead, "an alias goes with its field");
        assert!(docs.is_moved("owner") && !docs.is_moved("audience"));
    }

    #[test]
    fn unknown_fields_and_empty_keys_are_problems() {
        let section: BTreeMap<String, String> = [("audiense".into(), "none".into()), ("tags".into(), " ".into())].into();
        let problems = FieldMap::parse(&section).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].1.contains("not a field Cuecard reads"), "{problems:?}");
    }
}
