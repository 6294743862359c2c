//! Finding the article body in a page.
//!
//! 1. **Prune**: elements that are never article text are marked dropped
//!    (each rule is a named function below: non-content tags, hidden
//!    elements, boilerplate roles, boilerplate class/id names).
//! 2. **Score**: every paragraph-like element with enough text gives points
//!    (more for length and commas) to its parent and, less, to the
//!    ancestors above; class/id names and tags nudge the score; link-heavy
//!    containers lose in proportion to their link density.
//! 3. **Choose**: the best container, widened by siblings that score well
//!    or read like paragraphs (articles split by ad slots).
//! 4. The text of the chosen nodes is rendered by `text.rs`, which skips
//!    dropped nodes and link lists.

use crate::dom::{Dom, NodeData, NodeId, ROOT};

/// Per-node facts computed once, bottom-up.
pub struct Facts {
    /// Non-space characters of text below the node.
    pub text_len: Vec<u32>,
    /// Of those, the ones inside links.
    pub link_len: Vec<u32>,
    /// Commas (any script) below the node.
    pub commas: Vec<u32>,
    /// Marked as never article text.
    pub dropped: Vec<bool>,
}

impl Facts {
    pub fn link_density(&self, id: NodeId) -> f32 {
        let t = self.text_len[id];
        if t == 0 {
            0.0
        } else {
            self.link_len[id] as f32 / t as f32
        }
    }
}

/// Tags whose content is never article text.
const NON_CONTENT_TAGS: &[&str] = &[
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "button",
    "select",
    "input",
    "textarea",
    "option",
    "nav",
    "aside",
    "footer",
    "figure",
    "figcaption",
    "dialog",
    "menu",
    "picture",
    "map",
    "math",
    "header",
];

/// ARIA roles of page furniture.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
    "toolbar",
    "alert",
    "tablist",
    "figure",
];

/// Class/id words (whole words after splitting on `-`, `_`, spaces and
/// case changes) that name page furniture rather than article text.
const BOILERPLATE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "advertising",
    "sponsor",
    "sponsored",
    "promo",
    "promotion",
    "banner",
    "share",
    "sharing",
    "sharebar",
    "social",
    "socials",
    "comment",
    "comments",
    "disqus",
    "related",
    "recommended",
    "recommendations",
    "recirc",
    "recirculation",
    "trending",
    "popular",
    "outbrain",
    "taboola",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "regwall",
    "prompt",
    "upsell",
    "piano",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "masthead",
    "header",
    "toolbar",
    "caption",
    "credit",
    "credits",
    "byline",
    "author",
    "dateline",
    "timestamp",
    "tags",
    "tag",
    "topics",
    "keywords",
    "modal",
    "popup",
    "overlay",
    "print",
    "skip",
    "widget",
    "rail",
    "more",
    "readmore",
    "bio",
    "meta",
    "jump",
    "embed",
    "video",
    "gallery",
    "slideshow",
    "audio",
    "podcast",
    "login",
    "donate",
    "contribute",
];

/// Class/id words that name the article text.
const CONTENT_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "story",
    "text",
    "blog",
    "prose",
    "copy",
    "richtext",
];

/// Class/id words worth a bonus when scoring (stronger than `CONTENT_WORDS`).
const STRONG_CONTENT_WORDS: &[&str] = &["articlebody", "storybody", "postbody", "entrycontent"];

/// Tags that hold paragraph text and give points to their ancestors.
const PARAGRAPH_TAGS: &[&str] = &["p", "pre", "td", "blockquote"];

/// Splits class and id values into lower-case words: `articleBody
/// share-bar` → `article`, `body`, `share`, `bar`; the whole lower-cased
/// token without separators is added too (`articlebody`, `sharebar`).
pub fn name_words(dom: &Dom, id: NodeId) -> Vec<String> {
    let mut words = Vec::new();
    for attr in ["class", "id"] {
        let Some(v) = dom.attr(id, attr) else {
            continue;
        };
        for token in v.split_whitespace() {
            let mut word = String::new();
            let mut prev_lower = false;
            for c in token.chars() {
                if !c.is_alphanumeric() {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    prev_lower = false;
                    continue;
                }
                if c.is_uppercase() && prev_lower && !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                prev_lower = c.is_lowercase();
                word.extend(c.to_lowercase());
            }
            if !word.is_empty() {
                words.push(word);
            }
            let joined: String = token
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !words.contains(&joined) {
                words.push(joined);
            }
        }
    }
    words
}

