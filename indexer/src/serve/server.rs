//! The preview's HTTP side, on 127.0.0.1: the site's files as a publish
//! writes them (never cached), but `index.html` with the preview script;
//! under `/_cuecard/`, a path no site has, the script itself, the last
//! build's findings (JSON) and the build events (`EventSource`).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde::Serialize;
use tiny_http::{Header, Request, Response, Server};

/// Where the preview's own files live: no site has this path.
pub const PREVIEW_PATH: &str = "/_cuecard/";
/// The script the page gains.
const SCRIPT: &str = include_str!("preview.js");

/// One finding of the last build, for the panel.
#[derive(Debug, Clone, Serialize)]
pub struct PanelFinding {
    pub file: String,
    pub line: usize,
    pub severity: &'static str,
    pub message: String,
    /// The article it is about, when there is one: the panel links to it.
    pub locale: Option<String>,
    pub id: Option<String>,
}

/// What the panel shows: the last build, and how many have published.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildState {
    /// Builds run so far.
    pub builds: u64,
    /// Builds that published (a page reloads when this changes).
    pub published: u64,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<PanelFinding>,
}

/// What the server shares with the build loop.
#[derive(Default)]
pub struct Shared {
    pub state: Mutex<BuildState>,
    /// Open event streams.
    streams: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Shared {
    /// Tells every open page that a build finished.
    pub fn announce(&self, state: BuildState) {
        *self.state.lock().expect("the state lock is never poisoned") = state;
        let mut streams = self.streams.lock().expect("the streams lock is never poisoned");
        // A page that went away fails to take the event: it is dropped.
        streams.retain_mut(|stream| stream.write_all(b"event: build\ndata: {}\n\n").and_then(|()| stream.flush()).is_ok());
    }
}

/// Serves `site` on `address` until the process ends, on a few threads.
pub fn serve(address: &str, site: PathBuf, shared: Arc<Shared>) -> Result<String> {
    let server = Arc::new(Server::http(address).map_err(|e| anyhow::anyhow!("{e}")).with_context(|| format!("cannot listen on {address}"))?);
    let url = format!("http://{}", server.server_addr());
    for _ in 0..4 {
        let (server, site, shared) = (server.clone(), site.clone(), shared.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                answer(request, &site, &shared);
            }
        });
    }
    Ok(url)
}

fn answer(request: Request, site: &Path, shared: &Shared) {
    let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
    let response = match path.as_str() {
        "/_cuecard/preview.js" => file_response(SCRIPT.as_bytes().to_vec(), "text/javascript"),
        "/_cuecard/findings.json" => {
            let state = shared.state.lock().expect("the state lock is never poisoned").clone();
            file_response(serde_json::to_vec(&state).unwrap_or_default(), "application/json")
        }
        "/_cuecard/events" => {
            let mut stream = request.into_writer();
            let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
            if stream.write_all(head).and_then(|()| stream.flush()).is_ok() {
                shared.streams.lock().expect("the streams lock is never poisoned").push(stream);
            }
            return;
        }
        _ => match site_file(site, &path) {
            Some((file, bytes)) if file.file_name().is_some_and(|n| n == crate::site::headers::PAGE_FILE) => {
                file_response(with_preview_script(&String::from_utf8_lossy(&bytes)).into_bytes(), "text/html; charset=utf-8")
            }
            Some((file, bytes)) => file_response(bytes, content_type(&file)),
            None => Response::from_string("not found").with_status_code(404),
        },
    };
    let _ = request.respond(response);
}

fn file_response(bytes: Vec<u8>, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(bytes)
        .with_header(Header::from_bytes("Content-Type", content_type).expect("a valid header"))
        .with_header(Header::from_bytes("Cache-Control", "no-store").expect("a valid header"))
}

/// The file of the site a URL path names (a folder's `index.html`), never
/// outside it.
fn site_file(site: &Path, url_path: &str) -> Option<(PathBuf, Vec<u8>)> {
    let relative = Path::new(url_path.trim_start_matches('/'));
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = site.join(relative);
    if file.is_dir() {
        file = file.join(crate::site::headers::PAGE_FILE);
    }
    let kind = std::fs::symlink_metadata(&file).ok()?.file_type();
    kind.is_file().then(|| std::fs::read(&file).ok().map(|bytes| (file, bytes)))?
}

/// `page` with the preview script before its first script, so it runs
/// before the app does.
pub fn with_preview_script(page: &str) -> String {
    let tag = format!("<script src=\"{PREVIEW_PATH}preview.js\"></script>\n    ");
    match page.find("<script") {
        Some(at) => format!("{}{tag}{}", &page[..at], &page[at..]),
        None => page.replace("</head>", &format!("{tag}</head>")),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_gains_one_script_before_the_apps() {
        let page = "<html><head><meta charset=\"utf-8\" />\n<script type=\"module\">import init from './a.js';</script></head></html>";
        let previewed = with_preview_script(page);
        assert_eq!(previewed.matches("<script").count(), 2);
        assert!(previewed.find("/_cuecard/preview.js").unwrap() < previewed.find("type=\"module\"").unwrap());
        assert_eq!(previewed.replace("<script src=\"/_cuecard/preview.js\"></script>\n    ", ""), page);
    }

    #[test]
    fn no_path_leaves_the_site() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(site_file(dir.path(), "/").is_some());
        assert!(site_file(dir.path(), "/../etc/passwd").is_none());
        assert!(site_file(dir.path(), "/missing.js").is_none());
    }

    /// A page opens several connections at once and a browser keeps each
    /// open after its response (keep-alive), as the app's first requests
    /// do: every one is answered while all the others stay open. (tiny_http's
    /// thread pool once left a connection that arrived in a burst queued
    /// behind idle ones: vendor/README.md.)
    #[test]
    fn a_burst_of_kept_open_connections_is_answered_in_full() {
        use std::io::{BufRead, BufReader};
        use std::net::TcpStream;
        use std::sync::Barrier;
        const CONNECTIONS: usize = 24;
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html></html>").unwrap();
        let url = serve("127.0.0.1:0", dir.path().to_path_buf(), Arc::new(Shared::default())).unwrap();
        let address = url.trim_start_matches("http://").to_string();
        let start = Arc::new(Barrier::new(CONNECTIONS));
        let answered = Arc::new(Barrier::new(CONNECTIONS));
        let clients: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let (address, start, answered) = (address.clone(), start.clone(), answered.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let mut stream = TcpStream::connect(&address).unwrap();
                    // Only so that a connection never answered fails the test instead of hanging it.
                    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
                    stream.write_all(b"GET / HTTP/1.1\r\nHost: preview\r\nConnection: keep-alive\r\n\r\n").unwrap();
                    let mut status = String::new();
                    let outcome = BufReader::new(&stream).read_line(&mut status).map(|_| status);
                    // Kept open until every connection has its answer, as a browser keeps them.
                    answered.wait();
                    outcome
                })
            })
            .collect();
        for client in clients {
            let status = client.join().unwrap().expect("every connection is answered while the others stay open");
            assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        }
    }
}
