//! Sources: where documents come from.
//!
//! [`expand`] turns command-line inputs (files, folders, globs, `-`) into a
//! sorted list of [`Input`]s; [`read_input`] reads one of them and yields
//! [`RawDoc`]s or [`SetAside`]s (a bad document never stops a run).
//! Plain text, JSON Lines article dumps (`.jsonl`, `.ndjson`), HTML
//! pages (main content and metadata by `muster-html`), WARC archives
//! ([`warc`]) and RSS / Atom feeds ([`feed`]) are understood here, known by
//! their extension or else by their first bytes ([`sniff`]); any of them
//! may be gzipped (`.gz`). `http(s)://` inputs are fetched with a
//! conditional GET ([`fetch`]).

use muster_core::{RawDoc, SetAside};
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub mod feed;
pub mod fetch;
pub mod warc;

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// An `http://` or `https://` address.
    Url(String),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
            Input::Url(u) => u.clone(),
        }
    }
}

/// File extensions read when walking a folder (also with `.gz` after them).
pub const TEXT_EXTS: &[&str] = &[
    "txt", "text", "jsonl", "ndjson", "html", "htm", "xhtml", "warc", "rss", "atom", "xml",
];

/// Expands command-line inputs. Folders are walked recursively (sorted, so
/// runs are reproducible); globs are expanded; a missing path is set aside.
pub fn expand(inputs: &[String]) -> (Vec<Input>, Vec<SetAside>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for arg in inputs {
        if arg == "-" {
            out.push(Input::Stdin);
            continue;
        }
        if arg.starts_with("http://") || arg.starts_with("https://") {
            out.push(Input::Url(arg.clone()));
            continue;
        }
        let p = Path::new(arg);
        if p.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| has_ext(p, TEXT_EXTS))
                .collect();
            files.sort();
            out.extend(files.into_iter().map(Input::File));
        } else if p.is_file() {
            out.push(Input::File(p.to_path_buf()));
        } else if arg.contains(['*', '?', '[']) {
            match glob::glob(arg) {
                Ok(paths) => {
                    let mut files: Vec<PathBuf> = paths
                        .filter_map(|r| r.ok())
                        .filter(|p| p.is_file())
                        .collect();
                    if files.is_empty() {
                        bad.push(SetAside {
                            source: arg.clone(),
                            reason: "glob matched no file".into(),
                        });
                    }
                    files.sort();
                    out.extend(files.into_iter().map(Input::File));
                }
                Err(e) => bad.push(SetAside {
                    source: arg.clone(),
                    reason: format!("bad glob: {e}"),
                }),
            }
        } else {
            bad.push(SetAside {
                source: arg.clone(),
                reason: "no such file or folder".into(),
            });
        }
    }
    (out, bad)
}

/// True when the file's extension, ignoring a final `.gz`, is one of `exts`.
fn has_ext(p: &Path, exts: &[&str]) -> bool {
    Path::new(name_without_gz(p))
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
        .unwrap_or(false)
}

fn is_gzip_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The file name without a final `.gz` (`a.html.gz` → `a.html`).
fn name_without_gz(p: &Path) -> &str {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_gzip_name(p) {
        &name[..name.len() - 3]
    } else {
        name
    }
}

/// Bytes that start like an HTML page.
fn looks_like_html(bytes: &[u8]) -> bool {
    let start: Vec<u8> = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b >= 0x80)
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
}

/// One line of a JSON Lines article dump.
#[derive(Debug, Deserialize)]
struct JsonArticle {
    text: Option<String>,
    id: Option<serde_json::Value>,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    lang: Option<String>,
}

/// What an input holds, from its extension or, failing that, its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Jsonl,
    Html,
    Warc,
    Feed,
    /// An `.xml` file that is not a feed.
    OtherXml,
}

/// The kind a file extension (after any `.gz`) names; `None` to sniff.
fn kind_of_ext(p: &Path) -> Option<Kind> {
    let ext = Path::new(name_without_gz(p))
        .extension()
        .and_then(|e| e.to_str())?
        .to_ascii_lowercase();
    Some(match ext.as_str() {
        "jsonl" | "ndjson" => Kind::Jsonl,
        "html" | "htm" | "xhtml" => Kind::Html,
        "txt" | "text" => Kind::Text,
        "warc" => Kind::Warc,
        "rss" | "atom" => Kind::Feed,
        _ => return None,
    })
}

