//! WARC archives and RSS / Atom feeds as inputs, built here from our own
//! small pages.

use muster_core::{RawDoc, SetAside};
use muster_ingest::warc::{dechunk, parse_http, WarcWriter};
use muster_ingest::{expand, read_input, sniff, Input, Kind};
use std::io::Write;
use std::path::Path;

fn page(title: &str, sentence: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=en><head><title>{title}</title>\
         <meta property=article:published_time content=2024-05-0{}></head><body>\
         <nav><a href=/>Home</a></nav><article><h1>{title}</h1>\
         <p>{sentence} The crews trained all week on replenishment at sea and on air defence.</p>\
         <p>Search and rescue at sea was also part of the programme of these days, officials said.</p>\
         </article></body></html>",
        title.len() % 9 + 1
    )
}

fn pages() -> Vec<(String, String)> {
    vec![
        (
            "https://example.org/news/1".to_string(),
            page(
                "Naval drill",
                "Frigates left the port on Monday for a naval exercise.",
            ),
        ),
        (
            "https://example.org/news/2".to_string(),
            page(
                "Air exercise",
                "Fighter jets from four countries began an air exercise.",
            ),
        ),
        (
            "https://example.org/news/3".to_string(),
            page(
                "Land manoeuvres",
                "Tanks and infantry held manoeuvres near the border.",
            ),
        ),
    ]
}

