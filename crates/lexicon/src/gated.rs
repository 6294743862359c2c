//! Many line rules, tested only where they can match.
//!
//! Boilerplate rules of every language are tried on every line of every
//! page, role patterns on every sentence that names a country. Running
//! each regex in turn cost a fifth of a run, and compiling them all a good
//! part of it. Most rules begin or end with a literal ("^read more",
//! "we use cookies", "{C} hosted"), so every match starts (or ends) with
//! one of a few strings. One Aho-Corasick automaton over those strings
//! finds, in a single pass, the few rules a text can match; only those are
//! compiled (on first use) and run. A rule with no such literal is always
//! tried. Candidates come in the given order, so "the first rule that
//! matches" means what it would if all were tried in turn.

use crate::lazy::LazyRegex;
use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};
use std::sync::OnceLock;

pub struct GatedRules<T> {
    rules: Vec<(T, LazyRegex)>,
    /// Built on first use: parsing every pattern is itself slow.
    gate: OnceLock<Gate>,
}

struct Gate {
    /// Literals that open the text for rules anchored at its start (tried
    /// at the start only), and those found anywhere for the other rules.
    at_start: Lits,
    anywhere: Lits,
    /// Rules without a usable literal: always tried.
    always: Vec<usize>,
}

impl<T> GatedRules<T> {
    /// Keeps the patterns; nothing is parsed or compiled until first use
    /// (a pattern that does not parse never matches: see [`GatedRules::problems`]).
    pub fn new(patterns: Vec<(T, String)>) -> GatedRules<T> {
        GatedRules {
            rules: patterns
                .into_iter()
                .map(|(tag, src)| (tag, LazyRegex::new(src)))
                .collect(),
            gate: OnceLock::new(),
        }
    }

    fn gate(&self) -> &Gate {
        self.gate.get_or_init(|| {
            let (mut at_start, mut anywhere) = (Vec::new(), Vec::new());
            let mut always = Vec::new();
            for (i, (_, re)) in self.rules.iter().enumerate() {
                let Ok(hir) = regex_syntax::parse(re.as_str()) else {
                    continue;
                };
                let anchored = hir.properties().look_set_prefix().contains(Look::Start);
                match required_literals(&hir, true) {
                    Some((lits, prefix)) => {
                        let to = if anchored && prefix {
                            &mut at_start
                        } else {
                            &mut anywhere
                        };
                        to.extend(lits.into_iter().map(|l| (l, i)));
                    }
                    None => always.push(i),
                }
            }
            match (Lits::new(at_start, true), Lits::new(anywhere, false)) {
                (Some(at_start), Some(anywhere)) => Gate {
                    at_start,
                    anywhere,
                    always,
                },
                _ => Gate {
                    at_start: Lits::default(),
                    anywhere: Lits::default(),
                    always: (0..self.rules.len()).collect(),
                },
            }
        })
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules `text` may match, in the given order.
    pub fn candidates<'a>(&'a self, text: &str) -> impl Iterator<Item = (&'a T, &'a Regex)> {
        let gate = self.gate();
        let mut cand = gate.always.clone();
        gate.at_start.rules_in(text, &mut cand);
        gate.anywhere.rules_in(text, &mut cand);
        cand.sort_unstable();
        cand.dedup();
        cand.into_iter().filter_map(|i| {
            let (tag, re) = &self.rules[i];
            re.get().map(|re| (tag, re))
        })
    }

    /// The first rule (in the given order) that matches `text`.
    pub fn first_match(&self, text: &str) -> Option<&T> {
        self.candidates(text)
            .find(|(_, re)| re.is_match(text))
            .map(|(tag, _)| tag)
    }

    /// Compiles every rule now: (pattern, problem) for those that fail.
    pub fn problems(&self) -> Vec<(String, String)> {
        self.rules
            .iter()
            .filter_map(|(_, re)| re.check().err().map(|e| (re.as_str().to_string(), e)))
            .collect()
    }
}

/// Gate literals and the rule each belongs to.
#[derive(Default)]
struct Lits {
    ac: Option<AhoCorasick>,
    rule: Vec<usize>,
    /// Only matches at offset 0 count; the longest literal's length.
    at_start: Option<usize>,
}

impl Lits {
    /// `None` when the automaton cannot be built.
    fn new(lits: Vec<(Vec<u8>, usize)>, at_start: bool) -> Option<Lits> {
        if lits.is_empty() {
            return Some(Lits::default());
        }
        let ac = AhoCorasick::builder()
            .build(lits.iter().map(|(l, _)| l))
            .ok()?;
        let longest = lits.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        Some(Lits {
            ac: Some(ac),
            rule: lits.into_iter().map(|(_, r)| r).collect(),
            at_start: at_start.then_some(longest),
        })
    }

    fn rules_in(&self, text: &str, out: &mut Vec<usize>) {
        let Some(ac) = &self.ac else { return };
        let mut hay = text.as_bytes();
        if let Some(longest) = self.at_start {
            hay = &hay[..longest.min(hay.len())];
        }
        for m in ac.find_overlapping_iter(hay) {
            if self.at_start.is_none() || m.start() == 0 {
                out.push(self.rule[m.pattern().as_usize()]);
            }
        }
    }
}

