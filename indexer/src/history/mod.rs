//! What changed, and when: each article's dated content changes, read from
//! the kb's git history in one pass (`git log --raw` for every commit, then
//! `git cat-file --batch` for every version once), never one git call per
//! file. A change is a commit that changed the article's text: whitespace
//! and front matter alone are not changes (a review date is not news to an
//! agent). Merge commits are skipped. A change's note is the `change_note`
//! the version carries when it is new there (a later commit that only
//! writes the note names the change before it), else, when the kb opts in,
//! the commit subject. A kb without history (a tarball) or with a cut one
//! (a shallow clone) falls back to front matter: `changed` and
//! `change_note`. Git runs only on the repository around the kb, with
//! nothing a config names ([`git`]); a version over the article size limit
//! is skipped after `git cat-file --batch-check` says its size, unread.

pub mod git;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;

use cuecard_engine::changes::{CHANGES_PER_ARTICLE, Change};
use jiff::civil::Date;

use crate::article::Article;
use crate::article::revision::{ContentKey, content_key};
use crate::kb::field_map::FieldMap;
use crate::kb::front_matter;
use crate::kb::sandbox::MAX_ARTICLE_BYTES;
use git::{GitError, Repo};

/// Where the change dates of a build come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistorySource {
    /// The kb's git history, this many commits that touched it.
    Git { commits: usize },
    /// A shallow clone: its history is cut, so dates come from front matter.
    Shallow,
    /// Not a git checkout (or git is not installed): front matter.
    NotGit,
    /// git is there but could not be read: front matter.
    Unreadable(String),
}

/// One file version's key and `change_note`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    key: ContentKey,
    note: Option<String>,
    /// For a version exactly as `cuecard import` wrote it: the source's
    /// date of its last change (its `changed`), which dates the change
    /// rather than the commit that added it (or every imported article
    /// would be "updated today").
    imported_on: Option<String>,
}

impl Version {
    /// The version of an article's text, its fields read under `fields`
    /// as the article's own are.
    fn of(source: &str, fields: &FieldMap) -> Version {
        let source = front_matter::normalize_line_ends(source);
        let split = front_matter::split(&source);
        let front = split.yaml.and_then(|yaml| front_matter::parse(yaml, 2, fields).ok()).unwrap_or_default();
        // A note the contract would refuse (several lines, too long) is no note.
        let note = front
            .extra
            .get("change_note")
            .and_then(|v| v.as_str())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty() && n.lines().count() == 1 && n.chars().count() <= crate::article::contract::MAX_CHANGE_NOTE_CHARS);
        let imported_on = crate::article::imported_origin::is_as_imported(&source)
            .then(|| front.extra.get("changed").and_then(|v| v.as_str()).and_then(|d| d.trim().parse::<jiff::civil::Date>().ok()).map(|d| d.to_string()))
            .flatten();
        Version { key: content_key(front.title.as_deref(), split.body), note, imported_on }
    }
}

/// One article file's history: its changes, oldest first, and the version
/// the last commit left.
#[derive(Debug, Clone, Default, PartialEq)]
struct FileHistory {
    changes: Vec<Change>,
    committed: Option<Version>,
}

/// The kb's change history, by file path relative to the kb root.
#[derive(Debug, Clone)]
pub struct History {
    pub source: HistorySource,
    files: HashMap<String, FileHistory>,
    /// How long reading it took.
    pub took: std::time::Duration,
    /// Versions in the history over the article size limit, not read.
    pub oversized: usize,
    /// Folders that hold a repository's files but were not used (see
    /// [`git::Located::warning`]).
    pub refused: Option<String>,
}

impl History {
    /// Reads the history of the kb at `root`, its versions' fields read
    /// under `fields`. Never fails: without a usable history,
    /// [`History::changes_of`] reads front matter.
    pub fn read(root: &Path, commit_subjects: bool, fields: &FieldMap) -> History {
        let started = std::time::Instant::now();
        let located = git::locate(root);
        let refused = located.warning();
        let mut oversized = 0;
        let (source, files) = match located.repo {
            None => (HistorySource::NotGit, HashMap::new()),
            Some(repo) => match repo.run(&["rev-parse", "--is-shallow-repository"]) {
                // No git: a tarball. Anything else (a repository git refuses
                // to read, such as one owned by another user in a CI
                // container) is said as it is.
                Err(GitError::NotInstalled) => (HistorySource::NotGit, HashMap::new()),
                Err(why) => (HistorySource::Unreadable(why.to_string()), HashMap::new()),
                Ok(shallow) if shallow.trim() == "true" => (HistorySource::Shallow, HashMap::new()),
                Ok(_) => match read_git(&repo, fields) {
                    Ok(read) => {
                        oversized = read.oversized;
                        (HistorySource::Git { commits: read.commits }, replay(&read.log, &read.versions, commit_subjects))
                    }
                    Err(why) => (HistorySource::Unreadable(why.to_string()), HashMap::new()),
                },
            },
        };
        History { source, files, took: started.elapsed(), oversized, refused }
    }

