//! A forgiving HTML reader that builds a small tree (an arena of nodes).
//!
//! It is not a full HTML5 tree builder: it knows void elements, raw-text
//! elements, the end tags browsers imply (`<p>` before a block, `<li>` before
//! the next item, table cells and rows) and ignores stray end tags. That is
//! all main-content extraction needs, and it reads pages several times
//! faster than a spec-complete parser.

use crate::entities::decode_entities;
use memchr::memchr;

pub type NodeId = usize;

/// The document node is always node 0.
pub const ROOT: NodeId = 0;

/// Deeper elements are attached to their ancestor at this depth, so that
/// walking the tree never recurses without bound.
const MAX_DEPTH: usize = 256;

#[derive(Debug)]
pub enum NodeData {
    Document,
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub struct Element {
    /// Lower-case tag name.
    pub tag: String,
    /// Attributes, names in lower case, values with entities decoded.
    pub attrs: Vec<(String, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub children: Vec<NodeId>,
    pub data: NodeData,
}

#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn tag(&self, id: NodeId) -> &str {
        self.element(id).map(|e| e.tag.as_str()).unwrap_or("")
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(name))
    }

    /// Every node below `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            stack: self.nodes[id].children.iter().rev().copied().collect(),
        }
    }

    /// All elements with this tag name, in document order.
    pub fn find_all<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len()).filter(move |&i| self.tag(i) == tag)
    }

    /// The text of `id` and everything below it, whitespace as written.
    pub fn raw_text(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let NodeData::Text(t) = &self.nodes[id].data {
            out.push_str(t);
        }
        for d in self.descendants(id) {
            if let NodeData::Text(t) = &self.nodes[d].data {
                out.push_str(t);
            }
        }
        out
    }

    /// The ancestors of `id`, nearest first (the root included).
    pub fn ancestors(&self, mut id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::from_fn(move || {
            if id == ROOT {
                None
            } else {
                id = self.nodes[id].parent;
                Some(id)
            }
        })
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack
            .extend(self.dom.nodes[id].children.iter().rev().copied());
        Some(id)
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame",
];

/// Elements whose content is text up to their end tag (never markup).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Block elements that close an open `<p>` (the browser does the same).
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "details",
    "fieldset",
    "figcaption",
    "hgroup",
    "menu",
    "dd",
    "dt",
    "li",
];

/// Elements that bound the search for an implied end tag.
const SCOPE: &[&str] = &[
    "html",
    "body",
    "div",
    "td",
    "th",
    "table",
    "article",
    "section",
    "main",
    "blockquote",
    "button",
    "template",
    "object",
];

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
}

