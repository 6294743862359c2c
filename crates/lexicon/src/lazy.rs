//! Regexes compiled on first use.
//!
//! Compiling every pattern of 25 languages takes over a second, most of
//! it the role patterns; a run over English pages needs only English ones.
//! Even parsing them all took a third of start-up, so nothing is checked
//! when the lexicon loads: `muster check-data` (and a test over the
//! embedded data) runs [`LazyRegex::check`] on every pattern, and a broken
//! one never matches.

//!
//! A text in ASCII gets the pattern compiled without Unicode classes
//! ([`LazyRegex::for_text`]): on ASCII text `\w`, `\b`, `\d`, `\s` and
//! case folding match exactly what their Unicode forms match, and `\w`
//! is four byte ranges instead of hundreds. A caption rule such as
//! `[\w ]{2,40}$` copies its class forty times; compiled for Unicode it
//! took 36 ms, most of a short run's compiling.

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

pub struct LazyRegex {
    src: String,
    re: OnceLock<Option<Regex>>,
    /// Whether every match holds a digit (read from the parsed pattern on
    /// first use): such a pattern need not run on a text without one.
    needs_digit: OnceLock<bool>,
    /// The same pattern without Unicode, for ASCII texts; `None` where it
    /// cannot be so compiled (`.` or a negated class could then match a
    /// byte that is no character).
    ascii: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Compiles on the first [`LazyRegex::get`].
    pub fn new(src: String) -> LazyRegex {
        LazyRegex {
            src,
            re: OnceLock::new(),
            ascii: OnceLock::new(),
            needs_digit: OnceLock::new(),
        }
    }

    /// Whether the pattern can match a text that holds a digit or not
    /// (`has_digit`): a date template of days and years cannot match
    /// without one.
    pub fn may_match(&self, has_digit: bool) -> bool {
        has_digit
            || !*self.needs_digit.get_or_init(|| {
                regex_syntax::Parser::new()
                    .parse(&self.src)
                    .is_ok_and(|h| needs_digit(&h))
            })
    }

    /// The compiled regex to run on `text`: the ASCII one when `text` is
    /// [`ascii_like`] and the pattern compiles so, else the Unicode one.
    pub fn for_text(&self, text: &str) -> Option<&Regex> {
        self.for_ascii(ascii_like(text))
    }

    /// [`LazyRegex::for_text`] for a text known to be ASCII or not.
    pub fn for_ascii(&self, ascii_text: bool) -> Option<&Regex> {
        if ascii_text {
            let ascii = self
                .ascii
                .get_or_init(|| RegexBuilder::new(&self.src).unicode(false).build().ok());
            if let Some(re) = ascii {
                return Some(re);
            }
        }
        self.get()
    }

    /// Whether [`LazyRegex::for_ascii`] needs no compiling.
    pub fn is_compiled_for(&self, ascii_text: bool) -> bool {
        if ascii_text {
            match self.ascii.get() {
                Some(Some(_)) => return true,
                None => return false,
                Some(None) => {}
            }
        }
        self.is_compiled()
    }

    /// Whether the pattern compiles: its syntax error, or its size.
    pub fn check(&self) -> Result<(), String> {
        regex_syntax::Parser::new()
            .parse(&self.src)
            .map_err(|e| e.to_string())?;
        match self.get() {
            Some(_) => Ok(()),
            None => Err("too big to compile".into()),
        }
    }

    /// The compiled regex; `None` if it does not compile.
    pub fn get(&self) -> Option<&Regex> {
        self.re.get_or_init(|| Regex::new(&self.src).ok()).as_ref()
    }

    /// Whether [`LazyRegex::get`] has compiled it already.
    pub fn is_compiled(&self) -> bool {
        self.re.get().is_some()
    }

    pub fn as_str(&self) -> &str {
        &self.src
    }
}

/// Whether a text holds a digit of any script (what [`LazyRegex::may_match`]
/// asks).
pub fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || text.chars().any(|c| !c.is_ascii() && c.is_numeric())
}

/// Whether every string `hir` matches holds a digit: a literal with one, a
/// class of digits only, a concatenation with such a part, an alternation
/// whose branches all are, a repetition of one at least once.
fn needs_digit(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => l.0.iter().any(u8::is_ascii_digit),
        HirKind::Class(Class::Unicode(c)) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| (r.start()..=r.end()).all(|ch| ch.is_numeric()))
        }
        HirKind::Class(Class::Bytes(c)) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii_digit()))
        }
        HirKind::Capture(c) => needs_digit(&c.sub),
        HirKind::Repetition(r) => r.min >= 1 && needs_digit(&r.sub),
        HirKind::Concat(parts) => parts.iter().any(needs_digit),
        HirKind::Alternation(alts) => alts.iter().all(needs_digit),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