    /// What the person running the build should know: where the dates
    /// come from, and what to do when it is not git.
    pub fn announcement(&self) -> String {
        const FALLBACK: &str = "change dates come from front matter (`changed`, `change_note`)";
        let mut lines: Vec<String> = self.refused.iter().cloned().collect();
        if self.oversized > 0 {
            let versions = match self.oversized {
                1 => "1 file version in the git history is".to_string(),
                n => format!("{n} file versions in the git history are"),
            };
            lines.push(format!(
                "note: {versions} over the article size limit of {} MB, so not read (the changes they made are not dated)",
                MAX_ARTICLE_BYTES >> 20
            ));
        }
        lines.push(self.source_announcement(FALLBACK));
        lines.join("\n")
    }

    fn source_announcement(&self, fallback: &str) -> String {
        match &self.source {
            HistorySource::Git { commits: 0 } => format!("note: no commit of the git repository touches the kb yet: {fallback}"),
            HistorySource::Git { commits } => {
                format!("note: change dates from {commits} commits of git history, read in {:.1}s", self.took.as_secs_f64())
            }
            HistorySource::Shallow => format!(
                "warning: the kb is a shallow git clone, so its history is cut: {fallback}. \
                 Fetch the whole history for \"what changed\" (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)"
            ),
            HistorySource::NotGit => format!("note: the kb is not a git checkout: {fallback}"),
            HistorySource::Unreadable(why) => format!("warning: the kb's git history could not be read ({why}): {fallback}"),
        }
    }

    /// The changes of `article` (at `path_in_kb`), newest first, at most
    /// [`CHANGES_PER_ARTICLE`]. Text not yet committed is a change dated
    /// `today`. A file git does not know dates its change from front matter.
    pub fn changes_of(&self, path_in_kb: &str, article: &Article, today: Date) -> Vec<Change> {
        let meta = &article.meta;
        let Some(file) = self.files.get(path_in_kb) else {
            return meta.changed.map(|date| Change { date: date.to_string(), note: meta.change_note.clone() }).into_iter().collect();
        };
        let mut changes = file.changes.clone();
        let committed_note = file.committed.as_ref().and_then(|v| v.note.as_ref());
        let new_note = meta.change_note.clone().filter(|note| Some(note) != committed_note);
        if file.committed.as_ref().map(|v| v.key) != Some(article.content_key) {
            changes.push(Change { date: today.to_string(), note: new_note });
        } else if let (Some(note), Some(last)) = (new_note, changes.last_mut()) {
            last.note = Some(note);
        }
        changes.reverse();
        changes.truncate(CHANGES_PER_ARTICLE);
        changes
    }
}

/// One commit's change to one file, as `git log --raw` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileChange {
    /// `YYYY-MM-DD` in the committer's time zone.
    date: String,
    subject: String,
    /// `A`dded, `M`odified, `D`eleted, `R`enamed, `C`opied, `T`ype changed.
    status: char,
    old_blob: Option<String>,
    new_blob: Option<String>,
    /// The file before a rename or copy.
    old_path: Option<String>,
    path: String,
}

/// What the kb's git history holds: commits, file changes oldest first,
/// and every version of its Markdown files small enough to read.
struct GitRead {
    commits: usize,
    log: Vec<FileChange>,
    versions: HashMap<String, Version>,
    /// Versions over the article size limit, not read.
    oversized: usize,
}

