//! Regexes compiled on first use.
//!
//! Compiling every pattern of 25 languages takes over a second, most of
//! it the role patterns; a run over English pages needs only English ones.
//! Even parsing them all took a third of start-up, so nothing is checked
//! when the lexicon loads: `muster check-data` (and a test over the
//! embedded data) runs [`LazyRegex::check`] on every pattern, and a broken
//! one never matches.

use regex::Regex;
use std::sync::OnceLock;

pub struct LazyRegex {
    src: String,
    re: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Compiles on the first [`LazyRegex::get`].
    pub fn new(src: String) -> LazyRegex {
        LazyRegex {
            src,
            re: OnceLock::new(),
        }
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

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.src)
    }
}

#[cfg(test)]
mod tests {
    use super::LazyRegex;

    #[test]
    fn bad_syntax_is_reported_by_check_and_never_matches() {
        let bad = LazyRegex::new("(unclosed".into());
        assert!(bad.check().unwrap_err().contains("unclosed"));
        assert!(bad.get().is_none());
        let r = LazyRegex::new(r"\bde (\d+)".into());
        assert!(r.check().is_ok());
        assert!(r.get().unwrap().is_match("de 12"));
    }
}