/// Punctuation outside ASCII that news text is full of. Unicode `\w`,
/// `\d`, `\s` and `\b` see these as ASCII mode sees every non-ASCII
/// character: not a word character, digit or space; and they have no case.
const NEUTRAL: &[char] = &[
    '‘', '’', '‚', '‛', '“', '”', '„', '‟', '«', '»', '‹', '›', '‐', '‑', '‒', '–', '—', '―', '…',
    '•', '·', '†', '‡', '′', '″', '©', '®', '™', '°', '±', '×', '−', '§', '¶', '€', '£', '¥', '¢',
    '¡', '¿',
];

/// Whether the ASCII compile of a pattern finds in `text` exactly what the
/// Unicode one finds: ASCII, or ASCII with [`NEUTRAL`] punctuation and
/// private-use characters (the marks that mask country names before the
/// role patterns run).
pub fn ascii_like(text: &str) -> bool {
    text.is_ascii()
        || text
            .chars()
            .all(|c| c.is_ascii() || NEUTRAL.contains(&c) || ('\u{e000}'..='\u{f8ff}').contains(&c))
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.src)
    }
}

#[cfg(test)]
mod tests {
    use super::LazyRegex;
    use regex::Regex;

    #[test]
    fn bad_syntax_is_reported_by_check_and_never_matches() {
        let bad = LazyRegex::new("(unclosed".into());
        assert!(bad.check().unwrap_err().contains("unclosed"));
        assert!(bad.get().is_none());
        let r = LazyRegex::new(r"\bde (\d+)".into());
        assert!(r.check().is_ok());
        assert!(r.get().unwrap().is_match("de 12"));
    }

    #[test]
    fn patterns_that_need_a_digit_are_known() {
        for (p, needs) in [
            (
                r"\b(?:(?P<d>3[01]|[12][0-9]|0?[1-9]) (?P<m>march|may))(?:\b|$)",
                true,
            ),
            (r"(?P<y>(?:19|20)[0-9]{2})年", true),
            (r"\d+ days", true),
            (r"(?:in )?(?P<m>march|may)( (?P<y>20[0-9]{2}))?", false),
            (r"(mid|late) (?P<m>march|may)|[0-9]+", false),
            (r"x{0,2}[0-9]", true),
            (r"[0-9]{0,2}x", false),
            (r"(unclosed", false),
        ] {
            let lazy = LazyRegex::new(p.into());
            assert_eq!(!lazy.may_match(false), needs, "{p}");
            assert!(lazy.may_match(true), "{p}");
        }
        assert!(super::has_digit("on 5 May") && super::has_digit("٥ مايو"));
        assert!(!super::has_digit("in early May"));
    }

    #[test]
    fn ascii_texts_get_the_same_matches_from_the_ascii_compile() {
        let pats = [
            r"\b(reuters|afp|ap)\s*/\s*[\w ]{2,40}$",
            r"(?i)\bvon (\w+ ){0,2}stra(ss|ß)e\b",
            r"^[^/]{1,20}/ ?\d+$",
            r"(?P<c>[0-9]+)d (\w*minister\w*) (de |del )?",
            r".{0,10}cookies",
            r"фото:? \w+",
            r"(?i)«\s?(\w+)\s?»",
            r"\b\w+’s\b",
            r"(?i)(\w+ ){0,3}©\s*(afp|reuters)",
            r"\W(?P<c>[0-9]+)d\W (condemn\w*|protest\w*)",
        ];
        let texts = [
            "Soldiers at sea. Reuters / John Smith",
            "reuters / a",
            "Die Strasse von Hormus",
            "von der STRASSE",
            "photo / 12",
            "see 12d defence minister of",
            "we use cookies",
            "Soldaten in der Straße",
            "фото Иван",
            "",
            "“Reuters” — the 12d defence minister’s words",
            "« Les soldats » – 3d ministre… © AFP / Jean Dupont",
            "von der Straße – Foto: dpa",
            "\u{e000}12d\u{e001} condemned the drills",
        ];
        for t in texts {
            // the texts this test compares are the ones that pick the ASCII compile
            assert_eq!(super::ascii_like(t), !t.contains(['ß', 'ф', 'И']), "{t}");
        }
        for p in pats {
            let lazy = LazyRegex::new(p.into());
            let unicode = Regex::new(p).unwrap();
            for t in texts {
                let got: Vec<_> = lazy
                    .for_text(t)
                    .unwrap()
                    .find_iter(t)
                    .map(|m| m.range())
                    .collect();
                let want: Vec<_> = unicode.find_iter(t).map(|m| m.range()).collect();
                assert_eq!(got, want, "{p} on {t:?}");
            }
        }
        // a pattern that cannot be compiled without Unicode still runs
        let dot = LazyRegex::new(".{0,10}cookies".into());
        assert!(dot.for_text("we use cookies").is_some());
    }
}