/// The log of every non-merge commit under the kb, oldest first, and every
/// version of its Markdown files (fields read under `fields`).
fn read_git(repo: &Repo, fields: &FieldMap) -> Result<GitRead, GitError> {
    let text = repo.run(&[
        "log",
        "--no-merges",
        "--relative",
        "--raw",
        "-M",
        "--no-abbrev",
        "--no-ext-diff",
        "--no-textconv",
        "--no-show-signature",
        "-z",
        &format!("--format={LOG_FORMAT}"),
        "--",
        ".",
    ])?;
    let (commits, mut log) = parse_log(&text);
    log.retain(|c| crate::kb::names::is_markdown(Path::new(&c.path)));
    log.reverse();
    let blobs: Vec<String> = log
        .iter()
        .flat_map(|c| [c.old_blob.clone(), c.new_blob.clone()])
        .flatten()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let blobs: Vec<&str> = blobs.iter().map(String::as_str).collect();
    let sizes = cat_file(repo, "--batch-check", &blobs, |_, _| None::<()>)?;
    let (small, oversized): (Vec<&str>, Vec<&str>) = blobs.iter().partition(|b| sizes.get(**b).is_some_and(|(_, size)| *size <= MAX_ARTICLE_BYTES as usize));
    let versions = cat_file(repo, "--batch", &small, |kind, content| (kind == "blob").then(|| Version::of(&String::from_utf8_lossy(content), fields)))?
        .into_iter()
        .filter_map(|(oid, (version, _))| Some((oid, version?)))
        .collect();
    Ok(GitRead { commits, log, versions, oversized: oversized.len() })
}

/// Each commit of the log as `commit`, its date and its subject, every
/// field ended by NUL like the paths of `--raw -z`: a subject may hold any
/// other character, so no other separator is safe.
const LOG_FORMAT: &str = "%x00commit%x00%cI%x00%s%x00";

/// Parses `git log --raw -z --format=LOG_FORMAT`: the number of commits,
/// and their file changes, newest commit first. Every token is read in
/// its place (a subject or path is never taken for a record), so nothing
/// a commit says can forge a change or a date.
fn parse_log(text: &str) -> (usize, Vec<FileChange>) {
    let mut commits = 0;
    let mut changes = Vec::new();
    let mut tokens = text.split('\0').map(|t| t.trim_start_matches('\n'));
    let (mut date, mut subject) = (None::<String>, String::new());
    while let Some(token) = tokens.next() {
        if token == "commit" {
            let (Some(when), Some(said)) = (tokens.next(), tokens.next()) else { break };
            commits += 1;
            date = when.get(..10).filter(|d| d.parse::<Date>().is_ok()).map(str::to_string);
            subject = said.trim().to_string();
            continue;
        }
        let Some(fields) = token.strip_prefix(':') else { continue };
        let fields: Vec<&str> = fields.split(' ').collect();
        let [old_mode, new_mode, old, new, status] = fields[..] else { continue };
        let is_hex = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_hexdigit());
        let Some(status) = status.chars().next().filter(|c| "AMDRCT".contains(*c)) else { continue };
        let old_path = matches!(status, 'R' | 'C').then(|| tokens.next().unwrap_or_default().to_string());
        let Some(path) = tokens.next() else { break };
        if ![old_mode, new_mode, old, new].into_iter().all(is_hex) {
            continue;
        }
        let Some(date) = date.clone() else { continue };
        let blob = |b: &str| (b.bytes().any(|c| c != b'0')).then(|| b.to_string());
        changes.push(FileChange { date, subject: subject.clone(), status, old_blob: blob(old), new_blob: blob(new), old_path, path: path.to_string() });
    }
    (commits, changes)
}

