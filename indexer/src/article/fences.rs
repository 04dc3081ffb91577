//! Fenced code blocks found line by line, before comrak parses: the
//! passes that read raw text (includes, `:::` directives) skip code with it.

/// Tracks fenced code blocks (```` ``` ```` or `~~~`, three or more)
/// line by line, for the passes that read the text before comrak does
/// (includes, `:::` directives): nothing inside code is a directive.
#[derive(Debug, Default)]
pub struct CodeFences {
    open: Option<(char, usize)>,
}

impl CodeFences {
    /// Takes the next line: true when it opens or closes a block.
    pub fn is_fence(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let Some(c) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else { return false };
        let run = trimmed.chars().take_while(|x| *x == c).count();
        if run < 3 {
            return false;
        }
        match self.open {
            None => self.open = Some((c, run)),
            Some((open, len)) if open == c && run >= len && trimmed[run..].trim().is_empty() => self.open = None,
            Some(_) => return false,
        }
        true
    }

    /// Whether the lines taken so far leave a code block open.
    pub fn in_code(&self) -> bool {
        self.open.is_some()
    }
}
