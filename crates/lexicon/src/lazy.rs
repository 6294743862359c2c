//! Regexes compiled on first use.
//!
//! Compiling every pattern of 25 languages takes over a second, most of
//! it the role patterns; a run over English pages needs only English ones.
//! Each pattern's syntax is still checked when the lexicon loads (cheap:
//! parsing, not compiling), so `muster check-data` reports a broken one.

use regex::Regex;
use std::sync::OnceLock;

pub struct LazyRegex {
    src: String,
    re: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Checks the syntax now; compiles on the first [`LazyRegex::get`].
    pub fn new(src: String) -> Result<LazyRegex, String> {
        regex_syntax::Parser::new()
            .parse(&src)
            .map_err(|e| e.to_string())?;
        Ok(LazyRegex {
            src,
            re: OnceLock::new(),
        })
    }

    /// The compiled regex; `None` only if it is too big to compile.
    pub fn get(&self) -> Option<&Regex> {
        self.re.get_or_init(|| Regex::new(&self.src).ok()).as_ref()
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
    fn bad_syntax_is_refused_at_once_and_good_patterns_compile_later() {
        assert!(LazyRegex::new("(unclosed".into()).is_err());
        let r = LazyRegex::new(r"\bde (\d+)".into()).unwrap();
        assert!(r.get().unwrap().is_match("de 12"));
    }
}
