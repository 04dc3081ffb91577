//! Cuecard's HTML, written by comrak formatter hooks on the tree: code
//! blocks with a fixed attribute order, script cards and read-verbatim
//! disclosures (with their labels in the article's language), and explicit
//! anchors re-emitted as bare prefixed ids.

use std::fmt::Write as _;

use comrak::create_formatter;
use comrak::html::format_node_default;
use comrak::nodes::NodeValue;
use cuecard_engine::links::{LinkKind, classify};

use super::{ANCHOR_PREFIX, DISCLOSURE_INFO, SCRIPT_INFO, explicit_anchors};

/// A code block as comrak writes it (`<pre><code class="language-LANG"
/// data-meta="META">`), with its attributes always in that order: comrak
/// keeps them in a `HashMap`, so its order changed from build to build and
/// with it the bytes (and hash) of unchanged article files.
fn write_code_block(context: &mut comrak::html::Context<BlockLabels>, block: &comrak::nodes::NodeCodeBlock, entering: bool) -> Result<comrak::html::ChildRendering, std::fmt::Error> {
    if entering {
        let info = block.info.trim_start();
        let (lang, meta) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
        let meta = meta.trim();
        context.cr()?;
        context.write_str("<pre><code")?;
        if !lang.is_empty() {
            context.write_str(" class=\"language-")?;
            context.escape(lang)?;
            context.write_str("\"")?;
            if !meta.is_empty() {
                context.write_str(" data-meta=\"")?;
                context.escape(meta)?;
                context.write_str("\"")?;
            }
        }
        context.write_str(">")?;
        context.escape(&block.literal)?;
        context.write_str("</code></pre>")?;
        context.lf()?;
    }
    Ok(comrak::html::ChildRendering::HTML)
}

create_formatter!(CuecardHtml<BlockLabels>, {
    // Every link as the app treats it (`cuecard_engine::links`): outside
    // pages open in a new tab, links the app will not follow lose their
    // target.
    NodeValue::Link(ref link) => |context, node, entering| {
        match classify(&link.url) {
            LinkKind::App | LinkKind::Contact => return format_node_default(context, node, entering),
            LinkKind::Outside(url) if entering => {
                context.write_str("<a href=\"")?;
                context.escape_href(&url)?;
                context.write_str("\" target=\"_blank\" rel=\"noopener noreferrer\">")?;
            }
            LinkKind::Neutralised if entering => context.write_str("<a data-neutralised=\"\">")?,
            _ => context.write_str("</a>")?,
        }
    },
    // Script cards and read-verbatim disclosures around comrak's own
    // (escaped) code block.
    NodeValue::CodeBlock(ref block) => |context, node, entering| {
        let mut words = block.info.split_whitespace();
        let kind = words.next().unwrap_or("");
        let labels = context.user;
        if entering && kind == SCRIPT_INFO {
            context.write_str(&format!(
                "<figure class=\"script-card\" data-block=\"script\"><figcaption>{}</figcaption><button type=\"button\" class=\"copy\" data-copy>{}</button>",
                labels.script, labels.copy
            ))?;
        } else if entering && kind == DISCLOSURE_INFO {
            context.write_str("<section class=\"disclosure\" data-block=\"disclosure\" data-disclosure-id=\"")?;
            context.escape(words.next().unwrap_or(""))?;
            context.write_str(&format!("\"><p class=\"disclosure-label\">{}</p>", labels.disclosure))?;
        }
        let rendering = if kind == "math" { format_node_default(context, node, entering)? } else { write_code_block(context, block, entering)? };
        if entering && kind == SCRIPT_INFO {
            context.write_str("</figure>")?;
        } else if entering && kind == DISCLOSURE_INFO {
            context.write_str("</section>")?;
        }
        return Ok(rendering);
    },
    // Explicit anchors become bare ids with the heading prefix; any other
    // raw HTML goes to comrak, whose safe mode drops it.
    NodeValue::HtmlInline(ref html) => |context, node, entering| {
        match explicit_anchors(html) {
            Some(ids) if entering => {
                for id in ids {
                    write_anchor(context, &id)?;
                }
            }
            Some(_) => {}
            None => return format_node_default(context, node, entering),
        }
    },
    NodeValue::HtmlBlock(ref block) => |context, node, entering| {
        match explicit_anchors(&block.literal) {
            Some(ids) if entering => {
                for id in ids {
                    write_anchor(context, &id)?;
                }
            }
            Some(_) => {}
            None => return format_node_default(context, node, entering),
        }
    },
});

fn write_anchor(output: &mut comrak::html::Context<'_, '_, BlockLabels>, id: &str) -> std::fmt::Result {
    output.write_str("<a id=\"")?;
    output.write_str(ANCHOR_PREFIX)?;
    output.escape(id)?;
    output.write_str("\"></a>")
}

pub(super) fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The words on script cards and disclosures, in the article's language
/// (the app shows them around the article's own text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockLabels {
    pub script: &'static str,
    pub copy: &'static str,
    pub disclosure: &'static str,
    /// The link text of a DocFX `[!VIDEO url]`.
    pub video: &'static str,
}

impl Default for BlockLabels {
    fn default() -> Self {
        BlockLabels::ENGLISH
    }
}

impl BlockLabels {
    /// The labels for a locale tag's language; English when there are none.
    pub fn for_locale(tag: &str) -> BlockLabels {
        match cuecard_engine::locale::language_of(tag).as_str() {
            "de" => BlockLabels { script: "Sagen oder einfügen", copy: "Kopieren", disclosure: "Wörtlich vorlesen", video: "Video ansehen" },
            "es" => BlockLabels { script: "Decir o pegar", copy: "Copiar", disclosure: "Leer textualmente", video: "Ver el video" },
            "ja" => BlockLabels { script: "読み上げ・貼り付け用", copy: "コピー", disclosure: "原文どおりに読み上げ", video: "動画を見る" },
            "fr" => BlockLabels { script: "À dire ou coller", copy: "Copier", disclosure: "Lire mot pour mot", video: "Voir la vidéo" },
            "pt" => BlockLabels { script: "Dizer ou colar", copy: "Copiar", disclosure: "Ler na íntegra", video: "Ver o vídeo" },
            _ => BlockLabels::ENGLISH,
        }
    }

    pub const ENGLISH: BlockLabels = BlockLabels { script: "Say or paste", copy: "Copy", disclosure: "Read verbatim", video: "Watch the video" };
}
