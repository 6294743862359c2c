//! A small HTML-to-text reader: enough for `<id>.html` gold texts until the
//! main-content extractor arrives. Scripts, styles and comments are
//! dropped, block elements become line breaks, entities are decoded.

/// Returns the visible text of an HTML page and its `<title>`.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(html.len() / 2);
    let mut title = None;
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map(|e| e + 3).unwrap_or(rest.len());
        } else if let Some(tag) = ["script", "style", "noscript", "template"]
            .iter()
            .find(|t| rest.starts_with(&format!("<{t}")))
        {
            let close = format!("</{tag}");
            i += rest
                .find(&close)
                .map(|e| e + close.len())
                .unwrap_or(rest.len());
            i += lower[i..].find('>').map(|e| e + 1).unwrap_or(0);
        } else if rest.starts_with("<title") {
            let start = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
            let end = rest.find("</title").unwrap_or(rest.len()).max(start);
            title = Some(decode_entities(html[i + start..i + end].trim()));
            i += end;
        } else if rest.starts_with('<') {
            let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
            let name: String = rest[1..end.max(1)]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if matches!(
                name.as_str(),
                "p" | "div"
                    | "br"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "li"
                    | "tr"
                    | "section"
                    | "article"
                    | "header"
                    | "footer"
                    | "blockquote"
                    | "figcaption"
            ) {
                out.push('\n');
            }
            i += end;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push_str(&decode_entities(&html[i..i + end]));
            i += end;
        }
        while i < html.len() && !html.is_char_boundary(i) {
            i += 1;
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (lines.join("\n\n"), title)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_visible_text_and_title() {
        let (t, title) = html_to_text(
            "<html><head><title>Drill &amp; more</title><script>var x='<p>';</script></head>\
             <body><p>Troops&nbsp;train.</p><!-- hidden --><div>Second &#233;t&#xE9;</div></body></html>",
        );
        assert_eq!(title.as_deref(), Some("Drill & more"));
        assert_eq!(t, "Troops train.\n\nSecond été");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for s in ["<", "<p", "&", "&#xZZ;", "<script>", "<title>x", "é<é>é"] {
            let _ = html_to_text(s);
        }
    }
}
