//! Rendering the chosen containers as text: paragraphs separated by a
//! blank line, headings and list items on lines of their own, whitespace
//! collapsed (kept as written inside `<pre>`).
//!
//! While rendering, blocks that are furniture inside the article are left
//! out: link lists, link-only paragraphs, the headline repeated as `<h1>`,
//! and standalone lines such as "Advertisement".

use crate::content::Facts;
use crate::dom::{Dom, NodeData, NodeId};

/// Block elements: each starts a new paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "fieldset",
    "hgroup",
    "body",
    "html",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "legend",
    "form",
];

/// Standalone lines that label page furniture, never article text.
const FURNITURE_LINES: &[&str] = &[
    "advertisement",
    "advertisment",
    "ad",
    "sponsored",
    "continue reading",
    "continue reading below",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "read more",
    "share",
    "share this article",
    "share this",
    "related",
    "related articles",
    "recommended",
    "text size",
];

/// A list (or table, or div) that is mostly links: a menu or "related"
/// box inside the article container.
pub fn is_link_list(dom: &Dom, f: &Facts, id: NodeId) -> bool {
    matches!(
        dom.tag(id),
        "ul" | "ol" | "dl" | "table" | "div" | "section"
    ) && f.text_len[id] > 0
        && f.link_density(id) > 0.5
}

/// A paragraph or item that is nothing but a link ("Read: <a>…</a>").
pub fn is_link_paragraph(dom: &Dom, f: &Facts, id: NodeId) -> bool {
    matches!(dom.tag(id), "p" | "li" | "h2" | "h3" | "h4" | "h5" | "h6")
        && f.text_len[id] > 0
        && f.link_density(id) > 0.8
}

pub fn is_furniture_line(line: &str) -> bool {
    let l = line.trim().trim_end_matches([':', '.', '…']).to_lowercase();
    FURNITURE_LINES.contains(&l.as_str())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Paragraph,
    Item,
}

struct Renderer<'a> {
    dom: &'a Dom,
    f: &'a Facts,
    blocks: Vec<(BlockKind, String)>,
    current: String,
    kind: BlockKind,
    pending_space: bool,
}

impl Renderer<'_> {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.current);
        // Lines never start with a space outside `<pre>`, so trimming the
        // end keeps preformatted indentation.
        let lines: Vec<&str> = text
            .split('\n')
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty() && !is_furniture_line(l))
            .collect();
        if !lines.is_empty() {
            self.blocks.push((self.kind, lines.join("\n")));
        }
        self.kind = BlockKind::Paragraph;
        self.pending_space = false;
    }

    fn push_text(&mut self, t: &str, pre: bool) {
        if pre {
            self.current.push_str(t);
            return;
        }
        for (i, word) in t.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.pending_space && !self.current.is_empty() && !self.current.ends_with('\n') {
                self.current.push(' ');
            }
            self.pending_space = false;
            self.current.push_str(word);
        }
    }

    fn skip(&self, id: NodeId) -> bool {
        let tag = self.dom.tag(id);
        self.f.dropped[id]
            || tag == "h1"
            || is_link_list(self.dom, self.f, id)
            || is_link_paragraph(self.dom, self.f, id)
    }

    fn walk(&mut self, root: NodeId) {
        // An explicit stack: (node, entering?, inside <pre>?)
        let mut stack = vec![(root, true, false)];
        while let Some((id, enter, pre)) = stack.pop() {
            let node = &self.dom.nodes[id];
            match &node.data {
                NodeData::Text(t) => {
                    if enter {
                        self.push_text(t, pre);
                    }
                }
                NodeData::Document => {
                    for &c in node.children.iter().rev() {
                        stack.push((c, true, pre));
                    }
                }
                NodeData::Element(e) => {
                    let tag = e.tag.as_str();
                    let block = BLOCK_TAGS.contains(&tag) || tag == "li";
                    if !enter {
                        if block {
                            self.flush();
                        }
                        continue;
                    }
                    if id != root && self.skip(id) {
                        continue;
                    }
                    match tag {
                        "br" => {
                            self.current.push('\n');
                            self.pending_space = false;
                            continue;
                        }
                        "td" | "th" => self.pending_space = true,
                        _ => {}
                    }
                    if block {
                        self.flush();
                        if tag == "li" || tag == "dd" || tag == "dt" {
                            self.kind = BlockKind::Item;
                        }
                    }
                    stack.push((id, false, pre));
                    let pre = pre || tag == "pre";
                    for &c in node.children.iter().rev() {
                        stack.push((c, true, pre));
                    }
                }
            }
        }
        self.flush();
    }
}

/// The text of the chosen containers.
pub fn render(dom: &Dom, f: &Facts, roots: &[NodeId]) -> String {
    let mut r = Renderer {
        dom,
        f,
        blocks: Vec::new(),
        current: String::new(),
        kind: BlockKind::Paragraph,
        pending_space: false,
    };
    for &root in roots {
        r.walk(root);
    }
    let mut out = String::new();
    let mut prev = None;
    for (kind, text) in r.blocks {
        if let Some(p) = prev {
            out.push_str(if p == BlockKind::Item && kind == BlockKind::Item {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(&text);
        prev = Some(kind);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::facts;
    use crate::dom::parse;

    fn text_of(html: &str) -> String {
        let dom = parse(html);
        let f = facts(&dom);
        let body = dom.find_all("body").next().unwrap();
        render(&dom, &f, &[body])
    }

    #[test]
    fn paragraphs_headings_and_items_are_laid_out() {
        assert_eq!(
            text_of(
                "<body><h1>Headline</h1><p>First   line\n of text.</p><h2>Part two</h2>\
                 <ul><li>one</li><li>two <b>bold</b></li></ul><p>Last<br>line</p></body>"
            ),
            "First line of text.\n\nPart two\n\none\ntwo bold\n\nLast\nline"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_spaces() {
        assert_eq!(text_of("<body><pre>a  b\n  c</pre></body>"), "a  b\n  c");
    }

    #[test]
    fn link_lists_and_link_paragraphs_are_left_out() {
        let html = "<body><p>Sailors trained at sea for a week.</p>\
            <ul><li><a href=1>Other story one</a></li><li><a href=2>Other story two</a></li></ul>\
            <p><a href=3>See also: the previous drill</a></p>\
            <p>The drill ended with <a href=4>a parade</a> in port.</p></body>";
        assert_eq!(
            text_of(html),
            "Sailors trained at sea for a week.\n\nThe drill ended with a parade in port."
        );
    }

    #[test]
    fn furniture_lines_are_left_out() {
        assert!(is_furniture_line(" Advertisement "));
        assert!(is_furniture_line("Continue reading…"));
        assert!(!is_furniture_line(
            "Advertisement revenue fell sharply this year."
        ));
        assert_eq!(
            text_of("<body><p>Ships met.</p><div>ADVERTISEMENT</div><p>Then left.</p></body>"),
            "Ships met.\n\nThen left."
        );
    }

    #[test]
    fn table_cells_are_spaced() {
        assert_eq!(
            text_of("<body><table><tr><td>Ship</td><td>Class</td></tr><tr><td>A</td><td>B</td></tr></table></body>"),
            "Ship Class\n\nA B"
        );
    }
}
