//! Main-content extraction from news pages.
//!
//! [`extract`] turns the bytes of a page into an [`HtmlDoc`]: the article
//! text with its paragraph structure, and the metadata a news pipeline
//! needs (title, publication date and where it came from, site, author,
//! language), plus a verdict on whether the page is an article at all.
//!
//! Stages, one module each: `encoding` (bytes → text), `dom` (a forgiving
//! tree builder), `meta` (metadata), `content` (pruning furniture, scoring
//! containers, choosing the body), `text` (rendering), and `kind` below.

mod content;
mod dom;
mod encoding;
mod entities;
mod meta;
mod text;

pub use encoding::{declared_encoding, decode_page, EncodingSource};
pub use entities::decode_entities;
pub use meta::{date_in_url, normalize_date, DateSource};

use dom::Dom;
use meta::PageMeta;

/// What a page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    Article,
    NotArticle(NotArticle),
}

/// Why a page is not an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotArticle {
    /// A section front, tag page or home page: many links, little prose.
    IndexPage,
    /// A page built around a video with little text.
    VideoPage,
    /// No body text found.
    EmptyBody,
}

impl NotArticle {
    pub fn as_str(self) -> &'static str {
        match self {
            NotArticle::IndexPage => "index page",
            NotArticle::VideoPage => "video page",
            NotArticle::EmptyBody => "empty body",
        }
    }
}

/// What [`extract`] found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlDoc {
    pub title: Option<String>,
    /// ISO 8601: `YYYY-MM-DD`, or with a time (`YYYY-MM-DDTHH:MM:SS[zone]`).
    pub pub_date: Option<String>,
    pub date_source: Option<DateSource>,
    pub site_name: Option<String>,
    pub author: Option<String>,
    /// ISO 639 code from `<html lang>`, `content-language` or `og:locale`.
    pub lang_hint: Option<String>,
    /// The article body: paragraphs separated by a blank line, headings and
    /// list items on lines of their own.
    pub text: String,
    pub kind: DocKind,
    /// The encoding the page was read in.
    pub encoding: &'static str,
}

/// Reads a page. `url` helps with the date (a date in the path) and with
/// guessing an undeclared encoding (the top-level domain).
pub fn extract(bytes: &[u8], url: Option<&str>) -> HtmlDoc {
    let (html, encoding, _) = decode_page(bytes, url);
    extract_str(&html, url, encoding)
}

/// The text of an HTML fragment (a feed item's description): the whole
/// fragment rendered like an article body, without choosing a container.
pub fn fragment_text(html: &str) -> String {
    let dom = dom::parse(html);
    let facts = content::facts(&dom);
    text::render(&dom, &facts, &[dom::ROOT])
}

/// [`extract`] for a page already decoded.
pub fn extract_str(html: &str, url: Option<&str>, encoding: &'static str) -> HtmlDoc {
    let dom = dom::parse(html);
    let m = PageMeta::read(&dom);
    let facts = content::facts(&dom);
    let roots = content::choose(&dom, &facts);
    let text = text::render(&dom, &facts, &roots);
    let url = url.or_else(|| m.tag("og:url"));
    let (pub_date, date_source) = match meta::pub_date(&m, &dom, url) {
        Some((d, s)) => (Some(d), Some(s)),
        None => (None, None),
    };
    let kind = kind(&dom, &m, &facts, &text, url);
    HtmlDoc {
        title: meta::title(&m, &dom),
        pub_date,
        date_source,
        site_name: meta::site_name(&m),
        author: meta::author(&m),
        lang_hint: meta::lang_hint(&m),
        text,
        kind,
        encoding,
    }
}

/// Below this many non-space characters a page has no body to speak of.
const MIN_BODY_CHARS: usize = 100;
/// A video page's text is a caption-sized blurb at most.
const MAX_VIDEO_BLURB_CHARS: usize = 600;
/// An index page has fewer than this many prose paragraphs…
const MIN_ARTICLE_PARAGRAPHS: usize = 3;
/// …of at least this many characters…
const PROSE_PARAGRAPH_CHARS: u32 = 150;
/// …and most of its visible text in links…
const INDEX_LINK_DENSITY: f32 = 0.5;
/// …and no block of prose this long (a short story beside a big menu is
/// still a story).
const MAX_INDEX_PROSE_BLOCK: u32 = 400;

