//! Data types that flow between the stages of muster.
//!
//! A [`RawDoc`] comes out of ingest, a [`CleanDoc`] out of clean, and a
//! [`DocRecord`] (the GOLD-FORMAT shape) out of extraction. Offsets inside the
//! pipeline are byte offsets into the immutable cleaned text; they become
//! Unicode code-point offsets only when written out ([`CharOffsets`]).

use serde::{Deserialize, Serialize};

pub mod merged;
pub mod record;
pub mod url_date;
pub use merged::*;
pub use record::*;

/// A half-open byte range `[start, end)` into a cleaned text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text under the span, or "" when the span does not fit the text.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// One input document as ingest found it, before any cleaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDoc {
    /// Stable id: the file stem, or the `id` of a JSON Lines record.
    pub id: String,
    /// Where it came from (path, `path:line`, or `-:line` for stdin).
    pub source: String,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Publication date from metadata, ISO 8601 when known.
    pub date: Option<String>,
    /// Language from metadata (ISO 639-1), trusted over detection.
    pub lang: Option<String>,
    /// Where inside an archive or feed the document was found.
    pub provenance: Option<Provenance>,
}

/// Where a document came from when it was one record of a bigger container
/// (a WARC archive, a feed): the container, the record's id, and when the
/// page was fetched (as opposed to when it was published).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The archive or feed file (or URL) the record was read from.
    pub container: String,
    /// `WARC-Record-ID`, or a feed item's id / guid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// `WARC-Date`: when the crawler fetched the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
}

/// A document after boilerplate removal. `text` never changes afterwards:
/// every later annotation is a span into it.
#[derive(Debug, Clone, Default)]
pub struct CleanDoc {
    pub id: String,
    pub source: String,
    pub text: String,
    /// Span of the title line inside `text`, when one was found.
    pub title: Option<Span>,
    pub url: Option<String>,
    pub pub_date: Option<String>,
    /// Where `pub_date` came from: `metadata` or `dateline`.
    pub pub_date_source: Option<String>,
    pub lang_hint: Option<String>,
    pub provenance: Option<Provenance>,
    /// True when a paywall notice says the text stops early.
    pub paywalled: bool,
    /// Lines removed as boilerplate, with the rule that removed them.
    pub removed: Vec<Removed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub rule: String,
    pub line: String,
}

/// A sentence: a span of the cleaned text with its detected language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    /// ISO 639-1 code, or `und` when undetermined.
    pub lang: String,
    /// Index of the paragraph (block of lines) the sentence belongs to.
    pub paragraph: usize,
}

/// An input that could not be processed, with the reason. The run goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    pub source: String,
    pub reason: String,
}

/// Converts byte offsets of one text into Unicode code-point offsets.
pub struct CharOffsets {
    /// `starts[i]` is the byte offset of the i-th char.
    starts: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        CharOffsets {
            starts: text.char_indices().map(|(i, _)| i).collect(),
            len: text.len(),
        }
    }
    /// Code-point offset of a byte offset (rounded down to a char boundary).
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.len {
            return self.starts.len();
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
    pub fn span(&self, s: Span) -> CharSpan {
        CharSpan {
            start: self.char_of(s.start),
            end: self.char_of(s.end),
        }
    }
}

/// A span in Unicode code points, as written in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(String),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points_not_bytes() {
        let t = "é«Est» x";
        let co = CharOffsets::new(t);
        let x = t.find('x').unwrap();
        assert_eq!(co.char_of(x), 7);
        assert_eq!(co.char_of(t.len()), t.chars().count());
        assert_eq!(co.span(Span::new(0, x)), CharSpan { start: 0, end: 7 });
    }

    #[test]
    fn span_slice_never_panics() {
        assert_eq!(Span::new(3, 99).slice("abc"), "");
        assert_eq!(Span::new(1, 2).slice("abc"), "b");
    }
}
