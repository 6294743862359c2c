//! Page metadata: title, publication date (with where it came from), site
//! name, author and language, from `<meta>` tags, JSON-LD, `<time>` and the
//! URL.

use crate::dom::{Dom, NodeData, NodeId};
use serde_json::Value;

/// Where the publication date was read. Sources are tried in this order,
/// the most trustworthy first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    MetaTag,
    JsonLd,
    TimeElement,
    Url,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::MetaTag => "meta",
            DateSource::JsonLd => "json-ld",
            DateSource::TimeElement => "time",
            DateSource::Url => "url",
        }
    }
}

/// `<meta>` names and properties that hold the publication date, best first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "pubdate",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "citation_publication_date",
    "og:published_time",
    "article:modified_time",
];

/// What `<meta>` tags and JSON-LD blocks say, gathered in one pass.
#[derive(Debug, Default)]
pub struct PageMeta {
    /// (name or property or itemprop in lower case, content), in page order.
    pub tags: Vec<(String, String)>,
    /// Every JSON-LD object (arrays and `@graph` flattened).
    pub json_ld: Vec<Value>,
    pub html_lang: Option<String>,
    pub title_tag: Option<String>,
}

impl PageMeta {
    pub fn read(dom: &Dom) -> PageMeta {
        let mut m = PageMeta::default();
        for id in 0..dom.nodes.len() {
            let NodeData::Element(e) = &dom.nodes[id].data else {
                continue;
            };
            match e.tag.as_str() {
                "meta" => {
                    let key = e
                        .attr("property")
                        .or_else(|| e.attr("name"))
                        .or_else(|| e.attr("itemprop"))
                        .or_else(|| e.attr("http-equiv"));
                    if let (Some(k), Some(v)) = (key, e.attr("content")) {
                        let v = v.trim();
                        if !v.is_empty() {
                            m.tags.push((k.trim().to_ascii_lowercase(), v.to_string()));
                        }
                    }
                }
                "script" => {
                    let ld = e
                        .attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                    if ld {
                        let raw = dom.raw_text(id);
                        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                            flatten_json_ld(v, &mut m.json_ld);
                        }
                    }
                }
                "html" if m.html_lang.is_none() => {
                    m.html_lang = e
                        .attr("lang")
                        .or_else(|| e.attr("xml:lang"))
                        .map(str::to_string);
                }
                "title" if m.title_tag.is_none() => {
                    m.title_tag = Some(collapse_ws(&dom.raw_text(id)));
                }
                _ => {}
            }
        }
        m
    }

    /// The first non-empty content of a `<meta>` with this key.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// JSON-LD objects that describe an article (NewsArticle, BlogPosting…).
    pub fn ld_articles(&self) -> impl Iterator<Item = &Value> {
        self.json_ld
            .iter()
            .filter(|v| ld_types(v).iter().any(|t| is_article_type(t)))
    }

    /// Every JSON-LD `@type` on the page.
    pub fn ld_types(&self) -> Vec<String> {
        self.json_ld.iter().flat_map(ld_types).collect()
    }
}

fn flatten_json_ld(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => {
            for i in items {
                flatten_json_ld(i, out);
            }
        }
        Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten_json_ld(g, out);
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

fn ld_types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

pub fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || matches!(t, "BlogPosting" | "Report" | "LiveBlogPosting")
}

