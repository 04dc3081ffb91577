//! Locale tags (`en`, `de-DE`, `zh-Hans`, `pt-BR`) and the language they imply.

/// True when `name` looks like a BCP 47 locale tag of the kinds a kb uses:
/// a 2-3 letter language, then optionally a 4-letter script and/or a 2-letter
/// or 3-digit region (`en`, `de-DE`, `zh-Hans`, `zh-Hans-CN`, `es-419`).
/// Underscores are accepted as separators (`pt_BR`, as the tldr pages use).
pub fn is_locale_tag(name: &str) -> bool {
    let mut parts = name.split(['-', '_']);
    let Some(language) = parts.next() else {
        return false;
    };
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let mut seen_script = false;
    let mut seen_region = false;
    for part in parts {
        let is_script = part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic());
        let is_region = (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
            || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()));
        if is_script && !seen_script && !seen_region {
            seen_script = true;
        } else if is_region && !seen_region {
            seen_region = true;
        } else {
            return false;
        }
    }
    true
}

/// Normalises a tag to BCP 47 casing with `-` separators (`pt_br` -> `pt-BR`).
pub fn normalize_tag(name: &str) -> String {
    name.split(['-', '_'])
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 4) => {
                let mut s = part[..1].to_ascii_uppercase();
                s.push_str(&part[1..].to_ascii_lowercase());
                s
            }
            _ => part.to_ascii_uppercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The primary language subtag, lower-cased (`de-DE` -> `de`).
pub fn language_of(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_locale_tags() {
        for tag in ["en", "de-DE", "pt-BR", "pt_BR", "zh-Hans", "zh-Hans-CN", "es-419", "fil"] {
            assert!(is_locale_tag(tag), "{tag}");
        }
    }

    #[test]
    fn rejects_ordinary_folder_names() {
        for name in ["Billing", "Devices", "common", "linux", "docs", "e", "en-", "de-DEU", "ab-cd-ef"] {
            assert!(!is_locale_tag(name), "{name}");
        }
    }

    #[test]
    fn normalizes_casing_and_separators() {
        assert_eq!(normalize_tag("pt_br"), "pt-BR");
        assert_eq!(normalize_tag("ZH-hans-cn"), "zh-Hans-CN");
        assert_eq!(language_of("de-DE"), "de");
    }
}