/// True for inputs that hold many documents (WARC archives, feeds, JSON
/// Lines dumps), known by extension.
pub fn is_container(input: &Input) -> bool {
    match input {
        Input::Stdin | Input::Url(_) => false,
        Input::File(p) => {
            matches!(kind_of_ext(p), Some(Kind::Warc | Kind::Feed | Kind::Jsonl))
                || has_ext(p, &["xml"])
        }
    }
}

/// Guesses the kind from the first bytes of a stream: `WARC/`, `<rss`,
/// `<feed`, `<rdf:RDF`, `<html`, `<!doctype html`, `{`; plain text otherwise.
pub fn sniff(bytes: &[u8]) -> Kind {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut b = trim_ws(bytes);
    if b.starts_with(b"WARC/") {
        return Kind::Warc;
    }
    if b.starts_with(b"{") {
        return Kind::Jsonl;
    }
    if looks_like_html(b) {
        return Kind::Html;
    }
    // Skip an XML declaration, processing instructions, comments, doctypes.
    let mut xml = false;
    while b.starts_with(b"<?") || b.starts_with(b"<!") {
        xml = true;
        let close: &[u8] = if b.starts_with(b"<!--") { b"-->" } else { b">" };
        match b.windows(close.len()).position(|w| w == close) {
            Some(i) => b = trim_ws(&b[i + close.len()..]),
            None => return Kind::OtherXml,
        }
    }
    let low: Vec<u8> = b.iter().take(16).map(u8::to_ascii_lowercase).collect();
    if low.starts_with(b"<rss") || low.starts_with(b"<feed") || low.starts_with(b"<rdf:rdf") {
        Kind::Feed
    } else if low.starts_with(b"<html") {
        Kind::Html
    } else if xml {
        Kind::OtherXml
    } else {
        Kind::Text
    }
}

fn trim_ws(b: &[u8]) -> &[u8] {
    let i = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[i..]
}

/// Opens an input as a buffered stream, undoing gzip when the name ends in
/// `.gz` or the bytes start with gzip's magic number.
fn open(input: &Input) -> std::io::Result<Box<dyn BufRead>> {
    let (raw, gz_name): (Box<dyn Read>, bool) = match input {
        Input::File(p) => (Box::new(std::fs::File::open(p)?), is_gzip_name(p)),
        _ => (Box::new(std::io::stdin()), false),
    };
    buffered(raw, gz_name)
}

fn buffered(raw: Box<dyn Read>, gz_name: bool) -> std::io::Result<Box<dyn BufRead>> {
    let mut r = BufReader::with_capacity(1 << 16, raw);
    let gz = gz_name || r.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(r),
        ))
    } else {
        Box::new(r)
    })
}

/// Fills the buffer until it holds `n` bytes or the stream ends.
fn peek(r: &mut dyn BufRead, n: usize) -> std::io::Result<Vec<u8>> {
    let buf = r.fill_buf()?;
    Ok(buf[..buf.len().min(n)].to_vec())
}

fn read_error(e: std::io::Error, gz: bool) -> String {
    if gz
        || e.kind() == std::io::ErrorKind::InvalidInput
        || e.kind() == std::io::ErrorKind::InvalidData
    {
        format!("cannot decompress gzip: {e}")
    } else {
        format!("cannot read: {e}")
    }
}

/// Reads one input, calling `sink` for every document or set-aside record.
/// WARC archives are streamed record by record; other inputs are read
/// whole. A URL is fetched with a conditional GET (validators cached as
/// [`fetch::FetchCache::from_env`] says): unchanged since the last run, it
/// yields nothing.
pub fn read_input(input: &Input, sink: &mut dyn FnMut(Result<RawDoc, SetAside>)) {
    let mut cache = fetch::FetchCache::from_env();
    read_input_with(input, &mut cache, sink);
    if matches!(input, Input::Url(_)) {
        if let Err(e) = cache.save() {
            eprintln!("muster: cannot save the fetch cache: {e}");
        }
    }
}