/// The text of a JSON-LD value that may be a string, an object with a
/// `name`, or a list of either.
fn ld_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(o) => o.get("name").and_then(ld_name),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(ld_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headline: Open Graph, then JSON-LD, then Twitter, then the first
/// `<h1>`, then `<title>`.
pub fn title(m: &PageMeta, dom: &Dom) -> Option<String> {
    let clean = |s: &str| Some(collapse_ws(s)).filter(|s| !s.is_empty());
    m.tag("og:title")
        .and_then(clean)
        .or_else(|| {
            m.ld_articles()
                .find_map(|a| a.get("headline").and_then(ld_name))
        })
        .or_else(|| m.tag("twitter:title").and_then(clean))
        .or_else(|| {
            dom.find_all("h1")
                .map(|h| collapse_ws(&dom.raw_text(h)))
                .find(|t| !t.is_empty())
        })
        .or_else(|| m.title_tag.as_deref().and_then(clean))
}

pub fn site_name(m: &PageMeta) -> Option<String> {
    m.tag("og:site_name")
        .map(collapse_ws)
        .or_else(|| {
            m.ld_articles()
                .find_map(|a| a.get("publisher").and_then(ld_name))
        })
        .or_else(|| m.tag("application-name").map(collapse_ws))
        .filter(|s| !s.is_empty())
}

pub fn author(m: &PageMeta) -> Option<String> {
    let not_url = |s: &&str| !s.starts_with("http");
    m.ld_articles()
        .find_map(|a| a.get("author").and_then(ld_name))
        .or_else(|| m.tag("author").filter(not_url).map(collapse_ws))
        .or_else(|| m.tag("article:author").filter(not_url).map(collapse_ws))
        .or_else(|| {
            m.tag("byl")
                .map(|b| collapse_ws(b.trim_start_matches("By ").trim_start_matches("by ")))
        })
        .filter(|s| !s.is_empty())
}

/// The page's language as an ISO 639 code: `<html lang>`, then
/// `content-language`, then `og:locale`, then JSON-LD `inLanguage`.
pub fn lang_hint(m: &PageMeta) -> Option<String> {
    let primary = |s: &str| {
        let p = s
            .split([',', ';'])
            .next()
            .unwrap_or("")
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        ((2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())).then_some(p)
    };
    m.html_lang
        .as_deref()
        .and_then(primary)
        .or_else(|| m.tag("content-language").and_then(primary))
        .or_else(|| m.tag("language").and_then(primary))
        .or_else(|| m.tag("og:locale").and_then(primary))
        .or_else(|| {
            m.ld_articles().find_map(|a| {
                a.get("inLanguage")
                    .and_then(|v| v.as_str())
                    .and_then(primary)
            })
        })
}

/// The publication date and where it came from, trying meta tags, then
/// JSON-LD, then `<time>` elements, then the URL.
pub fn pub_date(m: &PageMeta, dom: &Dom, url: Option<&str>) -> Option<(String, DateSource)> {
    DATE_META
        .iter()
        .find_map(|k| m.tag(k).and_then(normalize_date))
        .map(|d| (d, DateSource::MetaTag))
        .or_else(|| {
            m.ld_articles()
                .chain(m.json_ld.iter())
                .find_map(|a| {
                    a.get("datePublished")
                        .and_then(Value::as_str)
                        .and_then(normalize_date)
                })
                .map(|d| (d, DateSource::JsonLd))
        })
        .or_else(|| time_element_date(dom).map(|d| (d, DateSource::TimeElement)))
        .or_else(|| url.and_then(date_in_url).map(|d| (d, DateSource::Url)))
}

/// The first `<time datetime>` marked as the publication time
/// (`pubdate`, `itemprop=datePublished`), else the first one at all.
fn time_element_date(dom: &Dom) -> Option<String> {
    let times: Vec<NodeId> = dom.find_all("time").collect();
    let marked = times.iter().find(|&&t| {
        dom.attr(t, "pubdate").is_some()
            || dom
                .attr(t, "itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datepublished"))
    });
    marked
        .into_iter()
        .chain(times.iter())
        .find_map(|&t| dom.attr(t, "datetime").and_then(normalize_date))
}

pub use muster_core::url_date::date_in_url;
use muster_core::url_date::{number, ymd};

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// ISO 8601 from what metadata writes: `2019-11-19`, `2019-11-19T08:00:00Z`,
/// `2019/11/19 08:00`, `20191119`, `Tue, 19 Nov 2019 08:00:00 GMT`,
/// `November 19, 2019`. The time is kept when given; anything else is None.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        s.get(r.clone())
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<u32>().ok())
    };
    let (date, rest) = if b.len() >= 10 && matches!(b[4], b'-' | b'/' | b'.') && b[7] == b[4] {
        (ymd(digits(0..4)?, digits(5..7)?, digits(8..10)?)?, &s[10..])
    } else if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        (ymd(digits(0..4)?, digits(4..6)?, digits(6..8)?)?, &s[8..])
    } else {
        return english_date(s);
    };
    Some(match time_part(rest) {
        Some(t) => format!("{date}T{t}"),
        None => date,
    })
}

/// `T08:00`, ` 08:00:00Z`, `T08:00:00.000+05:30` → `08:00:00`, `08:00:00Z`,
/// `08:00:00+05:30`.
fn time_part(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix(['T', ' '])?;
    let b = rest.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let hh: u32 = rest.get(0..2)?.parse().ok()?;
    let mm: u32 = rest.get(3..5)?.parse().ok()?;
    let mut i = 5;
    let mut ss = 0;
    if b.len() >= 8 && b[5] == b':' {
        ss = rest.get(6..8)?.parse().ok()?;
        i = 8;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    let zone = rest[i..].trim();
    let zone =
        if zone == "Z" || zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt") {
            "Z".to_string()
        } else if let Some(z) = zone.strip_prefix(['+', '-']) {
            let sign = &zone[..1];
            let z: String = z.chars().filter(|c| c.is_ascii_digit()).collect();
            if z.len() == 4 {
                format!("{sign}{}:{}", &z[..2], &z[2..])
            } else {
                String::new()
            }
        } else {
            String::new()
        };
    Some(format!("{hh:02}:{mm:02}:{ss:02}{zone}"))
}

