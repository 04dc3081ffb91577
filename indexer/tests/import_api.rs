//! `cuecard import zendesk --url`, the real binary against a local server
//! on 127.0.0.1 that answers as the Help Center API does (the fixture's
//! pages, cursor links, a 429 with `Retry-After`), with credentials from
//! the environment only.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tempfile::TempDir;

mod support;
use support::{cuecard_with_env, stderr};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk-export").join(name)).unwrap()
}

/// Serves the Help Center API from the fixture; returns its origin and
/// the requests seen (path, whether it carried credentials).
fn help_centre() -> (String, Arc<Mutex<Vec<(String, bool)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
    let (log, base) = (seen.clone(), origin.clone());
    std::thread::spawn(move || {
        let mut limited_once = false;
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut authorised = false;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
                authorised |= header.to_ascii_lowercase().starts_with("authorization: basic ");
            }
            log.lock().unwrap().push((path.clone(), authorised));
            let (status, body): (&str, Vec<u8>) = match path.as_str() {
                p if p.starts_with("/api/v2/help_center/articles?") && !limited_once => {
                    limited_once = true;
                    ("429 Too Many Requests\r\nRetry-After: 1", b"{}".to_vec())
                }
                p if p.starts_with("/api/v2/help_center/articles?page[after]=xyz") => ("200 OK", fixture("articles-page-2.json").into_bytes()),
                p if p.starts_with("/api/v2/help_center/articles?") => {
                    let page = fixture("articles-page-1.json").replace("https://acme.zendesk.com/api/v2/help_center/articles?page[after]", &format!("{base}/api/v2/help_center/articles?page[after]"));
                    ("200 OK", page.into_bytes())
                }
                p if p.starts_with("/api/v2/help_center/sections") => ("200 OK", fixture("sections.json").into_bytes()),
                p if p.starts_with("/api/v2/help_center/categories") => ("200 OK", fixture("categories.json").into_bytes()),
                p if p.starts_with("/api/v2/help_center/user_segments") => ("200 OK", fixture("user_segments.json").into_bytes()),
                p if p.starts_with("/api/v2/help_center/articles/360001/translations") => ("200 OK", fixture("translations.json").into_bytes()),
                p if p.starts_with("/api/v2/help_center/articles/360001/attachments") => {
                    let page = fixture("article_attachments.json").replace("https://acme.zendesk.com", &base);
                    ("200 OK", page.into_bytes())
                }
                p if p.contains("/translations") => ("200 OK", br#"{"translations": [], "next_page": null}"#.to_vec()),
                p if p.contains("/attachments") => ("200 OK", br#"{"article_attachments": []}"#.to_vec()),
                p if p.starts_with("/api/v2/users/show_many") => ("200 OK", fixture("users.json").into_bytes()),
                "/hc/article_attachments/555/router-front.png" => {
                    ("200 OK", std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk-export/attachments/555/router-front.png")).unwrap())
                }
                _ => ("404 Not Found", b"{}".to_vec()),
            };
            let mut stream = stream;
            let head = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    (origin, seen)
}

#[test]
fn the_api_import_waits_out_rate_limits_and_gives_the_same_kb_as_saved_pages() {
    let (origin, seen) = help_centre();
    let dir = TempDir::new().unwrap();
    let from_api = dir.path().join("from-api");
    let credentials = [("ZENDESK_EMAIL", "km@acme.example"), ("ZENDESK_API_TOKEN", "secret-token")];
    let result = cuecard_with_env(&["import", "zendesk", "--url", &origin, "--out", from_api.to_str().unwrap(), "--owner-team", "Support knowledge"], &credentials);
    assert!(result.status.success(), "{}", stderr(&result));
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.iter().filter(|(p, _)| p.starts_with("/api/v2/help_center/articles?page[size]")).count(), 2, "the 429 was waited out and asked again");
    assert!(requests.iter().any(|(p, _)| p.contains("page[after]=xyz")), "the cursor's next link was followed");
    assert!(requests.iter().all(|(_, authorised)| *authorised), "every request to the help centre carries the credentials");
    // The same kb as from the saved pages.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk-export");
    let from_pages = dir.path().join("from-pages");
    let saved = cuecard_with_env(&["import", "zendesk", "--from", fixture.to_str().unwrap(), "--out", from_pages.to_str().unwrap(), "--owner-team", "Support knowledge"], &[]);
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert_eq!(support::list_files(&from_api), support::list_files(&from_pages));
    for file in support::list_files(&from_pages) {
        assert_eq!(std::fs::read(from_api.join(&file)).unwrap(), std::fs::read(from_pages.join(&file)).unwrap(), "{file:?}");
    }
    // Credentials only from the environment.
    let missing = cuecard_with_env(&["import", "zendesk", "--url", &origin, "--out", dir.path().join("x").to_str().unwrap()], &[("ZENDESK_EMAIL", ""), ("ZENDESK_API_TOKEN", ""), ("ZENDESK_OAUTH_TOKEN", "")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("set ZENDESK_EMAIL and ZENDESK_API_TOKEN"), "{}", stderr(&missing));
}