/// Article, or not and why. The page's own word (Open Graph type,
/// JSON-LD type) counts first; then the shape of the page.
fn kind(dom: &Dom, m: &PageMeta, f: &content::Facts, text: &str, url: Option<&str>) -> DocKind {
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    let og_type = m.tag("og:type").map(str::to_ascii_lowercase);
    let ld_types = m.ld_types();
    let says_article =
        og_type.as_deref() == Some("article") || ld_types.iter().any(|t| meta::is_article_type(t));
    let says_video = og_type.as_deref().is_some_and(|t| t.starts_with("video"))
        || ld_types.iter().any(|t| t == "VideoObject")
        || url.is_some_and(|u| u.contains("/video/") || u.contains("/videos/"));
    if says_video && !says_article && chars < MAX_VIDEO_BLURB_CHARS {
        return DocKind::NotArticle(NotArticle::VideoPage);
    }
    let says_index = ld_types.iter().any(|t| {
        matches!(
            t.as_str(),
            "CollectionPage" | "ItemList" | "SearchResultsPage"
        )
    });
    let prose: Vec<u32> = (1..dom.nodes.len())
        .filter(|&p| !f.dropped[p] && f.text_len[p] >= PROSE_PARAGRAPH_CHARS)
        .filter(|&p| f.link_density(p) < 0.3 && content::is_paragraph_like(dom, p))
        .map(|p| f.text_len[p])
        .collect();
    let little_prose = prose.len() < MIN_ARTICLE_PARAGRAPHS
        && prose.iter().all(|&len| len < MAX_INDEX_PROSE_BLOCK);
    let body = dom.find_all("body").next().unwrap_or(dom::ROOT);
    let link_heavy = f.link_density(body) > INDEX_LINK_DENSITY;
    if !says_article && (says_index || (little_prose && link_heavy)) {
        return DocKind::NotArticle(NotArticle::IndexPage);
    }
    if chars < MIN_BODY_CHARS {
        return DocKind::NotArticle(NotArticle::EmptyBody);
    }
    DocKind::Article
}

