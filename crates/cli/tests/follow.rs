//! `muster follow` against feeds served on 127.0.0.1 inside the test.

use std::io::{BufRead, BufReader, Write};
use std::process::Command;
use std::sync::{Arc, Mutex};

fn muster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_muster"))
}

const PAGE_A: &str = "<html><head><title>Navies drill off Chennai</title>\
<meta property=\"article:published_time\" content=\"2024-05-06T08:00:00Z\"></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Navies drill off Chennai</h1>\
<p>The navies of India and Japan began a joint naval exercise off Chennai on Monday, May 6, 2024, \
the Indian defence ministry said in a statement.</p>\
<p>Four warships and two maritime patrol aircraft take part in the five-day drills, which \
practise anti-submarine warfare and replenishment at sea.</p></article></body></html>";

/// A server that keeps answering: the feed (304 when the client sends the
/// ETag it gave), two article pages, 404 for anything else. Counts
/// requests per path.
fn server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut r = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line.to_ascii_lowercase());
            }
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(path.clone());
            let feed = format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Defence</title>\
                 <item><title>Navies drill off Chennai</title><link>{b}/a.html</link><guid>a</guid>\
                 <description>Short teaser.</description><pubDate>Mon, 06 May 2024 08:30:00 GMT</pubDate></item>\
                 </channel></rss>"
            );
            let answer = match path.as_str() {
                "/feed.rss" if head.contains("if-none-match: \"v1\"") => {
                    "HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
                }
                "/feed.rss" => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{feed}",
                    feed.len()
                ),
                "/a.html" => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE_A}",
                    PAGE_A.len()
                ),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
            };
            let mut s = stream;
            let _ = s.write_all(answer.as_bytes());
            let _ = s.flush();
        }
    });
    (base, seen)
}

#[test]
fn follow_ingests_new_items_once_and_survives_a_broken_feed() {
    let dir = tempfile::tempdir().unwrap();
    let (base, seen) = server();
    // a port nobody listens on: the feed is "down"
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/feed.rss", dead.local_addr().unwrap());
    drop(dead);
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!(
            "# defence news\n{dead_url}\n{base}/feed.rss   # the live one\n{base}/missing.rss\n"
        ),
    )
    .unwrap();
    let db = dir.path().join("f.db");
    let run = || {
        muster()
            .args(["follow", "--once", "--follow", "--db"])
            .arg(&db)
            .arg(&list)
            .env("MUSTER_FETCH_CACHE", dir.path().join("fetch.json"))
            .output()
            .unwrap()
    };
    let first = run();
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(1), "two feeds failed: {err}");
    assert!(err.contains(&format!("feed {dead_url} failed")), "{err}");
    assert!(
        err.contains("missing.rss failed (HTTP status 404)"),
        "{err}"
    );
    assert!(
        err.contains("polled 3 of 3 feeds (2 failed): 1 new"),
        "{err}"
    );
    // the stored document is the linked page, not the feed's teaser
    let ls = muster()
        .args(["ls", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let row: serde_json::Value =
        serde_json::from_slice(ls.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let id = row["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("feed-"), "{id}");
    let show = muster()
        .args(["show", &id, "--with-text", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let text = doc["clean_text"].as_str().unwrap();
    assert!(text.contains("anti-submarine warfare"), "{text}");
    assert!(!text.contains("Short teaser"), "{text}");
    assert!(!text.contains("Home"), "{text}");
    assert_eq!(
        doc["exercises"][0]["participants"],
        serde_json::json!(["IN", "JP"])
    );
    let page_fetches = || {
        seen.lock()
            .unwrap()
            .iter()
            .filter(|p| *p == "/a.html")
            .count()
    };
    assert_eq!(page_fetches(), 1);

    // a second round: the feed answers 304, nothing is fetched or added
    let second = run();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("0 new, 0 replaced"), "{err}");
    assert_eq!(page_fetches(), 1, "a stored item is not followed again");
    // without the validators the feed comes back whole: its item is
    // stored already, so its page is not fetched again
    std::fs::remove_file(dir.path().join("fetch.json")).unwrap();
    let third = run();
    let err = String::from_utf8_lossy(&third.stderr);
    assert!(err.contains("0 new, 0 replaced, 1 already stored"), "{err}");
    assert_eq!(page_fetches(), 1, "a stored item is not followed again");
    let st = muster().args(["stats", "--db"]).arg(&db).output().unwrap();
    let st: serde_json::Value = serde_json::from_slice(&st.stdout).unwrap();
    assert_eq!(st["documents"], 1);
}

#[test]
fn follow_refuses_a_bad_interval_and_a_missing_list() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("feeds.txt");
    std::fs::write(&list, "").unwrap();
    let out = muster()
        .args(["follow", "--every", "soon", "--db"])
        .arg(dir.path().join("x.db"))
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--every"));
    let out = muster()
        .args(["follow", "--once", "--db"])
        .arg(dir.path().join("x.db"))
        .arg(dir.path().join("absent.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("feed list"));
}

#[test]
fn ingest_saves_the_feed_validators_after_storing_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _) = server();
    let db = dir.path().join("i.db");
    let ingest = || {
        muster()
            .args(["ingest", &format!("{base}/feed.rss"), "--db"])
            .arg(&db)
            .env("MUSTER_FETCH_CACHE", dir.path().join("fetch.json"))
            .output()
            .unwrap()
    };
    let first = ingest();
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{err}");
    assert!(err.contains("1 new"), "{err}");
    assert!(dir.path().join("fetch.json").exists());
    // the validators came back: the feed answers 304 and nothing is read
    let second = ingest();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("0 new, 0 replaced, 0 already stored"), "{err}");
}