/// `Tue, 19 Nov 2019 …`, `19 November 2019`, `November 19, 2019`.
fn english_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(5)
        .collect();
    let month = |w: &str| {
        let w = w.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && w.starts_with(m))
            .map(|p| p as u32 + 1)
    };
    let (mut y, mut m, mut d) = (None, None, None);
    for w in words {
        if let Some(n) = number(w, 4) {
            y = y.or(Some(n));
        } else if let Some(n) = w.parse::<u32>().ok().filter(|_| w.len() <= 2) {
            d = d.or(Some(n));
        } else if let Some(n) = month(w) {
            m = m.or(Some(n));
        }
    }
    ymd(y?, m?, d?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    fn meta_of(html: &str) -> (PageMeta, Dom) {
        let dom = parse(html);
        (PageMeta::read(&dom), dom)
    }

    #[test]
    fn dates_are_normalized_to_iso() {
        assert_eq!(normalize_date("2019-11-19").as_deref(), Some("2019-11-19"));
        assert_eq!(
            normalize_date("2019-11-19T08:05:00.000Z").as_deref(),
            Some("2019-11-19T08:05:00Z")
        );
        assert_eq!(
            normalize_date("2019/11/19 08:05 +0530").as_deref(),
            Some("2019-11-19T08:05:00+05:30")
        );
        assert_eq!(normalize_date("20191119").as_deref(), Some("2019-11-19"));
        assert_eq!(
            normalize_date("Tue, 19 Nov 2019 08:00:00 GMT").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            normalize_date("November 19, 2019").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date("2019-13-40"), None);
    }

    #[test]
    fn date_sources_are_trusted_in_order() {
        let url = Some("https://news.example/2020/01/02/drill.html");
        let full = r#"<html><head><meta property="article:published_time" content="2020-01-05T10:00:00Z">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-01-04"}</script></head>
            <body><time datetime="2020-01-03">3 Jan</time></body></html>"#;
        let (m, dom) = meta_of(full);
        assert_eq!(
            pub_date(&m, &dom, url),
            Some(("2020-01-05T10:00:00Z".into(), DateSource::MetaTag))
        );
        let (m, dom) = meta_of(&full.replace("article:published_time", "og:description"));
        assert_eq!(
            pub_date(&m, &dom, url),
            Some(("2020-01-04".into(), DateSource::JsonLd))
        );
        let (m, dom) = meta_of("<body><time datetime='2020-01-03'>x</time></body>");
        assert_eq!(
            pub_date(&m, &dom, url),
            Some(("2020-01-03".into(), DateSource::TimeElement))
        );
        let (m, dom) = meta_of("<body><p>x</p></body>");
        assert_eq!(
            pub_date(&m, &dom, url),
            Some(("2020-01-02".into(), DateSource::Url))
        );
        assert_eq!(pub_date(&m, &dom, None), None);
    }

    #[test]
    fn json_ld_graph_gives_author_site_and_headline() {
        let (m, dom) = meta_of(
            r#"<html lang="uk-UA"><head><title>Drill | Site</title><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"W"},
             {"@type":["NewsArticle"],"headline":"Fleet drill","author":[{"@type":"Person","name":"A. Writer"},{"name":"B. Writer"}],
              "publisher":{"@type":"Organization","name":"Harbour Herald"}}]}</script></head></html>"#,
        );
        assert_eq!(title(&m, &dom).as_deref(), Some("Fleet drill"));
        assert_eq!(author(&m).as_deref(), Some("A. Writer, B. Writer"));
        assert_eq!(site_name(&m).as_deref(), Some("Harbour Herald"));
        assert_eq!(lang_hint(&m).as_deref(), Some("uk"));
    }

    #[test]
    fn meta_tags_give_title_site_author_and_language() {
        let (m, dom) = meta_of(
            r#"<head><meta property="og:title" content=" Joint  patrol "><meta property="og:site_name" content="Coast Daily">
            <meta name="author" content="C. Reporter"><meta http-equiv="content-language" content="fr-FR"></head>"#,
        );
        assert_eq!(title(&m, &dom).as_deref(), Some("Joint patrol"));
        assert_eq!(site_name(&m).as_deref(), Some("Coast Daily"));
        assert_eq!(author(&m).as_deref(), Some("C. Reporter"));
        assert_eq!(lang_hint(&m).as_deref(), Some("fr"));
        let (m, dom) = meta_of("<title> Only &amp; title </title><h1></h1>");
        assert_eq!(title(&m, &dom).as_deref(), Some("Only & title"));
    }
}
