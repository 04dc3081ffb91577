//! Where old article ids went: one locale's map from the ids its articles
//! used to have (front matter `redirect_from`) to the ids they have now.
//! The indexer builds it, leaving out what `check` reports as wrong (an old
//! id that is a live article, or that two articles claim); the app follows
//! it for an id the locale does not have, so old links, bookmarks, pins,
//! recent lists and host messages keep opening the article.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Old id -> the id of the article that has it now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Redirects(BTreeMap<String, String>);

impl Redirects {
    /// The id article `old` has now, if it moved.
    pub fn target(&self, old: &str) -> Option<&str> {
        self.0.get(old).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl FromIterator<(String, String)> for Redirects {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Redirects(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_ids_lead_to_new_ones_and_round_trip_as_a_plain_object() {
        let redirects: Redirects = [("billing/old".to_string(), "billing/new".to_string())].into_iter().collect();
        assert_eq!(redirects.target("billing/old"), Some("billing/new"));
        assert_eq!(redirects.target("billing/new"), None);
        let json = serde_json::to_string(&redirects).unwrap();
        assert_eq!(json, r#"{"billing/old":"billing/new"}"#);
        assert_eq!(serde_json::from_str::<Redirects>(&json).unwrap(), redirects);
    }
}
