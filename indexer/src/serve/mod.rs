//! Stage 8: `cuecard serve`, the authors' preview. Builds the site once,
//! serves it on 127.0.0.1 ([`server`]), watches the kb (events, or polling
//! for mounts that send none), and after each save, once the burst of
//! events is over ([`changes`]), rebuilds and tells the open pages, which
//! reload keeping the query, the open article and the scroll position, and
//! list the build's findings. A build with errors publishes nothing: the
//! preview keeps the last good site and its panel says why.

pub mod changes;
pub mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use notify::{EventKind, RecursiveMode, Watcher};

use changes::Burst;
pub use server::{BuildState, PanelFinding};

/// How often `--poll` looks at the kb.
const POLL_EVERY: Duration = Duration::from_millis(400);

/// What the preview is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub kb: PathBuf,
    /// The folder the site is built into and served from.
    pub site: PathBuf,
    pub port: u16,
    /// Poll instead of waiting for events (network and WSL mounts).
    pub poll: bool,
    /// Open the browser on the preview.
    pub open: bool,
}

/// What one build gave the preview.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub published: bool,
    pub findings: Vec<PanelFinding>,
}

/// Builds, serves and rebuilds on every save until the process ends.
/// `rebuild` builds the site into `options.site`.
pub fn run(options: &Options, mut rebuild: impl FnMut() -> Result<Built>) -> Result<()> {
    let shared = Arc::new(server::Shared::default());
    let mut state = BuildState::default();
    record(&mut state, rebuild());
    shared.announce(state.clone());
    let url = server::serve(&format!("127.0.0.1:{}", options.port), options.site.clone(), shared.clone())?;
    let (events, received) = std::sync::mpsc::channel();
    let mut watcher: Box<dyn Watcher> = if options.poll {
        // notify's poller compares modification times in whole seconds: a
        // save in the same second as the last look would be missed, so it
        // compares contents too.
        Box::new(notify::PollWatcher::new(events, notify::Config::default().with_poll_interval(POLL_EVERY).with_compare_contents(true)).context("cannot poll the kb")?)
    } else {
        Box::new(notify::recommended_watcher(events).context("cannot watch the kb (try --poll)")?)
    };
    watcher.watch(&options.kb, RecursiveMode::Recursive).with_context(|| format!("cannot watch {}", options.kb.display()))?;
    // Said once the kb is watched: a save from now on is seen.
    eprintln!("serving the preview of {} on {url}/ (Ctrl+C to stop); every save rebuilds it", options.kb.display());
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
    }
    let mut burst = Burst::default();
    loop {
        match received.recv_timeout(Duration::from_millis(30)) {
            Ok(Ok(event)) if is_change(&event.kind) => {
                for path in &event.paths {
                    burst.note(relative(path, &options.kb), Instant::now());
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => eprintln!("warning: watching the kb: {error}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => bail!("the kb watcher stopped"),
        }
        if let Some(paths) = burst.take_if_over(Instant::now()) {
            let names: Vec<String> = paths.iter().take(3).map(|p| p.display().to_string()).collect();
            let more = if paths.len() > 3 { format!(" and {} more", paths.len() - 3) } else { String::new() };
            eprintln!("\n{}{more} changed: rebuilding", names.join(", "));
            let started = Instant::now();
            record(&mut state, rebuild());
            shared.announce(state.clone());
            eprintln!("rebuilt in {:.2}s{}", started.elapsed().as_secs_f64(), if state.errors > 0 { " (not published: errors)" } else { "" });
        }
    }
}

/// Whether an event can change what the site shows (not a mere read).
fn is_change(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any)
}

fn relative<'a>(path: &'a Path, kb: &Path) -> &'a Path {
    path.strip_prefix(kb).unwrap_or(path)
}

/// Puts a build's outcome in the panel's state.
fn record(state: &mut BuildState, built: Result<Built>) {
    state.builds += 1;
    let built = built.unwrap_or_else(|error| Built {
        published: false,
        findings: vec![PanelFinding { file: String::new(), line: 0, severity: "error", message: format!("{error:#}"), locale: None, id: None }],
    });
    state.published += u64::from(built.published);
    state.errors = built.findings.iter().filter(|f| f.severity == "error").count();
    state.warnings = built.findings.len() - state.errors;
    state.findings = built.findings;
}
