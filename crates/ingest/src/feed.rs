//! RSS, Atom (and JSON Feed) files, read with `feed-rs`: each item is a
//! document made of its own title and text (HTML markup stripped), with
//! the item's link as url and its publication date.

use muster_core::{Provenance, RawDoc, SetAside};
use muster_html::fragment_text;

/// Reads a feed, sending a document per item (a set-aside for an item
/// without text, or for a feed that does not parse).
pub fn read_feed(
    name: &str,
    stem: &str,
    bytes: &[u8],
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            sink(Err(SetAside {
                source: name.to_string(),
                reason: format!("not a readable RSS or Atom feed: {e}"),
            }));
            return;
        }
    };
    let feed_lang = feed.language.as_deref().and_then(lang_code);
    if feed.entries.is_empty() {
        sink(Err(SetAside {
            source: name.to_string(),
            reason: "feed without items".into(),
        }));
    }
    for (i, e) in feed.entries.iter().enumerate() {
        let n = i + 1;
        let url = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(e.links.first())
            .map(|l| l.href.clone());
        let title = e
            .title
            .as_ref()
            .map(|t| fragment_text(&t.content))
            .filter(|t| !t.is_empty());
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .filter(|b| !b.trim().is_empty())
            .or(e.summary.as_ref().map(|s| s.content.as_str()))
            .map(fragment_text)
            .unwrap_or_default();
        let source = url.clone().unwrap_or_else(|| format!("{name} item {n}"));
        if body.is_empty() && title.is_none() {
            sink(Err(SetAside {
                source,
                reason: "feed item without title or text".into(),
            }));
            continue;
        }
        let text = match &title {
            Some(t) if !body.is_empty() && !body.starts_with(t.as_str()) => {
                format!("{t}\n\n{body}")
            }
            Some(t) if body.is_empty() => t.clone(),
            _ => body,
        };
        sink(Ok(RawDoc {
            id: item_id(stem, &e.id, url.as_deref(), n),
            source,
            text,
            title,
            url,
            date: e
                .published
                .or(e.updated)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            lang: e
                .language
                .as_deref()
                .and_then(lang_code)
                .or(feed_lang.clone()),
            provenance: Some(Provenance {
                container: name.to_string(),
                record_id: Some(e.id.clone()).filter(|s| !s.is_empty()),
                fetched: None,
            }),
        }));
    }
}

/// A feed item's document id: the feed's stem and a hash of the item's own
/// id (its guid; else its link), so the same item keeps its id when a feed
/// is polled again and its position changed. Only an item with neither
/// falls back to its position.
fn item_id(stem: &str, guid: &str, link: Option<&str>, n: usize) -> String {
    let key = Some(guid.trim())
        .filter(|g| !g.is_empty())
        .or(link.map(str::trim).filter(|l| !l.is_empty()));
    match key {
        Some(k) => {
            // FNV-1a, 64 bits: stable across runs and platforms
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in k.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{stem}-{:012x}", h >> 16)
        }
        None => format!("{stem}-{n}"),
    }
}

/// `en-US` → `en`.
fn lang_code(l: &str) -> Option<String> {
    let c = l.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    (c.len() == 2 || c.len() == 3)
        .then_some(c)
        .filter(|c| c.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_lose_markup_and_keep_paragraphs() {
        assert_eq!(
            fragment_text("<p>Ships&nbsp;sailed &amp; <b>drilled</b>.</p><p>Then left.</p><script>x()</script>"),
            "Ships sailed & drilled.\n\nThen left."
        );
        assert_eq!(fragment_text("a < b and c"), "a < b and c");
        assert_eq!(lang_code("en-US").as_deref(), Some("en"));
    }

    #[test]
    fn item_ids_follow_the_item_not_its_position() {
        let a = item_id("feed", "urn:item:7", Some("https://x.org/a"), 1);
        assert_eq!(a, item_id("feed", "urn:item:7", Some("https://x.org/a"), 5));
        assert_ne!(a, item_id("feed", "urn:item:8", Some("https://x.org/a"), 1));
        assert_eq!(
            item_id("feed", "", Some("https://x.org/b"), 1),
            item_id("feed", " ", Some("https://x.org/b"), 9)
        );
        assert_eq!(item_id("feed", "", None, 3), "feed-3");
        assert!(a.starts_with("feed-") && a.len() == 17, "{a}");
    }
}
