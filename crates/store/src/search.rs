//! Full-text search over the stored articles (SQLite FTS5).
//!
//! FTS5's `unicode61` tokenizer splits on spaces and punctuation, so a
//! text written without spaces (Chinese, Japanese, Thai) would be one
//! token per clause. The indexed copy therefore puts a space around every
//! character of those scripts, and a query is cut the same way and matched
//! as a phrase: "联合利剑" finds the four characters in a row.

use crate::{Result, Store};
use rusqlite::params;
use serde::Serialize;

/// One search result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchHit {
    pub doc: String,
    pub title: Option<String>,
    pub pub_date: Option<String>,
    /// The matching passage, matches in [brackets], control characters
    /// removed.
    pub snippet: String,
    /// The records the document's exercises joined.
    pub records: Vec<String>,
}

/// A character of a script written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF) // CJK extensions B–F
}

/// The text as indexed: every character of an unspaced script stands alone.
pub fn fts_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        if unspaced(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Undoes [`fts_text`]'s spacing in a snippet, and drops control characters
/// (article text is shown on terminals).
fn display(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_control() || *c == ' ').collect();
    let mark = |c: &char| *c == '[' || *c == ']';
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = chars[..i].iter().rev().find(|c| !mark(c) && **c != ' ');
            let next = chars[i + 1..].iter().find(|c| !mark(c) && **c != ' ');
            if prev.is_some_and(|c| unspaced(*c)) || next.is_some_and(|c| unspaced(*c)) {
                continue;
            }
            if out.ends_with(' ') {
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// The user's words as an FTS5 query: each word, or each "quoted phrase",
/// becomes a phrase (so no FTS5 syntax is ever read from input), all of
/// them required. None when nothing is left to search.
pub fn fts_query(q: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut in_quote = false;
    let mut cur = String::new();
    for c in q.chars() {
        match c {
            '"' => {
                if !cur.trim().is_empty() {
                    terms.push(cur.trim().to_string());
                }
                cur.clear();
                in_quote = !in_quote;
            }
            c if c.is_whitespace() && !in_quote => {
                if !cur.trim().is_empty() {
                    terms.push(cur.trim().to_string());
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        terms.push(cur.trim().to_string());
    }
    let phrases: Vec<String> = terms
        .iter()
        .map(|t| fts_text(t))
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| {
            format!(
                "\"{}\"",
                t.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace('"', "\"\"")
            )
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

impl Store {
    /// Articles matching every word of `query`, best first (BM25).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut st = self.conn.prepare(
            "SELECT m.doc_id, d.title, d.pub_date,
                    snippet(documents_fts, 1, '[', ']', '…', 16)
             FROM documents_fts
             JOIN documents_fts_map m ON m.fts_rowid = documents_fts.rowid
             JOIN documents d ON d.id = m.doc_id
             WHERE documents_fts MATCH ?1
             ORDER BY bm25(documents_fts), m.doc_id
             LIMIT ?2",
        )?;
        let rows: Vec<(String, Option<String>, Option<String>, String)> = st
            .query_map(params![q, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut rec = self.conn.prepare(
            "SELECT DISTINCT record_id FROM record_mentions WHERE doc_id = ?1 ORDER BY record_id",
        )?;
        let mut out = Vec::new();
        for (doc, title, pub_date, snip) in rows {
            let records: Vec<String> = rec
                .query_map([&doc], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            out.push(SearchHit {
                doc,
                title: title.map(|t| display(&t)),
                pub_date,
                snippet: display(&snip),
                records,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspaced_scripts_are_cut_per_character_and_glued_back() {
        assert_eq!(fts_text("中俄联合"), " 中  俄  联  合 ");
        assert_eq!(fts_text("Zapad 2021"), "Zapad 2021");
        assert_eq!(display(" 中  俄 [ 联  合 ] 演习"), "中俄[联合]演习");
        assert_eq!(display("Zapad\u{1b}[31m  drills"), "Zapad[31m drills");
        assert_eq!(display("\" [ 联  合 ] -2024A\""), "\"[联合]-2024A\"");
    }

    #[test]
    fn queries_never_carry_fts_syntax() {
        assert_eq!(fts_query("Zapad drills").unwrap(), "\"Zapad\" \"drills\"");
        assert_eq!(
            fts_query("\"joint sea\" 2021").unwrap(),
            "\"joint sea\" \"2021\""
        );
        assert_eq!(fts_query("a\" OR x:*").unwrap(), "\"a\" \"OR x:*\"");
        assert_eq!(fts_query("联合利剑").unwrap(), "\"联 合 利 剑\"");
        assert!(fts_query("  \"\" * ").is_none());
    }
}