/// Development aid: which containers were chosen, and the ancestors of
/// the longest paragraph with their drop marks.
#[doc(hidden)]
pub fn debug_report(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let (html, _, _) = decode_page(bytes, None);
    let dom = dom::parse(&html);
    let f = content::facts(&dom);
    let roots = content::choose(&dom, &f);
    let mut out = String::new();
    let describe = |id: dom::NodeId| {
        format!(
            "{} class={:?} id={:?} len={} ld={:.2} dropped={}",
            dom.tag(id),
            dom.attr(id, "class").unwrap_or(""),
            dom.attr(id, "id").unwrap_or(""),
            f.text_len[id],
            f.link_density(id),
            f.dropped[id]
        )
    };
    for r in &roots {
        let _ = writeln!(out, "chosen: {}", describe(*r));
    }
    let longest = dom
        .find_all("p")
        .max_by_key(|&p| dom.raw_text(p).len())
        .unwrap_or(dom::ROOT);
    let _ = writeln!(out, "longest p: {}", describe(longest));
    for a in dom.ancestors(longest) {
        let _ = writeln!(out, "  < {}", describe(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "Two destroyers and a supply ship left the harbour on Monday, and the crews spent the week practising replenishment at sea, air defence and search and rescue.";

    fn article(extra_body: &str) -> String {
        format!(
            r##"<!doctype html><html lang="en"><head><meta charset="utf-8">
            <title>Fleet drill ends | Harbour Herald</title>
            <meta property="og:type" content="article"><meta property="og:site_name" content="Harbour Herald">
            <meta property="article:published_time" content="2024-06-03T09:30:00+02:00"></head>
            <body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
            <div class="cookie-banner">We use cookies. <button>Accept</button></div>
            <article><h1>Fleet drill ends</h1><div class="byline">By A. Writer</div>
            <div class="share-tools"><a href="#">Share</a></div>
            <div class="article-body"><p>{PROSE}</p>
            <figure><img src="x.jpg"><figcaption>A destroyer in port.</figcaption></figure>
            <h2>What comes next</h2><p>{PROSE}</p>{extra_body}
            <div class="paywall-prompt">Subscribe to keep reading.</div>
            <p>{PROSE}</p></div>
            <section id="comments"><h3>Comments</h3><p>First! This is a reader comment that is long enough to count as text.</p></section>
            </article>
            <aside class="related"><ul><li><a href="/a">Another story</a></li></ul></aside>
            <footer>© Harbour Herald</footer></body></html>"##
        )
    }

    #[test]
    fn an_article_page_gives_its_body_and_metadata() {
        let doc = extract(
            article("<ul><li>one point</li><li>another point</li></ul>").as_bytes(),
            None,
        );
        assert_eq!(
            doc.text,
            format!("{PROSE}\n\nWhat comes next\n\n{PROSE}\n\none point\nanother point\n\n{PROSE}")
        );
        assert_eq!(doc.kind, DocKind::Article);
        assert_eq!(doc.title.as_deref(), Some("Fleet drill ends"));
        assert_eq!(doc.pub_date.as_deref(), Some("2024-06-03T09:30:00+02:00"));
        assert_eq!(doc.date_source, Some(DateSource::MetaTag));
        assert_eq!(doc.site_name.as_deref(), Some("Harbour Herald"));
        assert_eq!(doc.lang_hint.as_deref(), Some("en"));
        assert_eq!(doc.encoding, "UTF-8");
    }

    #[test]
    fn an_empty_page_is_not_an_article() {
        let doc = extract(b"<html><body><div id=app></div></body></html>", None);
        assert_eq!(doc.kind, DocKind::NotArticle(NotArticle::EmptyBody));
    }

    #[test]
    fn a_section_front_is_an_index_page() {
        let items: String = (0..30)
            .map(|i| format!("<li><a href=/s{i}>Headline number {i} about the navy and its ships</a> <span>2h</span></li>"))
            .collect();
        let html = format!("<html><head><meta property=og:type content=website></head><body><ul>{items}</ul></body></html>");
        let doc = extract(html.as_bytes(), Some("https://news.example/world/"));
        assert_eq!(doc.kind, DocKind::NotArticle(NotArticle::IndexPage));
    }

    #[test]
    fn a_long_story_beside_a_big_menu_is_an_article() {
        let items: String = (0..60)
            .map(|i| {
                format!("<li><a href=/s{i}>Another headline about the navy and its ships</a></li>")
            })
            .collect();
        let story = PROSE.repeat(4);
        let html =
            format!("<html><body><ul>{items}</ul><div class=col>{story}</div></body></html>");
        let doc = extract(html.as_bytes(), None);
        assert_eq!(doc.kind, DocKind::Article);
        assert_eq!(doc.text, story);
    }

    #[test]
    fn a_video_page_with_a_blurb_is_a_video_page() {
        let html = format!(
            "<html><head><meta property=og:type content=video.other></head><body><div class=player></div><p>{PROSE}</p></body></html>"
        );
        let doc = extract(html.as_bytes(), None);
        assert_eq!(doc.kind, DocKind::NotArticle(NotArticle::VideoPage));
    }

    #[test]
    fn a_windows_1251_page_is_read() {
        let text = "Корабли флота вышли в море в понедельник, и экипажи всю неделю отрабатывали пополнение запасов, противовоздушную оборону и спасение на море.";
        let html = format!("<html><head><meta http-equiv=Content-Type content='text/html; charset=windows-1251'></head><body><p>{text}</p><p>{text}</p></body></html>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
        let doc = extract(&bytes, None);
        assert_eq!(doc.encoding, "windows-1251");
        assert_eq!(doc.text, format!("{text}\n\n{text}"));
    }
}