pub fn is_non_content_tag(tag: &str) -> bool {
    NON_CONTENT_TAGS.contains(&tag)
}

/// `hidden`, `aria-hidden="true"`, or an inline style that hides it.
pub fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

pub fn has_boilerplate_role(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "role")
        .is_some_and(|r| BOILERPLATE_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
}

/// What the class/id words say about an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameVerdict {
    /// No furniture word.
    Neutral,
    /// Furniture words only (`share-bar`): dropped.
    Furniture,
    /// Furniture and article words together (`article-share`, but also
    /// `article-content has-sidebar`): dropped only when small.
    Mixed,
}

pub fn boilerplate_name(words: &[String]) -> NameVerdict {
    let furniture = words
        .iter()
        .any(|w| BOILERPLATE_WORDS.contains(&w.as_str()));
    let content = words.iter().any(|w| CONTENT_WORDS.contains(&w.as_str()));
    match (furniture, content) {
        (false, _) => NameVerdict::Neutral,
        (true, false) => NameVerdict::Furniture,
        (true, true) => NameVerdict::Mixed,
    }
}

/// A `Furniture`-named element is dropped when it holds less than this
/// share of the page's paragraph text (the article wrapper holds most of it).
const FURNITURE_NAME_MAX_SHARE: f32 = 0.5;
/// The same for a `Mixed` name, which is more often the article itself.
const MIXED_NAME_MAX_SHARE: f32 = 0.3;

/// Tags that are structure, never furniture, whatever their class says.
fn is_structural(tag: &str) -> bool {
    matches!(tag, "html" | "body" | "main" | "article")
}

/// Computes text lengths and marks dropped nodes, in two rounds: first
/// what tags, `hidden` and roles rule out, then what class/id names rule
/// out, where a named element is spared when it holds a large share of
/// the paragraph text left after the first round (an article wrapper
/// called `content-with-sidebar` or `inline-block` is still the article).
pub fn facts(dom: &Dom) -> Facts {
    let n = dom.nodes.len();
    let mut dropped = vec![false; n];
    mark(dom, &mut dropped, |id, tag| {
        is_non_content_tag(tag) || is_hidden(dom, id) || has_boilerplate_role(dom, id)
    });
    let prose = prose_lengths(dom, &dropped);
    let page = prose[ROOT].max(1) as f32;
    mark(dom, &mut dropped, |id, tag| {
        if is_structural(tag) {
            return false;
        }
        let share = prose[id] as f32 / page;
        match boilerplate_name(&name_words(dom, id)) {
            NameVerdict::Neutral => false,
            NameVerdict::Furniture => share < FURNITURE_NAME_MAX_SHARE,
            NameVerdict::Mixed => share < MIXED_NAME_MAX_SHARE,
        }
    });
    let (text_len, link_len, commas) = lengths(dom, &dropped);
    Facts {
        text_len,
        link_len,
        commas,
        dropped,
    }
}

/// Characters of unlinked text inside paragraph-like elements below each
/// node: the measure of "how much of the article is in here".
fn prose_lengths(dom: &Dom, dropped: &[bool]) -> Vec<u32> {
    let (text, links, _) = lengths(dom, dropped);
    let n = dom.nodes.len();
    let mut prose = vec![0u32; n];
    for id in (1..n).rev() {
        if dropped[id] {
            continue;
        }
        if prose[id] == 0 && is_paragraph_like(dom, id) {
            prose[id] = text[id].saturating_sub(links[id]);
        }
        let p = dom.nodes[id].parent;
        prose[p] += prose[id];
    }
    prose
}

/// Marks every element `rule` picks, and everything below a marked node.
/// Parents come before children in the arena, so one forward pass sees a
/// parent's mark before its children.
fn mark(dom: &Dom, dropped: &mut [bool], rule: impl Fn(NodeId, &str) -> bool) {
    for id in 1..dom.nodes.len() {
        if dropped[id] {
            continue;
        }
        if dropped[dom.nodes[id].parent] {
            dropped[id] = true;
        } else if let Some(e) = dom.element(id) {
            dropped[id] = rule(id, &e.tag);
        }
    }
}

/// Text, link-text and comma counts of every node, leaving out dropped ones.
fn lengths(dom: &Dom, dropped: &[bool]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = dom.nodes.len();
    let mut text_len = vec![0u32; n];
    let mut link_len = vec![0u32; n];
    let mut commas = vec![0u32; n];
    for id in (1..n).rev() {
        if dropped[id] {
            continue;
        }
        match &dom.nodes[id].data {
            NodeData::Text(t) => (text_len[id], commas[id]) = count_text(t),
            NodeData::Element(e) if e.tag == "a" => link_len[id] = text_len[id],
            _ => {}
        }
        let p = dom.nodes[id].parent;
        text_len[p] += text_len[id];
        link_len[p] += link_len[id];
        commas[p] += commas[id];
    }
    (text_len, link_len, commas)
}