/// [`read_input`] with the caller's fetch cache, which the caller saves
/// once what was read is safely stored: validators saved before that
/// would make the next poll answer `304` for items never stored.
pub fn read_input_with(
    input: &Input,
    cache: &mut fetch::FetchCache,
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let name = input.name();
    let (stem, ext_kind, gz_name) = match input {
        Input::Url(u) => {
            read_url(u, cache, sink);
            return;
        }
        Input::Stdin => ("stdin".to_string(), None, false),
        Input::File(p) => (
            Path::new(name_without_gz(p))
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            kind_of_ext(p),
            is_gzip_name(p),
        ),
    };
    match open(input) {
        Ok(r) => read_stream(&name, &stem, ext_kind, gz_name, r, sink),
        Err(e) => sink(Err(SetAside {
            source: name,
            reason: read_error(e, false),
        })),
    }
}

/// A feed item replaced by the page it links to (`--follow`): the page's
/// main content, title and date (the item's when the page gives none),
/// keeping the item's id and provenance. The page is fetched without
/// conditional GET (an item is followed once; stored items are skipped
/// before this). A page that cannot be fetched or is not an article is
/// set aside with the reason; the caller may keep the item's own text.
pub fn follow_link(item: &RawDoc) -> Result<RawDoc, SetAside> {
    let Some(url) = item
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    else {
        return Err(SetAside {
            source: item.source.clone(),
            reason: "feed item without a web link to follow".into(),
        });
    };
    let bytes = match fetch::fetch(url, &mut fetch::FetchCache::default()) {
        Ok(fetch::Fetched::Body { bytes, .. }) => bytes,
        Ok(fetch::Fetched::NotModified) => {
            return Err(SetAside {
                source: url.to_string(),
                reason: "linked page answered 304 to an unconditional request".into(),
            })
        }
        Err(reason) => {
            return Err(SetAside {
                source: url.to_string(),
                reason,
            })
        }
    };
    let page = html_doc(url, &item.id, &bytes, Some(url))?;
    Ok(RawDoc {
        url: Some(url.to_string()),
        title: page.title.or_else(|| item.title.clone()),
        date: page.date.or_else(|| item.date.clone()),
        lang: page.lang.or_else(|| item.lang.clone()),
        provenance: item.provenance.clone(),
        source: item.source.clone(),
        ..page
    })
}

/// Fetches `url` (conditionally) and reads what came back like a file.
pub fn read_url(
    url: &str,
    cache: &mut fetch::FetchCache,
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let (bytes, content_type) = match fetch::fetch(url, cache) {
        Ok(fetch::Fetched::NotModified) => return,
        Ok(fetch::Fetched::Body {
            bytes,
            content_type,
        }) => (bytes, content_type),
        Err(reason) => {
            return sink(Err(SetAside {
                source: url.to_string(),
                reason,
            }))
        }
    };
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let as_path = Path::new(last);
    let stem = Path::new(name_without_gz(as_path))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && !s.contains(':'))
        .unwrap_or_else(|| "url".to_string());
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    let kind = kind_of_ext(as_path).or(if ct.contains("html") {
        Some(Kind::Html)
    } else if ct.contains("rss") || ct.contains("atom") {
        Some(Kind::Feed)
    } else {
        None
    });
    match buffered(Box::new(std::io::Cursor::new(bytes)), false) {
        Ok(r) => read_stream(url, &stem, kind, false, r, sink),
        Err(e) => sink(Err(SetAside {
            source: url.to_string(),
            reason: read_error(e, false),
        })),
    }
}

/// Reads an opened stream of the given kind (`None`: sniffed).
fn read_stream(
    name: &str,
    stem: &str,
    kind: Option<Kind>,
    gz_name: bool,
    mut r: Box<dyn BufRead>,
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let fail = |sink: &mut dyn FnMut(Result<RawDoc, SetAside>), reason: String| {
        sink(Err(SetAside {
            source: name.to_string(),
            reason,
        }))
    };
    let head = match peek(&mut *r, 512) {
        Ok(h) => h,
        Err(e) => return fail(sink, read_error(e, gz_name)),
    };
    let kind = kind.unwrap_or_else(|| sniff(&head));
    if kind == Kind::Warc {
        return warc::read_warc(name, stem, r, sink);
    }
    let mut bytes = Vec::new();
    if let Err(e) = r.read_to_end(&mut bytes) {
        return fail(sink, read_error(e, gz_name));
    }
    match kind {
        Kind::Jsonl => read_jsonl(name, stem, &bytes, sink),
        Kind::Feed => feed::read_feed(name, stem, &bytes, sink),
        Kind::OtherXml => fail(sink, "XML that is not an RSS or Atom feed".into()),
        Kind::Html => sink(text_doc(name, stem, &bytes, true)),
        Kind::Text | Kind::Warc => sink(text_doc(name, stem, &bytes, false)),
    }
}

