//! Audiences a kb never declared: one finding per value an article names
//! (with how many articles name it, a "did you mean" for a near miss, and
//! both fixes: declare it, or stop reading `audience` in this tree), and
//! one for a `--audience` nobody declared. A typo never decides who reads
//! what.

use crate::findings::diagnostics::Diagnostic;
use crate::kb::KbLayout;

/// Where an audience nobody declared is named, and how often.
pub struct UndeclaredAudience {
    /// The first article that names it, and the line.
    pub first: (std::path::PathBuf, usize),
    pub articles: usize,
}

/// The one finding for an audience value nobody declared: how many
/// articles name it, the declared one it is near, and both fixes.
pub fn unknown_audience(layout: &KbLayout, named: &str, found: &UndeclaredAudience) -> Diagnostic {
    let (path, line) = &found.first;
    let declared: Vec<&str> = layout.audiences.iter().map(|a| a.id.as_str()).collect();
    let near = closest(named, &declared).map(|d| format!("did you mean `{d}`? ")).unwrap_or_default();
    let others = match found.articles {
        1 => "this article names it".to_string(),
        n => format!("{n} articles name it, this is the first"),
    };
    let config = config_name(layout);
    Diagnostic::error(path, *line, format!("the audience `{named}` is not declared in {config} ({others})"))
        .with_code("unknown-audience")
        .with_help(format!(
            "{near}declare it in {config}: `audiences: [{{ id: {named}, name: ... }}]`; or, if `audience` means something else in this tree (a reader role), tell Cuecard not to read it: `front_matter: {{ audience: none }}`"
        ))
}

/// The finding for `build --audience` naming an audience nobody declared.
pub fn unknown_build_audience(layout: &KbLayout, wanted: &str) -> Diagnostic {
    let declared: Vec<&str> = layout.audiences.iter().map(|a| a.id.as_str()).collect();
    let config = config_name(layout);
    let path = layout.config_path.clone().unwrap_or_else(|| layout.root.join("cuecard.yaml"));
    let near = closest(wanted, &declared).map(|d| format!("did you mean `{d}`? ")).unwrap_or_default();
    let choice = match declared.is_empty() {
        true => format!("{config} declares no audiences"),
        false => format!("{config} declares: {}", declared.join(", ")),
    };
    Diagnostic::error(path, 0, format!("`--audience {wanted}` is not an audience of this kb ({choice})"))
        .with_code("unknown-audience")
        .with_help(format!("{near}build for a declared audience, or declare `{wanted}` under `audiences:`"))
}

fn config_name(layout: &KbLayout) -> String {
    layout.config_path.as_deref().and_then(|p| p.file_name()).map_or("cuecard.yaml".into(), |n| n.to_string_lossy().into_owned())
}

/// The option nearest `wanted` by edit distance, ignoring case, if it is near.
fn closest<'a>(wanted: &str, options: &[&'a str]) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    options
        .iter()
        .map(|o| (strsim::levenshtein(&wanted, &o.to_lowercase()), *o))
        .filter(|(distance, o)| *distance <= 2.max(o.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, o)| o)
}