/// Non-space characters and commas (any script) of a text.
fn count_text(t: &str) -> (u32, u32) {
    if t.is_ascii() {
        let b = t.as_bytes();
        let len = b.iter().filter(|c| !c.is_ascii_whitespace()).count();
        let commas = memchr::memchr_iter(b',', b).count();
        return (len as u32, commas as u32);
    }
    let (mut len, mut commas) = (0, 0);
    for ch in t.chars() {
        if !ch.is_whitespace() {
            len += 1;
            if matches!(ch, ',' | '，' | '、' | '،') {
                commas += 1;
            }
        }
    }
    (len, commas)
}

/// The nudge a container's class/id words and tag give its score.
fn class_weight(dom: &Dom, id: NodeId) -> f32 {
    let words = name_words(dom, id);
    let mut w = 0.0;
    if words
        .iter()
        .any(|w| STRONG_CONTENT_WORDS.contains(&w.as_str()))
    {
        w += 50.0;
    } else if words.iter().any(|w| CONTENT_WORDS.contains(&w.as_str())) {
        w += 25.0;
    }
    if dom
        .attr(id, "itemprop")
        .is_some_and(|p| p.contains("articleBody"))
    {
        w += 50.0;
    }
    w + match dom.tag(id) {
        "article" => 10.0,
        "div" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "address" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Paragraph-like: a paragraph tag, or a `div` whose text is mostly its
/// own inline text (many pages write paragraphs as `<div>`s or `<br>`s).
pub fn is_paragraph_like(dom: &Dom, id: NodeId) -> bool {
    let tag = dom.tag(id);
    if PARAGRAPH_TAGS.contains(&tag) {
        return true;
    }
    matches!(tag, "div" | "section" | "span")
        && dom.nodes[id]
            .children
            .iter()
            .any(|&c| match &dom.nodes[c].data {
                NodeData::Text(t) => t.trim().chars().count() >= 25,
                _ => false,
            })
}

/// The containers holding the article body, in document order.
pub fn choose(dom: &Dom, f: &Facts) -> Vec<NodeId> {
    let n = dom.nodes.len();
    let mut score = vec![f32::NAN; n];
    for id in 1..n {
        if f.dropped[id] || !is_paragraph_like(dom, id) {
            continue;
        }
        let len = f.text_len[id];
        if len < 25 {
            continue;
        }
        let points = 1.0 + f.commas[id] as f32 + (len as f32 / 100.0).min(3.0);
        // A paragraph gives points to its container; a `div` holding
        // paragraph text directly is a container itself.
        let own = !PARAGRAPH_TAGS.contains(&dom.tag(id));
        let chain = own.then_some(id).into_iter().chain(dom.ancestors(id));
        for (level, anc) in chain.take(3).enumerate() {
            if anc == ROOT {
                break;
            }
            if score[anc].is_nan() {
                score[anc] = class_weight(dom, anc);
            }
            let share = match level {
                0 => 1.0,
                1 => 0.5,
                l => 1.0 / (l as f32 * 3.0),
            };
            score[anc] += points * share;
        }
    }
    let final_score = |id: NodeId| score[id] * (1.0 - f.link_density(id));
    let Some(top) = (1..n)
        .filter(|&i| !score[i].is_nan() && !f.dropped[i])
        .max_by(|&a, &b| final_score(a).total_cmp(&final_score(b)))
    else {
        return body_or_root(dom);
    };
    let top = widen_to_split_article(dom, f, top);
    let top_score = if score[top].is_nan() {
        0.0
    } else {
        final_score(top)
    };
    let parent = dom.nodes[top].parent;
    if parent == ROOT {
        return vec![top];
    }
    let threshold = (top_score * 0.2).max(10.0);
    dom.nodes[parent]
        .children
        .iter()
        .copied()
        .filter(|&s| {
            s == top
                || (!f.dropped[s]
                    && !separate_articles(dom, top, s)
                    && ((!score[s].is_nan() && final_score(s) >= threshold)
                        || reads_like_paragraph(dom, f, s)))
        })
        .collect()
}

/// How many ancestors up a split article is looked for.
const WIDEN_LEVELS: usize = 3;
/// An ancestor replaces the chosen container when it holds this many
/// times its long-paragraph text.
const WIDEN_GAIN: f32 = 1.3;
/// A long paragraph: this many characters…
const LONG_PARAGRAPH_CHARS: u32 = 80;
/// …with links for less than this share of them.
const LONG_PARAGRAPH_MAX_LINKS: f32 = 0.25;

/// Text in long, link-poor paragraphs below `id`: article prose, not
/// teasers or menus.
fn long_paragraph_text(dom: &Dom, f: &Facts, id: NodeId) -> u32 {
    dom.descendants(id)
        .filter(|&d| dom.tag(d) == "p" && !f.dropped[d])
        .filter(|&d| {
            f.text_len[d] >= LONG_PARAGRAPH_CHARS && f.link_density(d) < LONG_PARAGRAPH_MAX_LINKS
        })
        .map(|d| f.text_len[d])
        .sum()
}

/// Articles cut into chunks (one container per few paragraphs, ad slots
/// between them) leave the best container holding only part of the story:
/// climb while an ancestor holds clearly more long-paragraph text.
fn widen_to_split_article(dom: &Dom, f: &Facts, top: NodeId) -> NodeId {
    let mut best = top;
    let mut best_text = long_paragraph_text(dom, f, top);
    if best_text == 0 {
        // Prose written without <p> (text straight in a div): nothing to compare.
        return top;
    }
    let mut cur = top;
    for _ in 0..WIDEN_LEVELS {
        let up = dom.nodes[cur].parent;
        if up == ROOT || matches!(dom.tag(up), "body" | "html") || f.dropped[up] {
            break;
        }
        let text = long_paragraph_text(dom, f, up);
        if text as f32 >= best_text as f32 * WIDEN_GAIN {
            best = up;
            best_text = text;
        }
        cur = up;
    }
    best
}

/// Two `<article>` siblings are two stories (a blog's next post), never
/// one story split in parts.
fn separate_articles(dom: &Dom, top: NodeId, sibling: NodeId) -> bool {
    dom.tag(top) == "article" && dom.tag(sibling) == "article"
}

/// A sibling of the chosen container that is itself a paragraph of prose:
/// long with few links, or short, link-free and ending like a sentence.
fn reads_like_paragraph(dom: &Dom, f: &Facts, id: NodeId) -> bool {
    if dom.tag(id) != "p" {
        return false;
    }
    let len = f.text_len[id];
    let ld = f.link_density(id);
    if len > 80 {
        ld < 0.25
    } else {
        let text = dom.raw_text(id);
        let t = text.trim_end();
        ld == 0.0 && len > 0 && t.ends_with(['.', '。', '!', '?', '”', '"'])
    }
}

fn body_or_root(dom: &Dom) -> Vec<NodeId> {
    vec![dom.find_all("body").next().unwrap_or(ROOT)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    fn first(dom: &Dom, tag: &str) -> NodeId {
        dom.find_all(tag).next().unwrap()
    }

    #[test]
    fn class_and_id_words_split_on_separators_and_case() {
        let dom = parse(r#"<div class="articleBody share-bar" id="main_col"></div>"#);
        let w = name_words(&dom, first(&dom, "div"));
        for x in [
            "article",
            "body",
            "articlebody",
            "share",
            "bar",
            "sharebar",
            "main",
            "col",
        ] {
            assert!(w.iter().any(|y| y == x), "{x} in {w:?}");
        }
    }

    #[test]
    fn boilerplate_names_are_caught_unless_they_name_the_article() {
        let words = |s: &str| {
            let dom = parse(&format!("<div class=\"{s}\"></div>"));
            name_words(&dom, first(&dom, "div"))
        };
        use NameVerdict::*;
        assert_eq!(boilerplate_name(&words("social-share")), Furniture);
        assert_eq!(boilerplate_name(&words("relatedStories")), Furniture);
        assert_eq!(boilerplate_name(&words("cookie-consent")), Furniture);
        assert_eq!(boilerplate_name(&words("story-body")), Neutral);
        assert_eq!(
            boilerplate_name(&words("article-content has-sidebar")),
            Mixed
        );
        // "shadow" and "address" contain furniture letters but are other words.
        assert_eq!(boilerplate_name(&words("shadow address")), Neutral);
    }

    #[test]
    fn hidden_elements() {
        let dom = parse(
            r#"<p hidden>a</p><p aria-hidden="true">b</p><p style="DISPLAY: none">c</p><p style="color:red">d</p>"#,
        );
        let ps: Vec<NodeId> = dom.find_all("p").collect();
        let hidden: Vec<bool> = ps.iter().map(|&p| is_hidden(&dom, p)).collect();
        assert_eq!(hidden, [true, true, true, false]);
    }

    #[test]
    fn roles_of_furniture() {
        let dom = parse(r#"<div role="navigation">x</div><div role="main">y</div>"#);
        let divs: Vec<NodeId> = dom.find_all("div").collect();
        assert!(has_boilerplate_role(&dom, divs[0]));
        assert!(!has_boilerplate_role(&dom, divs[1]));
    }

    #[test]
    fn dropped_text_does_not_count() {
        let dom = parse("<div><p>seen text</p><nav>menu words</nav><a href=x>link</a></div>");
        let f = facts(&dom);
        let div = first(&dom, "div");
        assert_eq!(f.text_len[div], "seentext".len() as u32 + 4);
        assert_eq!(f.link_len[div], 4);
        assert!(f.dropped[first(&dom, "nav")]);
    }

    const PROSE: &str = "The frigates sailed out at dawn, formed a line, and held it for hours while the crews practised.";

    #[test]
    fn the_container_with_the_prose_wins_over_link_lists() {
        let links = "<li><a href=a>One short headline here</a></li>".repeat(20);
        let html = format!(
            "<body><div id=menu><ul>{links}</ul></div><div id=x><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div></body>"
        );
        let dom = parse(&html);
        let f = facts(&dom);
        let chosen = choose(&dom, &f);
        assert_eq!(chosen.len(), 1);
        assert_eq!(dom.attr(chosen[0], "id"), Some("x"));
    }

    #[test]
    fn siblings_split_by_an_ad_slot_are_kept() {
        let html = format!(
            "<body><div><div class=part><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div class=ad>Buy</div><div class=part><p>{PROSE}</p><p>{PROSE}</p></div></div>\
             <div><p>Short footer line</p></div></body>"
        );
        let dom = parse(&html);
        let f = facts(&dom);
        let chosen = choose(&dom, &f);
        assert_eq!(chosen.len(), 2);
        assert!(chosen.iter().all(|&c| dom.attr(c, "class") == Some("part")));
    }

    #[test]
    fn sibling_articles_are_separate_stories() {
        let html = format!(
            "<body><main><article><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></article>\
             <article><p>{PROSE}</p><p>{PROSE}</p></article></main></body>"
        );
        let dom = parse(&html);
        let f = facts(&dom);
        let chosen = choose(&dom, &f);
        assert_eq!(chosen, vec![first(&dom, "article")]);
    }

    #[test]
    fn a_loose_paragraph_beside_the_body_joins_it() {
        let html = format!(
            "<body><div><div id=x><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>\
             <p>Short closing line.</p><p><a href=a>Link only</a></p><p>no full stop</p></div></body>"
        );
        let dom = parse(&html);
        let f = facts(&dom);
        let chosen = choose(&dom, &f);
        let texts: Vec<String> = chosen.iter().skip(1).map(|&c| dom.raw_text(c)).collect();
        assert_eq!(dom.attr(chosen[0], "id"), Some("x"));
        assert_eq!(texts, ["Short closing line."]);
    }

    #[test]
    fn a_story_cut_into_chunks_is_taken_whole() {
        let p3 = format!("<p>{PROSE}</p>").repeat(3);
        let p2 = format!("<p>{PROSE}</p>").repeat(2);
        let html = format!(
            "<body><div id=story><div class=row><div class=chunk>{p3}</div><div class=rail>ad</div></div>\
             <div class=row><div class=chunk>{p2}</div></div></div></body>"
        );
        let dom = parse(&html);
        let f = facts(&dom);
        assert_eq!(choose(&dom, &f), vec![first(&dom, "div")]);
    }

    #[test]
    fn teasers_around_the_story_do_not_widen_it() {
        let p3 = format!("<p>{PROSE}</p>").repeat(3);
        let teasers = "<div class=teaser><p><a href=x>A teaser headline that links away from this story</a></p></div>".repeat(5);
        let html = format!("<body><div id=page><div id=story>{p3}</div>{teasers}</div></body>");
        let dom = parse(&html);
        let f = facts(&dom);
        let chosen = choose(&dom, &f);
        assert_eq!(dom.attr(chosen[0], "id"), Some("story"));
    }

    #[test]
    fn a_page_without_paragraphs_falls_back_to_the_body() {
        let dom = parse("<body><span>hi</span></body>");
        let f = facts(&dom);
        assert_eq!(choose(&dom, &f), vec![first(&dom, "body")]);
    }
}