/// Literals one of which every match of `hir` contains, the most selective
/// found (longest shortest literal): the prefixes or suffixes of the whole
/// pattern, or those of one of its parts in sequence ("[.!?] (photo|foto):
/// .+" is gated by "photo"/"foto", not by "."). `(literals, they open the
/// whole pattern)`; `None` when no part has any.
fn required_literals(hir: &Hir, whole: bool) -> Option<(Vec<Vec<u8>>, bool)> {
    let mut best: Option<(Vec<Vec<u8>>, bool)> = None;
    let mut consider = |c: Option<(Vec<Vec<u8>>, bool)>| {
        let score = |l: &Vec<Vec<u8>>| l.iter().map(Vec::len).min().unwrap_or(0);
        if let Some(c) = c {
            if best.as_ref().is_none_or(|b| score(&c.0) > score(&b.0)) {
                best = Some(c);
            }
        }
    };
    consider(gate_literals(hir, ExtractKind::Prefix).map(|(l, p)| (l, p && whole)));
    consider(gate_literals(hir, ExtractKind::Suffix));
    match hir.kind() {
        HirKind::Concat(parts) => {
            for p in parts {
                consider(required_literals(p, false));
            }
        }
        HirKind::Capture(c) => consider(required_literals(&c.sub, false)),
        _ => {}
    }
    best
}

/// The literals every match of `hir` starts (or ends) with, when there
/// are some and none is empty: (literals, the extraction was of prefixes).
/// A country mask (which every masked sentence holds) tells nothing: a
/// prefix is cut before its first mask, a suffix after its last.
fn gate_literals(hir: &Hir, kind: ExtractKind) -> Option<(Vec<Vec<u8>>, bool)> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let seq = Extractor::new().kind(kind).extract(hir);
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = Vec::new();
    for l in lits {
        let s = String::from_utf8_lossy(l.as_bytes());
        let cut = if prefix {
            s.split([crate::MASK_OPEN, crate::MASK_CLOSE]).next()
        } else {
            s.rsplit([crate::MASK_OPEN, crate::MASK_CLOSE]).next()
        };
        let cut = cut.unwrap_or("").trim_matches('\u{FFFD}');
        if cut.is_empty() {
            return None;
        }
        out.push(cut.as_bytes().to_vec());
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some((out, prefix))
}

#[cfg(test)]
mod tests {
    use super::GatedRules;

    fn rules(p: &[&str]) -> GatedRules<usize> {
        let g = GatedRules::new(
            p.iter()
                .enumerate()
                .map(|(i, s)| (i, s.to_string()))
                .collect(),
        );
        assert!(g.problems().is_empty());
        g
    }

    #[test]
    fn the_first_rule_in_order_wins_as_if_all_were_tried() {
        let g = rules(&[r"^read (also|more)\b", r"\bwe use cookies\b", r"more\b"]);
        assert_eq!(g.first_match("read more here"), Some(&0));
        assert_eq!(g.first_match("here we use cookies"), Some(&1));
        assert_eq!(g.first_match("we read more"), Some(&2));
        assert_eq!(g.first_match("nothing to see"), None);
    }

    #[test]
    fn an_anchored_rule_is_only_tried_at_the_start() {
        let g = rules(&[r"^subscribe\b.{0,60}$"]);
        assert_eq!(g.first_match("subscribe now"), Some(&0));
        assert_eq!(g.first_match("you can subscribe now"), None);
    }

    #[test]
    fn rules_without_a_leading_literal_are_always_tried() {
        let g = rules(&[r"^\d+ comments?$", r"(?i)^(prev|next)\b", r".*\bpaywall$"]);
        assert_eq!(g.first_match("12 comments"), Some(&0));
        assert_eq!(g.first_match("NEXT story"), Some(&1));
        assert_eq!(g.first_match("behind the paywall"), Some(&2));
    }

    #[test]
    fn a_rule_opening_on_a_country_mask_is_gated_by_its_end() {
        let g = rules(&[
            "\u{E000}(?P<c>[0-9]+)n\u{E001} (hosts|hosted)\\b",
            "approach\\w* \u{E000}",
        ]);
        assert_eq!(g.first_match("as \u{E000}0n\u{E001} hosted it"), Some(&0));
        assert_eq!(
            g.first_match("ships approaching \u{E000}0n\u{E001}"),
            Some(&1)
        );
        assert_eq!(g.candidates("\u{E000}0n\u{E001} said").count(), 0);
    }

    #[test]
    fn a_rule_is_gated_by_its_most_selective_part() {
        let g = rules(&[
            r#"[.!?"]\s*(photo|foto)\s*:\s*.{1,100}$"#,
            r"^\d+ comments?$",
        ]);
        assert_eq!(g.candidates("It rained. Then it stopped.").count(), 0);
        assert_eq!(g.first_match("the end. photo: someone"), Some(&0));
        assert_eq!(g.first_match("12 comments"), Some(&1));
        assert_eq!(g.candidates("12 apples").count(), 0);
    }

    #[test]
    fn a_broken_pattern_is_reported_and_the_rest_still_work() {
        let g = GatedRules::new(vec![(0, "(open".to_string()), (1, "^ok$".to_string())]);
        assert_eq!(g.problems().len(), 1);
        assert_eq!(g.first_match("ok"), Some(&1));
    }
}