impl Builder {
    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&ROOT)
    }

    fn push_node(&mut self, data: NodeData) -> NodeId {
        let parent = self.current();
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent,
            children: Vec::new(),
            data,
        });
        self.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let cur = self.current();
        if let Some(&last) = self.nodes[cur].children.last() {
            if let NodeData::Text(t) = &mut self.nodes[last].data {
                t.push_str(s);
                return;
            }
        }
        self.push_node(NodeData::Text(s.to_string()));
    }

    fn tag_of(&self, id: NodeId) -> &str {
        match &self.nodes[id].data {
            NodeData::Element(e) => &e.tag,
            _ => "",
        }
    }

    /// Position in the stack of the nearest open `tag`, searching no
    /// further than the first scope boundary in `stop`.
    fn open_in_scope(&self, tag: &str, stop: &[&str]) -> Option<usize> {
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let t = self.tag_of(id);
            if t == tag {
                return Some(i);
            }
            if stop.contains(&t) {
                return None;
            }
        }
        None
    }

    fn close_implied(&mut self, tag: &str) {
        let close = |b: &mut Self, name: &str, stop: &[&str]| {
            if let Some(i) = b.open_in_scope(name, stop) {
                b.stack.truncate(i);
            }
        };
        if CLOSES_P.contains(&tag) {
            close(self, "p", SCOPE);
        }
        match tag {
            "li" => close(
                self,
                "li",
                &["ul", "ol", "menu", "div", "td", "table", "body"],
            ),
            "dt" | "dd" => {
                close(self, "dt", &["dl", "div", "body"]);
                close(self, "dd", &["dl", "div", "body"]);
            }
            "tr" => {
                close(self, "td", &["table"]);
                close(self, "th", &["table"]);
                close(self, "tr", &["table"]);
            }
            "td" | "th" => {
                close(self, "td", &["tr", "table"]);
                close(self, "th", &["tr", "table"]);
            }
            "option" => close(self, "option", &["select", "body"]),
            "a" => close(self, "a", SCOPE),
            _ if is_heading(tag) => {
                if let Some(&top) = self.stack.last() {
                    if is_heading(self.tag_of(top)) {
                        self.stack.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: String, attrs: Vec<(String, String)>) -> NodeId {
        self.close_implied(&tag);
        let void = VOID.contains(&tag.as_str());
        let id = self.push_node(NodeData::Element(Element { tag, attrs }));
        if !void && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        id
    }

    fn end(&mut self, tag: &str) {
        if tag == "br" {
            self.start("br".into(), Vec::new());
            return;
        }
        if let Some(i) = self.stack.iter().rposition(|&id| self.tag_of(id) == tag) {
            self.stack.truncate(i);
        }
    }
}

fn is_name_char(b: u8) -> bool {
    !(b.is_ascii_whitespace() || b == b'/' || b == b'>')
}

/// Reads `html` into a tree. Never fails: broken markup gives some tree.
pub fn parse(html: &str) -> Dom {
    let bytes = html.as_bytes();
    let mut b = Builder {
        nodes: vec![Node {
            parent: ROOT,
            children: Vec::new(),
            data: NodeData::Document,
        }],
        stack: Vec::new(),
    };
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let Some(lt) = memchr(b'<', &bytes[i..]) else {
            b.text(&decode_entities(&html[i..]));
            break;
        };
        if lt > 0 {
            b.text(&decode_entities(&html[i..i + lt]));
        }
        i += lt;
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i += find(&rest[4..], b"-->")
                .map(|e| e + 7)
                .unwrap_or(rest.len());
        } else if rest.len() > 1 && (rest[1] == b'!' || rest[1] == b'?') {
            i += memchr(b'>', rest).map(|e| e + 1).unwrap_or(rest.len());
        } else if rest.len() > 2 && rest[1] == b'/' && rest[2].is_ascii_alphabetic() {
            let end = memchr(b'>', rest).map(|e| e + 1).unwrap_or(rest.len());
            let name_len = rest[2..].iter().take_while(|&&c| is_name_char(c)).count();
            let name = html[i + 2..i + 2 + name_len].to_ascii_lowercase();
            b.end(&name);
            i += end;
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (tag, attrs, len) = read_start_tag(html, i);
            i += len;
            let raw = RAW_TEXT.contains(&tag.as_str());
            let id = b.start(tag, attrs);
            if raw {
                let tag = b.tag_of(id).to_string();
                let body_end = find_end_tag(&bytes[i..], tag.as_bytes());
                let content = &html[i..i + body_end];
                if !content.is_empty() {
                    // Title and textarea text may hold entities; scripts never.
                    let text = if tag == "title" || tag == "textarea" {
                        decode_entities(content).into_owned()
                    } else {
                        content.to_string()
                    };
                    b.text(&text);
                }
                i += body_end;
                let close = memchr(b'>', &bytes[i..])
                    .map(|e| e + 1)
                    .unwrap_or(bytes.len() - i);
                i += close;
                b.end(&tag);
            }
        } else {
            b.text("<");
            i += 1;
        }
        while i < n && !html.is_char_boundary(i) {
            i += 1;
        }
    }
    Dom { nodes: b.nodes }
}

/// Reads `<tag attr=value ...>` starting at `start`; returns the tag, its
/// attributes and the number of bytes read.
fn read_start_tag(html: &str, start: usize) -> (String, Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let n = bytes.len();
    let mut i = start + 1;
    let name_start = i;
    while i < n && is_name_char(bytes[i]) {
        i += 1;
    }
    let tag = html[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < n && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= n {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        let a = i;
        while i < n && !(bytes[i].is_ascii_whitespace() || matches!(bytes[i], b'=' | b'>' | b'/')) {
            i += 1;
        }
        if i == a {
            // A lone '=' or similar: skip it.
            i += 1;
            continue;
        }
        let name = html[a..i].to_ascii_lowercase();
        while i < n && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < n && bytes[i] == b'=' {
            i += 1;
            while i < n && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let v = i + 1;
                let e = memchr(q, &bytes[v..]).map(|e| v + e).unwrap_or(n);
                value = decode_entities(&html[v..e]).into_owned();
                i = (e + 1).min(n);
            } else {
                let v = i;
                while i < n && !(bytes[i].is_ascii_whitespace() || bytes[i] == b'>') {
                    i += 1;
                }
                value = decode_entities(&html[v..i]).into_owned();
            }
        }
        if !attrs.iter().any(|(n, _): &(String, String)| *n == name) {
            attrs.push((name, value));
        }
    }
    while i < n && !html.is_char_boundary(i) {
        i += 1;
    }
    (tag, attrs, i - start)
}

/// Offset of `</tag` (any case) in `hay`, or its length.
fn find_end_tag(hay: &[u8], tag: &[u8]) -> usize {
    let mut from = 0;
    while let Some(p) = find(&hay[from..], b"</") {
        let at = from + p;
        let after = &hay[at + 2..];
        if after.len() >= tag.len()
            && after[..tag.len()].eq_ignore_ascii_case(tag)
            && !matches!(after.get(tag.len()), Some(c) if c.is_ascii_alphanumeric())
        {
            return at;
        }
        from = at + 2;
    }
    hay.len()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.nodes[id]
            .children
            .iter()
            .map(|&c| match &dom.nodes[c].data {
                NodeData::Element(e) => e.tag.clone(),
                NodeData::Text(t) => format!("#{t}"),
                NodeData::Document => "doc".into(),
            })
            .collect()
    }

    #[test]
    fn paragraphs_and_items_close_themselves() {
        let dom = parse("<div><p>one<p>two<ul><li>a<li>b</ul></div>");
        let div = dom.find_all("div").next().unwrap();
        assert_eq!(tags(&dom, div), ["p", "p", "ul"]);
        let ul = dom.find_all("ul").next().unwrap();
        assert_eq!(tags(&dom, ul), ["li", "li"]);
    }

    #[test]
    fn attributes_in_any_quoting_and_entities() {
        let dom =
            parse(r#"<a HREF='/x?a=1&amp;b=2' class=big data-x="q &quot;y&quot;" hidden>t</a>"#);
        let a = dom.find_all("a").next().unwrap();
        assert_eq!(dom.attr(a, "href"), Some("/x?a=1&b=2"));
        assert_eq!(dom.attr(a, "class"), Some("big"));
        assert_eq!(dom.attr(a, "data-x"), Some("q \"y\""));
        assert_eq!(dom.attr(a, "hidden"), Some(""));
    }

    #[test]
    fn scripts_are_raw_text_and_comments_vanish() {
        let dom = parse("<p>a<!-- <p>x --></p><script>if (a<b) {'</p>'}</script><p>b</p>");
        let s = dom.find_all("script").next().unwrap();
        assert_eq!(dom.raw_text(s), "if (a<b) {'</p>'}");
        assert_eq!(dom.find_all("p").count(), 2);
    }

    #[test]
    fn stray_end_tags_are_ignored_and_deep_nesting_is_bounded() {
        let dom = parse("</span><b>x</i></b>");
        assert_eq!(dom.raw_text(ROOT), "x");
        let deep = "<div>".repeat(5000) + "end";
        let dom = parse(&deep);
        assert_eq!(dom.raw_text(ROOT), "end");
    }

    #[test]
    fn broken_markup_never_panics() {
        for s in [
            "<",
            "<p",
            "<a href=",
            "<a href='",
            "</",
            "<!--",
            "<!",
            "é<é>é",
            "<script>",
            "<p a=\"é",
            "<title>x",
            "&#xZZ;",
            "<td><tr><th>",
            "</br>",
        ] {
            let _ = parse(s);
        }
    }
}