/// Checks that bytes are a readable text document and makes a [`RawDoc`].
/// HTML goes through main-content extraction: the article text, and the
/// title, date and language the page declares.
pub fn text_doc(source: &str, id: &str, bytes: &[u8], html: bool) -> Result<RawDoc, SetAside> {
    let set_aside = |reason: &str| SetAside {
        source: source.to_string(),
        reason: reason.to_string(),
    };
    if html {
        return html_doc(source, id, bytes, None);
    }
    if bytes.contains(&0) {
        return Err(set_aside("binary file (contains NUL bytes)"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{FEFF}'),
        Err(e) => {
            return Err(set_aside(&format!(
                "invalid UTF-8 at byte {}",
                e.valid_up_to()
            )))
        }
    };
    if text.trim().is_empty() {
        return Err(set_aside("empty document"));
    }
    Ok(RawDoc {
        id: id.to_string(),
        source: source.to_string(),
        text: text.to_string(),
        ..Default::default()
    })
}

/// An HTML page → its article as a [`RawDoc`]; a page that is not an
/// article (no body text, an index page, a video page) is set aside with
/// the reason.
/// `url` (the page's address, when known) helps with the date and the
/// encoding.
pub fn html_doc(
    source: &str,
    id: &str,
    bytes: &[u8],
    url: Option<&str>,
) -> Result<RawDoc, SetAside> {
    let set_aside = |reason: String| SetAside {
        source: source.to_string(),
        reason,
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && bytes.contains(&0) {
        return Err(set_aside("binary file (contains NUL bytes)".into()));
    }
    let doc = muster_html::extract(bytes, url);
    if let muster_html::DocKind::NotArticle(why) = doc.kind {
        return Err(set_aside(format!("not an article: {}", why.as_str())));
    }
    Ok(RawDoc {
        id: id.to_string(),
        source: source.to_string(),
        text: doc.text,
        title: doc.title,
        url: None,
        date: doc.pub_date,
        lang: doc.lang_hint,
        provenance: None,
    })
}

fn read_jsonl(
    name: &str,
    stem: &str,
    bytes: &[u8],
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let mut n_docs = 0usize;
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let lineno = i + 1;
        let src = format!("{name}:{lineno}");
        let set_aside = |reason: String| SetAside {
            source: src.clone(),
            reason,
        };
        let Ok(line) = std::str::from_utf8(line) else {
            sink(Err(set_aside("invalid UTF-8".into())));
            continue;
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let art: JsonArticle = match serde_json::from_str(line) {
            Ok(a) => a,
            Err(e) => {
                sink(Err(set_aside(format!("malformed JSON line: {e}"))));
                continue;
            }
        };
        let Some(text) = art.text.filter(|t| !t.trim().is_empty()) else {
            sink(Err(set_aside("JSON line has no `text`".into())));
            continue;
        };
        n_docs += 1;
        let id = match art.id {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{stem}-{lineno}"),
        };
        sink(Ok(RawDoc {
            id,
            source: src,
            text,
            title: art.title,
            url: art.url,
            date: art.date,
            lang: art.lang,
            provenance: None,
        }));
    }
    if n_docs == 0 && bytes.iter().all(|b| b.is_ascii_whitespace()) {
        sink(Err(SetAside {
            source: name.to_string(),
            reason: "empty document".into(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &Input) -> (Vec<RawDoc>, Vec<SetAside>) {
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        read_input(input, &mut |r| match r {
            Ok(d) => ok.push(d),
            Err(s) => bad.push(s),
        });
        (ok, bad)
    }

    #[test]
    fn bad_inputs_are_set_aside_with_reasons() {
        assert!(text_doc("x", "x", b"a\0b", false)
            .unwrap_err()
            .reason
            .contains("binary"));
        assert!(text_doc("x", "x", &[0xff, 0xfe, 0x41], false)
            .unwrap_err()
            .reason
            .contains("UTF-8"));
        assert!(text_doc("x", "x", b"  \n ", false)
            .unwrap_err()
            .reason
            .contains("empty"));
        assert_eq!(
            text_doc("x", "id", b"\xEF\xBB\xBFhello", false)
                .unwrap()
                .text,
            "hello"
        );
    }

    #[test]
    fn jsonl_lines_become_documents_and_bad_lines_are_set_aside() {
        let dir = tempdir();
        let p = dir.join("dump.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"text\":\"one\",\"date\":\"2024-07-08\"}\n{broken\n\n{\"text\":\"two\",\"lang\":\"fr\"}\n{\"title\":\"no text\"}\n",
        )
        .unwrap();
        let (ok, bad) = collect(&Input::File(p));
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].id, "a");
        assert_eq!(ok[0].date.as_deref(), Some("2024-07-08"));
        assert_eq!(ok[1].id, "dump-4");
        assert_eq!(ok[1].lang.as_deref(), Some("fr"));
        assert_eq!(bad.len(), 2);
        assert!(bad[0].source.ends_with(":2") && bad[0].reason.contains("malformed"));
        assert!(bad[1].reason.contains("no `text`"));
    }

    #[test]
    fn folders_are_walked_sorted_and_missing_paths_set_aside() {
        let dir = tempdir();
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.join("a.txt"), "a").unwrap();
        std::fs::write(dir.join("skip.png"), "x").unwrap();
        let (inputs, bad) = expand(&[dir.display().to_string(), "/no/such/file.txt".into()]);
        let names: Vec<String> = inputs.iter().map(|i| i.name()).collect();
        assert_eq!(names.len(), 2);
        assert!(names[0].ends_with("a.txt") && names[1].ends_with("b.txt"));
        assert_eq!(bad.len(), 1);
        let (g, _) = expand(&[format!("{}/*.txt", dir.display())]);
        assert_eq!(g.len(), 1);
    }

    const PAGE: &str = "<html lang=fr><head><title>Exercice naval</title>\
        <meta property=article:published_time content=2024-05-06></head><body>\
        <nav><a href=/>Accueil</a></nav><article><h1>Exercice naval</h1>\
        <p>Des frégates ont quitté le port lundi, et les équipages se sont entraînés toute la semaine au ravitaillement en mer.</p>\
        <p>La défense aérienne et le sauvetage en mer étaient aussi au programme de ces journées.</p></article></body></html>";

    #[test]
    fn html_pages_give_article_text_and_metadata() {
        let raw = text_doc("p.html", "p", PAGE.as_bytes(), true).unwrap();
        assert!(raw
            .text
            .starts_with("Des frégates ont quitté le port lundi"));
        assert!(!raw.text.contains("Accueil"));
        assert_eq!(raw.title.as_deref(), Some("Exercice naval"));
        assert_eq!(raw.date.as_deref(), Some("2024-05-06"));
        assert_eq!(raw.lang.as_deref(), Some("fr"));
        let empty = text_doc("e.html", "e", b"<html><body></body></html>", true).unwrap_err();
        assert!(empty.reason.contains("empty body"), "{}", empty.reason);
    }

    #[test]
    fn gzipped_html_is_read_and_named_without_gz() {
        use std::io::Write;
        let dir = tempdir();
        let p = dir.join("page-1.html.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(PAGE.as_bytes()).unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        std::fs::write(dir.join("broken.txt.gz"), b"not gzip").unwrap();
        let (inputs, _) = expand(&[dir.display().to_string()]);
        assert_eq!(inputs.len(), 2);
        let (ok, bad) = collect(&inputs[1]);
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].id, "page-1");
        assert_eq!(ok[0].lang.as_deref(), Some("fr"));
        let (_, bad0) = collect(&inputs[0]);
        assert!(bad.is_empty() && bad0[0].reason.contains("gzip"));
    }

    #[test]
    fn stdin_html_is_recognised() {
        assert!(looks_like_html(b"\n<!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML>"));
        assert!(!looks_like_html(b"Plain text about <html> tags"));
    }

    fn tempdir() -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "muster-ingest-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
