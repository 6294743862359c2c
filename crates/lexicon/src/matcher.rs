//! Word-bounded multi-pattern matching of lexicon entries over a [`Norm`].
//!
//! An entry is a phrase written naturally in a data file ("war game*",
//! "Northern Theater Command"); it is normalized like the text. A trailing
//! `*` makes the last word a prefix (for inflected languages). Matching
//! finds every entry, keeps those on word boundaries (none are needed in
//! scripts written without spaces), and among overlapping hits keeps the
//! longest.

use crate::norm::{is_unspaced, is_word_char, norm_str, Norm};
use aho_corasick::{AhoCorasick, MatchKind};

#[derive(Debug, Clone)]
struct Meta<V> {
    prefix: bool,
    /// The original text must start with an upper-case letter here.
    capital: bool,
    /// An acronym ("PLA", "ROK"): the original must be all capitals too.
    acronym: bool,
    value: V,
}

/// A set of phrases, each carrying a value. Entries are normalized and
/// the automaton built on the first search: a language no input is written
/// in costs nothing (start-up is most of a short run).
#[derive(Debug, Clone)]
pub struct Matcher<V> {
    entries: Vec<(String, bool, V)>,
    built: std::sync::OnceLock<Built<V>>,
}

#[derive(Debug, Clone)]
struct Built<V> {
    ac: Option<AhoCorasick>,
    metas: Vec<Meta<V>>,
}

/// One match: a normalized byte range and the value of its entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<V> {
    pub start: usize,
    pub end: usize,
    pub value: V,
}

impl<V: Clone> Default for Matcher<V> {
    fn default() -> Self {
        Matcher {
            entries: Vec::new(),
            built: std::sync::OnceLock::new(),
        }
    }
}

impl<V: Clone> Matcher<V> {
    /// Builds a matcher from `(phrase, needs_capital, value)` triples.
    pub fn new<I: IntoIterator<Item = (String, bool, V)>>(entries: I) -> Self {
        Matcher {
            entries: entries
                .into_iter()
                .filter(|(raw, _, _)| !raw.trim().trim_end_matches('*').is_empty())
                .collect(),
            built: std::sync::OnceLock::new(),
        }
    }

