//! The app's state in the URL: `?locale=de-DE#/a/billing/refund` (plus
//! `category`/`product`/`tag` filters, `section`, `in` for another locale's
//! version of the article, and `embed_origin` for a host page). Any of it
//! can be bookmarked, shared, or set by a CRM embedding the app.
//!
//! The query is read from `?q=` (a CRM's link, "Copy link") and then taken
//! out of the address at once, never written back: an address travels in
//! `Referer` headers, servers' access logs and the browser's history, and a
//! query can hold what a caller said. Across reloads it is kept in the
//! tab's storage ([`super::kept_query`]); [`UrlState::shareable`] is the
//! link an agent copies on purpose.

use wasm_bindgen::JsValue;

/// What the URL says the agent is looking at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UrlState {
    pub query: String,
    pub locale: Option<String>,
    /// The open article's id.
    pub article: Option<String>,
    /// The anchor of a section of the open article to scroll to.
    pub section: Option<String>,
    /// Selected facet values: (`category` | `product` | `tag`, value).
    pub filters: Vec<(String, String)>,
    /// The locale to read the open article in, when not the agent's (`in`).
    pub article_locale: Option<String>,
    /// The origin of the page embedding the app, whose messages it accepts
    /// and to which it reports (`embed_origin`; see EMBEDDING.md).
    pub embed_origin: Option<String>,
}

/// Route prefix of an open article in the URL fragment.
const ARTICLE_ROUTE: &str = "#/a/";

impl UrlState {
    /// Reads the current page URL.
    pub fn current() -> UrlState {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return UrlState::default();
        };
        let search = location.search().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
        let get = |name: &str| params.as_ref().and_then(|p| p.get(name));
        // `#/a/<id>` or, from a link to a section, `#/a/<id>#<anchor>`.
        let route = hash.strip_prefix(ARTICLE_ROUTE).filter(|r| !r.is_empty());
        let (article, linked_section) = match route.map(|r| r.split_once('#').unwrap_or((r, ""))) {
            Some((id, section)) => (
                // `#/a/<old help-centre article URL>` opens the article it became.
                js_sys::decode_uri_component(id).ok().map(String::from).map(|id| cuecard_engine::links::imported_article_id(&id)),
                Some(section.to_string()).filter(|s| !s.is_empty()),
            ),
            None => (None, None),
        };
        UrlState {
            query: get("q").unwrap_or_default(),
            locale: get("locale").filter(|l| !l.is_empty()),
            section: get("section").filter(|s| !s.is_empty()).or(linked_section),
            article_locale: get("in").filter(|s| !s.is_empty()),
            embed_origin: get("embed_origin").filter(|s| !s.is_empty()),
            filters: ["category", "product", "tag"]
                .into_iter()
                .flat_map(|kind| {
                    let values = params.as_ref().map(|p| p.get_all(kind)).map(|a| a.iter().filter_map(|v| v.as_string()).collect::<Vec<_>>()).unwrap_or_default();
                    values.into_iter().map(move |v| (kind.to_string(), v))
                })
                .collect(),
            article,
        }
    }

    /// The relative URL (`?...#...`) for this state, without the query.
    pub fn to_url(&self) -> String {
        self.url_with(false)
    }

    /// The full link to this state with its query (`?q=`), for an agent
    /// who shares a search on purpose ("Copy link").
    pub fn shareable(&self) -> String {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        format!("{origin}{}", self.url_with(true))
    }

    fn url_with(&self, query: bool) -> String {
        let params = web_sys::UrlSearchParams::new().expect("URLSearchParams exists");
        if query && !self.query.is_empty() {
            // Only what is searched: a pasted page never makes a URL that
            // servers refuse (Node answers 431 past 16 KB of headers).
            params.append("q", cuecard_engine::query::searched_part(&self.query));
        }
        if let Some(locale) = &self.locale {
            params.append("locale", locale);
        }
        for (kind, value) in &self.filters {
            params.append(kind, value);
        }
        if let (Some(section), Some(_)) = (&self.section, &self.article) {
            params.append("section", section);
        }
        if let (Some(locale), Some(_)) = (&self.article_locale, &self.article) {
            params.append("in", locale);
        }
        if let Some(origin) = &self.embed_origin {
            params.append("embed_origin", origin);
        }
        let search = String::from(params.to_string());
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        let mut url = path;
        if !search.is_empty() {
            url.push('?');
            url.push_str(&search);
        }
        if let Some(id) = &self.article {
            url.push_str(ARTICLE_ROUTE);
            // Keep `/` readable; encode everything else that needs it.
            let encoded: Vec<String> = id.split('/').map(|part| String::from(js_sys::encode_uri_component(part))).collect();
            url.push_str(&encoded.join("/"));
        }
        url
    }

    /// Takes `?q=` out of the address bar, leaving the rest as it is.
    pub fn drop_query_from_address() {
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let search = location.search().unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
        if !params.has("q") {
            return;
        }
        params.delete("q");
        let rest = String::from(params.to_string());
        let mut url = location.pathname().unwrap_or_default();
        if !rest.is_empty() {
            url.push('?');
            url.push_str(&rest);
        }
        url.push_str(&location.hash().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }

    /// Writes this state to the address bar. `new_entry` adds a history
    /// entry (opening an article, so Back returns to the results); typing
    /// replaces the current one.
    pub fn apply(&self, new_entry: bool) {
        let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
            return;
        };
        let url = self.to_url();
        let _ = if new_entry {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
}
