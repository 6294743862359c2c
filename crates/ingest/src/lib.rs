//! Sources: where documents come from.
//!
//! [`expand`] turns command-line inputs (files, folders, globs, `-`) into a
//! sorted list of [`Input`]s; [`read_input`] reads one of them and yields
//! [`RawDoc`]s or [`SetAside`]s (a bad document never stops a run).
//! Plain text, JSON Lines article dumps (`.jsonl`, `.ndjson`) and HTML
//! pages (main content and metadata by `muster-html`) are understood here;
//! any of them may be gzipped (`.gz`).

use muster_core::{RawDoc, SetAside};
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// File extensions read when walking a folder (also with `.gz` after them).
pub const TEXT_EXTS: &[&str] = &["txt", "text", "jsonl", "ndjson", "html", "htm"];

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

/// Reads a whole gzip stream (several members allowed).
fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Standard input that starts like an HTML page.
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

/// Reads one input, calling `sink` for every document or set-aside record.
pub fn read_input(input: &Input, sink: &mut dyn FnMut(Result<RawDoc, SetAside>)) {
    let name = input.name();
    let bytes = match input {
        Input::Stdin => {
            let mut b = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                sink(Err(SetAside {
                    source: name,
                    reason: format!("cannot read stdin: {e}"),
                }));
                return;
            }
            b
        }
        Input::File(p) => match std::fs::read(p) {
            Ok(b) if is_gzip_name(p) => match gunzip(&b) {
                Ok(b) => b,
                Err(e) => {
                    sink(Err(SetAside {
                        source: name,
                        reason: format!("cannot decompress gzip: {e}"),
                    }));
                    return;
                }
            },
            Ok(b) => b,
            Err(e) => {
                sink(Err(SetAside {
                    source: name,
                    reason: format!("cannot read: {e}"),
                }));
                return;
            }
        },
    };
    let stem = match input {
        Input::Stdin => "stdin".to_string(),
        Input::File(p) => Path::new(name_without_gz(p))
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let is_jsonl = match input {
        Input::File(p) => has_ext(p, &["jsonl", "ndjson"]),
        Input::Stdin => bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'),
    };
    let is_html = match input {
        Input::File(p) => has_ext(p, &["html", "htm"]),
        Input::Stdin => looks_like_html(&bytes),
    };
    if is_jsonl {
        read_jsonl(&name, &stem, &bytes, sink);
    } else {
        sink(text_doc(&name, &stem, &bytes, is_html));
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
        return html_doc(source, id, bytes);
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
pub fn html_doc(source: &str, id: &str, bytes: &[u8]) -> Result<RawDoc, SetAside> {
    let set_aside = |reason: String| SetAside {
        source: source.to_string(),
        reason,
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && bytes.contains(&0) {
        return Err(set_aside("binary file (contains NUL bytes)".into()));
    }
    let doc = muster_html::extract(bytes, None);
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