    fn built(&self) -> &Built<V> {
        self.built.get_or_init(|| {
            let mut forms = Vec::new();
            let mut metas = Vec::new();
            for (raw, capital, value) in &self.entries {
                let raw = raw.trim();
                let prefix = raw.ends_with('*');
                let bare = raw.trim_end_matches('*');
                let form = norm_str(bare);
                if form.is_empty() {
                    continue;
                }
                let acronym = *capital && {
                    let letters: Vec<char> = bare.chars().filter(|c| c.is_alphabetic()).collect();
                    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
                };
                forms.push(form);
                metas.push(Meta {
                    prefix,
                    capital: *capital,
                    acronym,
                    value: value.clone(),
                });
            }
            let ac = (!forms.is_empty())
                .then(|| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .build(&forms)
                        .ok()
                })
                .flatten();
            Built { ac, metas }
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All non-overlapping hits in `norm` (longest wins), in text order.
    /// `orig` is the text `norm` was made from (for capitalisation checks).
    pub fn find(&self, norm: &Norm, orig: &str) -> Vec<Hit<V>> {
        self.find_in(norm, orig, 0, norm.text.len())
    }

    /// Like [`Matcher::find`], restricted to the normalized range `[from, to)`.
    pub fn find_in(&self, norm: &Norm, orig: &str, from: usize, to: usize) -> Vec<Hit<V>> {
        let built = self.built();
        let Some(ac) = &built.ac else {
            return Vec::new();
        };
        let text = &norm.text;
        let to = to.min(text.len());
        if from >= to || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            return Vec::new();
        }
        let hay = &text[..to];
        let mut hits: Vec<Hit<V>> = Vec::new();
        for m in ac.find_overlapping_iter(aho_corasick::Input::new(hay).range(from..to)) {
            let meta = &built.metas[m.pattern().as_usize()];
            let (s, mut e) = (m.start(), m.end());
            if !left_ok(hay, s) {
                continue;
            }
            if meta.prefix {
                // extend over the rest of the word
                while let Some(c) = hay[e..].chars().next() {
                    if is_word_char(c) {
                        e += c.len_utf8();
                    } else {
                        break;
                    }
                }
            } else if !right_ok(hay, e) {
                continue;
            }
            if meta.capital && !starts_upper(orig, norm.orig(s)) {
                continue;
            }
            if meta.acronym && !all_upper(orig, norm.orig(s), norm.orig(e)) {
                continue;
            }
            hits.push(Hit {
                start: s,
                end: e,
                value: meta.value.clone(),
            });
        }
        // longest first, then leftmost; greedy non-overlapping selection
        hits.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        let mut chosen: Vec<Hit<V>> = Vec::new();
        for h in hits {
            if chosen.iter().all(|c| h.end <= c.start || h.start >= c.end) {
                chosen.push(h);
            }
        }
        chosen.sort_by_key(|h| h.start);
        chosen
    }
}

fn left_ok(hay: &str, s: usize) -> bool {
    let first = hay[s..].chars().next();
    match hay[..s].chars().next_back() {
        None => true,
        Some(p) => !is_word_char(p) || first.is_some_and(is_unspaced) || is_unspaced(p),
    }
}

fn right_ok(hay: &str, e: usize) -> bool {
    let last = hay[..e].chars().next_back();
    match hay[e..].chars().next() {
        None => true,
        Some(n) => !is_word_char(n) || last.is_some_and(is_unspaced) || is_unspaced(n),
    }
}

fn all_upper(orig: &str, s: usize, e: usize) -> bool {
    orig.get(s..e)
        .is_some_and(|t| !t.chars().any(char::is_lowercase))
}

fn starts_upper(orig: &str, at: usize) -> bool {
    match orig.get(at..).and_then(|s| s.chars().next()) {
        Some(c) => !c.is_lowercase(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(entries: &[(&str, bool, u32)]) -> Matcher<u32> {
        Matcher::new(entries.iter().map(|(a, b, c)| (a.to_string(), *b, *c)))
    }

    #[test]
    fn longest_match_wins_and_boundaries_hold() {
        let mt = m(&[
            ("Korea", false, 1),
            ("South Korea", false, 2),
            ("us", false, 3),
        ]);
        let t = "Drills used by South Korea and US";
        let n = Norm::new(t);
        let v: Vec<u32> = mt.find(&n, t).into_iter().map(|h| h.value).collect();
        assert_eq!(v, vec![2, 3]);
    }

    #[test]
    fn prefix_entries_cover_inflections() {
        let mt = m(&[("учени*", false, 1)]);
        let t = "в ходе учений и учениях";
        let n = Norm::new(t);
        assert_eq!(mt.find(&n, t).len(), 2);
    }

    #[test]
    fn capital_entries_skip_lower_case_words() {
        let mt = m(&[("Turkey", true, 1)]);
        let t = "a turkey dinner in Turkey";
        let n = Norm::new(t);
        let hits = mt.find(&n, t);
        assert_eq!(hits.len(), 1);
        assert_eq!(n.orig(hits[0].start), t.rfind("Turkey").unwrap());
    }

    #[test]
    fn acronyms_need_capitals() {
        let mt = m(&[("PLA", true, 1)]);
        let t = "Pla said; the PLA drilled";
        let n = Norm::new(t);
        let hits = mt.find(&n, t);
        assert_eq!(hits.len(), 1);
        assert_eq!(n.orig(hits[0].start), t.find("PLA").unwrap());
    }

    #[test]
    fn unspaced_scripts_match_inside_runs() {
        let mt = m(&[("东方", false, 1)]);
        let t = "参加东方2022演习";
        let n = Norm::new(t);
        assert_eq!(mt.find(&n, t).len(), 1);
    }
}