/// An archive like Common Crawl News: warcinfo, then request / response /
/// metadata per page.
fn archive(gzip: bool) -> Vec<u8> {
    let mut w = WarcWriter::new(gzip);
    w.record(
        "warcinfo",
        &[("Content-Type", "application/warc-fields")],
        b"software: muster-test\r\n",
    );
    for (uri, html) in pages() {
        w.record(
            "request",
            &[
                ("WARC-Target-URI", &uri),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            format!("GET {uri} HTTP/1.1\r\nHost: example.org\r\n\r\n").as_bytes(),
        );
        w.response(
            &uri,
            "Content-Type: text/html; charset=utf-8\r\n",
            html.as_bytes(),
        );
        w.record(
            "metadata",
            &[("WARC-Target-URI", &uri)],
            b"fetchTimeMs: 12\r\n",
        );
    }
    w.out
}

fn collect(input: &Input) -> (Vec<RawDoc>, Vec<SetAside>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    read_input(input, &mut |r| match r {
        Ok(d) => ok.push(d),
        Err(s) => bad.push(s),
    });
    (ok, bad)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Input {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    Input::File(p)
}

#[test]
fn warc_response_records_become_documents_with_provenance() {
    let dir = tempfile::tempdir().unwrap();
    for (name, gz) in [
        ("cc.warc", false),
        ("cc.warc.gz", true),
        ("no-extension", true),
    ] {
        let (ok, bad) = collect(&write(dir.path(), name, &archive(gz)));
        assert!(bad.is_empty(), "{name}: {bad:?}");
        assert_eq!(ok.len(), 3, "{name}");
        let d = &ok[1];
        assert_eq!(d.url.as_deref(), Some("https://example.org/news/2"));
        assert_eq!(d.source, "https://example.org/news/2");
        assert!(
            d.text.starts_with("Fighter jets from four countries"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Home"));
        assert_eq!(d.title.as_deref(), Some("Air exercise"));
        assert_eq!(d.lang.as_deref(), Some("en"));
        let p = d.provenance.as_ref().unwrap();
        assert!(p.container.ends_with(name));
        assert_eq!(
            p.record_id.as_deref(),
            Some("urn:uuid:00000000-0000-4000-8000-000000000006")
        );
        assert_eq!(p.fetched.as_deref(), Some("2024-05-06T10:00:00Z"));
        let ids: Vec<&str> = ok.iter().map(|d| d.id.as_str()).collect();
        let stem = if name == "no-extension" {
            "no-extension"
        } else {
            "cc"
        };
        assert_eq!(
            ids,
            [
                format!("{stem}-3"),
                format!("{stem}-6"),
                format!("{stem}-9")
            ]
        );
    }
}

#[test]
fn truncated_and_corrupt_archives_keep_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    for gz in [false, true] {
        let full = archive(gz);
        // Cut inside the third response.
        let mut w = WarcWriter::new(gz);
        for (uri, html) in pages() {
            w.response(&uri, "Content-Type: text/html\r\n", html.as_bytes());
        }
        let cut = w.out.len() - 60;
        let (ok, bad) = collect(&write(
            dir.path(),
            if gz { "cut.warc.gz" } else { "cut.warc" },
            &w.out[..cut],
        ));
        assert_eq!(ok.len(), 2, "gzip {gz}");
        assert_eq!(bad.len(), 1);
        assert!(bad[0].reason.contains("truncated"), "{}", bad[0].reason);
        assert!(bad[0].reason.contains("set aside"));
        // Garbage in the middle.
        let mut broken = full[..full.len() / 2].to_vec();
        broken.extend_from_slice(b"\x00\x01garbage that is no record\r\n\r\n");
        broken.extend_from_slice(&full[full.len() / 2..]);
        let (ok2, bad2) = collect(&write(dir.path(), "bad.warc", &broken));
        assert!(ok2.len() <= 2, "gzip {gz}");
        assert_eq!(bad2.len(), 1, "{bad2:?}");
        assert!(
            bad2[0].reason.contains("corrupt")
                || bad2[0].reason.contains("truncated")
                || bad2[0].reason.contains("cannot"),
            "{}",
            bad2[0].reason
        );
    }
    // Every prefix of an archive reads without panicking.
    let full = archive(true);
    for cut in (0..full.len()).step_by(37) {
        let _ = collect(&write(dir.path(), "p.warc.gz", &full[..cut]));
    }
    let full = archive(false);
    for cut in (0..full.len()).step_by(41) {
        let _ = collect(&write(dir.path(), "p.warc", &full[..cut]));
    }
}

#[test]
fn chunked_and_gzipped_http_bodies_are_decoded() {
    let html = page(
        "Naval drill",
        "Frigates left the port on Monday for a naval exercise.",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(html.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let mut chunked = Vec::new();
    for c in gz.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
        chunked.extend_from_slice(c);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(dechunk(&chunked).unwrap(), gz);
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    block.extend_from_slice(&chunked);
    assert_eq!(parse_http(&block).unwrap().body, html.as_bytes());

    let mut w = WarcWriter::new(true);
    w.response(
        "https://example.org/c",
        "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
        &chunked,
    );
    w.response(
        "https://example.org/pdf",
        "Content-Type: application/pdf\r\n",
        b"%PDF-1.4",
    );
    let dir = tempfile::tempdir().unwrap();
    let (ok, bad) = collect(&write(dir.path(), "c.warc.gz", &w.out));
    assert_eq!(ok.len(), 1);
    assert!(ok[0].text.starts_with("Frigates left the port"));
    assert_eq!(bad.len(), 1);
    assert!(bad[0].reason.contains("not an HTML page (application/pdf)"));
    assert!(bad[0].source.contains("https://example.org/pdf"));
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Defence news</title><link>https://example.org/</link>
<description>News</description><language>en-gb</language>
<item><title>Frigates begin naval drill</title><link>https://example.org/a</link>
<guid>https://example.org/a</guid><pubDate>Mon, 06 May 2024 08:30:00 GMT</pubDate>
<description>&lt;p&gt;Frigates from three navies began a naval &lt;b&gt;exercise&lt;/b&gt; on Monday.&lt;/p&gt;&lt;p&gt;It lasts a week.&lt;/p&gt;</description></item>
<item><title>Jets fly over the Baltic</title><link>https://example.org/b</link>
<pubDate>Tue, 07 May 2024 09:00:00 +0200</pubDate>
<description>Fighter jets flew over the Baltic Sea during an air exercise.</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Nouvelles</title><id>urn:x</id>
<updated>2024-05-08T00:00:00Z</updated>
<entry><title>Exercice naval</title><id>urn:x:1</id><link href="https://example.fr/1"/>
<published>2024-05-08T07:00:00Z</published><updated>2024-05-09T07:00:00Z</updated>
<content type="html">&lt;p&gt;Des frégates ont quitté le port lundi.&lt;/p&gt;</content></entry>
</feed>"#;

#[test]
fn rss_and_atom_items_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(RSS.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    for input in [
        write(dir.path(), "news.rss", RSS.as_bytes()),
        write(dir.path(), "news.xml", RSS.as_bytes()),
        write(dir.path(), "news.rss.gz", &gz),
        write(dir.path(), "feed", RSS.as_bytes()),
    ] {
        let (ok, bad) = collect(&input);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].url.as_deref(), Some("https://example.org/a"));
        assert_eq!(ok[0].title.as_deref(), Some("Frigates begin naval drill"));
        assert_eq!(
            ok[0].text,
            "Frigates begin naval drill\n\nFrigates from three navies began a naval exercise on Monday.\n\nIt lasts a week."
        );
        assert_eq!(ok[0].date.as_deref(), Some("2024-05-06T08:30:00Z"));
        assert_eq!(ok[0].lang.as_deref(), Some("en"));
        assert_eq!(ok[1].date.as_deref(), Some("2024-05-07T07:00:00Z"));
        assert_ne!(ok[0].id, ok[1].id);
        assert!(ok[1].id.starts_with(ok[0].id.split('-').next().unwrap()));
    }
    let (ok, bad) = collect(&write(dir.path(), "n.atom", ATOM.as_bytes()));
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].url.as_deref(), Some("https://example.fr/1"));
    assert_eq!(
        ok[0].text,
        "Exercice naval\n\nDes frégates ont quitté le port lundi."
    );
    assert_eq!(ok[0].date.as_deref(), Some("2024-05-08T07:00:00Z"));
    assert_eq!(ok[0].lang.as_deref(), Some("fr"));
    assert_eq!(
        ok[0].provenance.as_ref().unwrap().record_id.as_deref(),
        Some("urn:x:1")
    );

    let (ok, bad) = collect(&write(
        dir.path(),
        "other.xml",
        b"<?xml version=\"1.0\"?><config/>",
    ));
    assert!(ok.is_empty() && bad[0].reason.contains("not an RSS or Atom feed"));
    let (ok, bad) = collect(&write(dir.path(), "broken.rss", b"<rss><channel><item>"));
    assert!(ok.is_empty() && !bad.is_empty(), "{ok:?}");
}

#[test]
fn kinds_are_sniffed_from_the_first_bytes() {
    assert_eq!(sniff(b"WARC/1.0\r\n"), Kind::Warc);
    assert_eq!(
        sniff(b"\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- x --><rss>"),
        Kind::Feed
    );
    assert_eq!(sniff(b"<feed xmlns="), Kind::Feed);
    assert_eq!(sniff(b"<?xml version='1.0'?><rdf:RDF>"), Kind::Feed);
    assert_eq!(sniff(b"  <!DOCTYPE html><html>"), Kind::Html);
    assert_eq!(sniff(b"{\"text\":\"x\"}"), Kind::Jsonl);
    assert_eq!(sniff(b"Plain words."), Kind::Text);
    assert_eq!(sniff(b"<?xml version='1.0'?><x/>"), Kind::OtherXml);
}

#[test]
fn folders_pick_up_archives_and_feeds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.warc.gz"), archive(true)).unwrap();
    std::fs::write(dir.path().join("b.rss"), RSS).unwrap();
    std::fs::write(dir.path().join("c.png"), b"x").unwrap();
    let (inputs, bad) = expand(&[dir.path().display().to_string()]);
    assert!(bad.is_empty());
    assert_eq!(inputs.len(), 2);
    let n: usize = inputs.iter().map(|i| collect(i).0.len()).sum();
    assert_eq!(n, 5);
}

/// Throughput of the WARC reader alone (no HTML extraction) on a generated
/// gzip-per-record archive: `cargo test --release -p muster-ingest --test
/// archives_and_feeds -- --ignored --nocapture`.
#[test]
#[ignore]
fn warc_reader_throughput() {
    // Pseudo-random words, so that gzip compresses about as much as on
    // real pages (3–4×).
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut word = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = 2 + (seed % 9) as usize;
        (0..len)
            .map(|i| (b'a' + ((seed >> (i * 5)) % 26) as u8) as char)
            .collect::<String>()
    };
    let mut w = WarcWriter::new(true);
    while w.out.len() < 50 << 20 {
        let text: Vec<String> = (0..8000).map(|_| word()).collect();
        let body = page("Naval drill", &text.join(" "));
        w.response(
            "https://example.org/x",
            "Content-Type: text/html\r\n",
            body.as_bytes(),
        );
    }
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&w.out[..]), &mut raw)
        .unwrap();
    let t = std::time::Instant::now();
    let r =
        std::io::BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(&w.out[..]));
    let (mut n, mut bytes) = (0usize, 0usize);
    for rec in muster_ingest::warc::WarcReader::new(r) {
        let rec = rec.unwrap();
        bytes += parse_http(&rec.block).unwrap().body.len();
        n += 1;
    }
    let s = t.elapsed().as_secs_f64();
    eprintln!(
        "{n} records, {:.1} MB gzipped, {:.1} MB uncompressed, {bytes} body bytes in {s:.2} s: {:.0} MB/s uncompressed, {:.0} MB/s gzipped",
        w.out.len() as f64 / 1e6,
        raw.len() as f64 / 1e6,
        raw.len() as f64 / 1e6 / s,
        w.out.len() as f64 / 1e6 / s
    );
}