/// Asks one `git cat-file` (`--batch-check` for sizes, `--batch` for
/// contents too) about every blob of `blobs`: oid -> what `read` made of
/// the object's type and content (`--batch` only), and its size.
fn cat_file<T>(repo: &Repo, mode: &str, blobs: &[&str], read: impl Fn(&str, &[u8]) -> Option<T>) -> Result<HashMap<String, (Option<T>, usize)>, GitError> {
    let mut child = repo.command().args(["cat-file", mode]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
    let mut stdin = child.stdin.take().ok_or(GitError::Pipe("no stdin"))?;
    let request: String = blobs.iter().map(|b| format!("{b}\n")).collect();
    // Written from a thread: git answers while it reads, and a full pipe
    // either way would stall both.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or(GitError::Pipe("no stdout"))?);
    let mut answers = HashMap::with_capacity(blobs.len());
    let mut header = String::new();
    let mut content = Vec::new();
    for _ in blobs {
        header.clear();
        reader.read_line(&mut header)?;
        let mut fields = header.split_whitespace();
        let (Some(oid), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let size: usize = size.parse().map_err(|_| GitError::Unexpected(header.trim().to_string()))?;
        let made = if mode == "--batch" {
            content.resize(size + 1, 0);
            reader.read_exact(&mut content)?;
            read(kind, &content[..size])
        } else {
            None
        };
        answers.insert(oid.to_string(), (made, size));
    }
    writer.join().map_err(|_| GitError::Pipe("the writer panicked"))??;
    child.wait()?;
    Ok(answers)
}

/// Replays the log (oldest first) into each file's changes.
fn replay(log: &[FileChange], versions: &HashMap<String, Version>, commit_subjects: bool) -> HashMap<String, FileHistory> {
    let mut files: HashMap<String, FileHistory> = HashMap::new();
    let version = |blob: &Option<String>| blob.as_ref().and_then(|b| versions.get(b));
    for change in log {
        let mut history = match (change.status, &change.old_path) {
            ('R', Some(old)) => files.remove(old).unwrap_or_default(),
            ('C', Some(old)) => files.get(old).cloned().unwrap_or_default(),
            _ => files.remove(&change.path).unwrap_or_default(),
        };
        if change.status == 'D' {
            continue;
        }
        let (old, new) = (version(&change.old_blob), version(&change.new_blob));
        let Some(new) = new else { continue };
        let note_is_new = new.note.is_some() && old.and_then(|o| o.note.as_ref()) != new.note.as_ref();
        if old.map(|o| o.key) != Some(new.key) {
            let note = match note_is_new {
                true => new.note.clone(),
                false => commit_subjects.then(|| change.subject.clone()).filter(|s| !s.is_empty()),
            };
            history.changes.push(Change { date: new.imported_on.clone().unwrap_or_else(|| change.date.clone()), note });
        } else if note_is_new && let Some(last) = history.changes.last_mut() {
            last.note = new.note.clone();
        }
        history.committed = Some(new.clone());
        files.insert(change.path.clone(), history);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> Version {
        Version::of(text, &FieldMap::NONE)
    }

    #[test]
    fn whitespace_and_front_matter_are_not_content() {
        let a = version("---\nreviewed: 2026-01-01\n---\n# Refunds\n\nWithin 14 days.\n");
        let b = version("---\nreviewed: 2026-06-01\nowner: {name: A, team: B}\n---\n# Refunds\n\n  Within   14\ndays.\n\n");
        let c = version("---\nreviewed: 2026-06-01\n---\n# Refunds\n\nWithin 30 days.\n");
        let retitled = version("---\ntitle: Money back\n---\n# Refunds\n\nWithin 14 days.\n");
        assert_eq!(version("---\nchange_note: |\n  two\n  lines\n---\n# A\n").note, None, "as the contract refuses it");
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert_ne!(a.key, retitled.key);
    }

    #[test]
    fn parses_raw_log_records_with_renames_and_odd_paths() {
        let text = "\0commit\02026-11-26T12:41:02+01:00\0second\0\0\n\
            :100644 000000 7f3b 0000000000000000000000000000000000000000 D\0en/a.md\0\
            :100644 100644 aaaa bbbb R087\0en/old name.md\0en/new name.md\0\
            :000000 100644 0000000000000000000000000000000000000000 57b8 A\0en/c d.md\0\
            \0commit\02026-11-20T23:59:59-08:00\0first one\0\0\n\
            :000000 100644 0000000000000000000000000000000000000000 7f3b A\0en/a.md\0";
        let (commits, changes) = parse_log(text);
        assert_eq!(commits, 2);
        let summary: Vec<(char, &str, Option<&str>, &str)> =
            changes.iter().map(|c| (c.status, c.path.as_str(), c.old_path.as_deref(), c.date.as_str())).collect();
        assert_eq!(
            summary,
            [
                ('D', "en/a.md", None, "2026-11-26"),
                ('R', "en/new name.md", Some("en/old name.md"), "2026-11-26"),
                ('A', "en/c d.md", None, "2026-11-26"),
                ('A', "en/a.md", None, "2026-11-20"),
            ]
        );
        assert_eq!(changes[0].new_blob, None);
        assert_eq!(changes[3].subject, "first one");
    }

    #[test]
    fn a_subject_cannot_forge_a_date_or_a_change() {
        let text = "\0commit\02026-11-26T12:41:02+01:00\0fix \u{1e}2019-01-01T00:00:00Z\u{1f}x :000000 100644 0 7f3b A\0\0\n\
            :100644 100644 aaaa bbbb M\0en/a.md\0";
        let (commits, changes) = parse_log(text);
        assert_eq!(commits, 1);
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].date.as_str(), changes[0].path.as_str()), ("2026-11-26", "en/a.md"));
        assert!(changes[0].subject.starts_with("fix \u{1e}2019"));
    }

    fn change(date: &str, status: char, old: Option<&str>, new: &str, path: &str, subject: &str) -> FileChange {
        FileChange {
            date: date.into(),
            subject: subject.into(),
            status,
            old_blob: old.map(String::from),
            new_blob: Some(new.into()),
            old_path: None,
            path: path.into(),
        }
    }

    #[test]
    fn replays_content_changes_with_notes_in_order() {
        let versions: HashMap<String, Version> = [
            ("v1", "# Refunds\n\nWithin 14 days.\n"),
            ("v2", "---\nreviewed: 2026-06-01\n---\n# Refunds\n\nWithin 14 days.\n"),
            ("v3", "---\nchange_note: Refund window is 30 days\n---\n# Refunds\n\nWithin 30 days.\n"),
            ("v4", "---\nchange_note: Refund window is 30 days\n---\n# Refunds\n\nWithin 30 days. Ask why.\n"),
            ("v5", "---\nchange_note: Ask the reason first\n---\n# Refunds\n\nWithin 30 days. Ask why.\n"),
        ]
        .into_iter()
        .map(|(blob, text)| (blob.to_string(), version(text)))
        .collect();
        let log = [
            change("2026-01-05", 'A', None, "v1", "en/refunds.md", "Add refunds"),
            change("2026-06-01", 'M', Some("v1"), "v2", "en/refunds.md", "Review refunds"),
            change("2026-11-02", 'M', Some("v2"), "v3", "en/refunds.md", "Longer window"),
            change("2026-11-20", 'M', Some("v3"), "v4", "en/refunds.md", "internal: JIRA-123"),
            change("2026-11-21", 'M', Some("v4"), "v5", "en/refunds.md", "note"),
        ];
        let files = replay(&log, &versions, false);
        let dated: Vec<(&str, Option<&str>)> = files["en/refunds.md"].changes.iter().map(|c| (c.date.as_str(), c.note.as_deref())).collect();
        assert_eq!(
            dated,
            [("2026-01-05", None), ("2026-11-02", Some("Refund window is 30 days")), ("2026-11-20", Some("Ask the reason first"))],
            "a review is no change; an old note is not repeated; a note written later names the change before it"
        );
        let with_subjects = replay(&log, &versions, true);
        let notes: Vec<Option<&str>> = with_subjects["en/refunds.md"].changes.iter().map(|c| c.note.as_deref()).collect();
        assert_eq!(notes, [Some("Add refunds"), Some("Refund window is 30 days"), Some("Ask the reason first")]);
    }

    #[test]
    fn a_rename_keeps_the_history_and_a_delete_ends_it() {
        let versions: HashMap<String, Version> =
            [("v1", "# A\n\nOne.\n"), ("v2", "# A\n\nOne.\n"), ("v3", "# A\n\nTwo.\n")].into_iter().map(|(b, t)| (b.to_string(), version(t))).collect();
        let mut moved = change("2026-02-01", 'R', Some("v1"), "v2", "en/new.md", "move");
        moved.old_path = Some("en/old.md".into());
        let log = [
            change("2026-01-01", 'A', None, "v1", "en/old.md", "add"),
            moved,
            change("2026-03-01", 'M', Some("v2"), "v3", "en/new.md", "edit"),
            change("2026-01-01", 'A', None, "v1", "en/gone.md", "add"),
            FileChange { status: 'D', new_blob: None, ..change("2026-04-01", 'D', Some("v1"), "", "en/gone.md", "rm") },
        ];
        let files = replay(&log, &versions, false);
        let dates: Vec<&str> = files["en/new.md"].changes.iter().map(|c| c.date.as_str()).collect();
        assert_eq!(dates, ["2026-01-01", "2026-03-01"], "a pure move is no change");
        assert!(!files.contains_key("en/old.md") && !files.contains_key("en/gone.md"));
    }
}