/// A feed server on 127.0.0.1 that answers `304` to a request carrying the
/// validators it gave; it records the request heads it saw.
fn feed_server(etag: bool, requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/news/defence.rss", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..requests {
            let (stream, _) = listener.accept().unwrap();
            let mut r = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line.to_ascii_lowercase());
            }
            let fresh = if etag {
                head.contains("if-none-match: \"v1\"")
            } else {
                head.contains("if-modified-since: mon, 06 may 2024 10:00:00 gmt")
            };
            let validator = if etag {
                "ETag: \"v1\"\r\n"
            } else {
                "Last-Modified: Mon, 06 May 2024 10:00:00 GMT\r\n"
            };
            let answer = if fresh {
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n{validator}Content-Length: {}\r\nConnection: close\r\n\r\n{RSS}",
                    RSS.len()
                )
            };
            let mut s = stream;
            s.write_all(answer.as_bytes()).unwrap();
            s.flush().unwrap();
            seen.push(head);
        }
        seen
    });
    (url, handle)
}

#[test]
fn live_feeds_are_fetched_with_conditional_get() {
    use muster_ingest::fetch::FetchCache;
    use muster_ingest::read_url;
    let dir = tempfile::tempdir().unwrap();
    for etag in [true, false] {
        let (url, server) = feed_server(etag, 2);
        let cache_path = dir.path().join(format!("cache-{etag}.json"));
        let mut docs = Vec::new();
        let mut aside = Vec::new();
        let mut sink = |r: Result<RawDoc, SetAside>| match r {
            Ok(d) => docs.push(d),
            Err(s) => aside.push(s),
        };
        let mut cache = FetchCache::load(cache_path.clone());
        read_url(&url, &mut cache, &mut sink);
        cache.save().unwrap();
        // A later run, with the cache read back from disk: 304, nothing new.
        let mut cache = FetchCache::load(cache_path.clone());
        read_url(&url, &mut cache, &mut sink);
        let seen = server.join().unwrap();
        assert!(aside.is_empty(), "{aside:?}");
        assert_eq!(docs.len(), 2, "etag {etag}");
        assert_eq!(docs[0].url.as_deref(), Some("https://example.org/a"));
        assert!(docs[0].id.starts_with("defence-"), "{}", docs[0].id);
        assert_eq!(docs[0].provenance.as_ref().unwrap().container, url);
        assert!(!seen[0].contains("if-none-match") && !seen[0].contains("if-modified-since"));
        assert!(
            seen[1].contains(if etag {
                "if-none-match"
            } else {
                "if-modified-since"
            }),
            "{}",
            seen[1]
        );
    }
    // A server that is not there: set aside, no panic.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut aside = Vec::new();
    read_url(
        &format!("http://127.0.0.1:{port}/feed.rss"),
        &mut FetchCache::default(),
        &mut |r| {
            if let Err(s) = r {
                aside.push(s)
            }
        },
    );
    assert_eq!(aside.len(), 1);
    assert!(
        aside[0].reason.contains("cannot fetch"),
        "{}",
        aside[0].reason
    );
    assert_eq!(
        expand(&["https://example.org/feed.rss".to_string()]).0,
        [Input::Url("https://example.org/feed.rss".into())]
    );
}
