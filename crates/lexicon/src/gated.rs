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
    /// at the start only), those that close it for rules anchored at its
    /// end (tried at the end only), and those found anywhere for the rest.
    at_start: Lits,
    at_end: Lits,
    anywhere: Lits,
    /// Rules without a usable literal: always tried.
    always: Vec<usize>,
    /// Per rule, more literal sets every match holds one of ("/" in
    /// "(reuters|ap)\s*/\s*[\w ]{2,40}$"): a candidate whose text lacks
    /// one is dropped before its regex is compiled.
    also: Vec<Vec<Vec<Vec<u8>>>>,
}

/// Where in a text a rule's gate literals must lie.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Start,
    End,
    Anywhere,
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
            let (mut at_start, mut at_end, mut anywhere) = (Vec::new(), Vec::new(), Vec::new());
            let mut always = Vec::new();
            let mut also = vec![Vec::new(); self.rules.len()];
            for (i, (_, re)) in self.rules.iter().enumerate() {
                let Ok(hir) = regex_syntax::parse(re.as_str()) else {
                    continue;
                };
                let props = hir.properties();
                let opens = props.look_set_prefix().contains(Look::Start);
                let closes = props.look_set_suffix().contains(Look::End);
                match required_literals(&hir, true) {
                    Some((lits, place)) => {
                        let to = match place {
                            Place::Start if opens => &mut at_start,
                            Place::End if closes => &mut at_end,
                            _ => &mut anywhere,
                        };
                        to.extend(lits.iter().map(|l| (l.clone(), i)));
                        also[i] = other_required_literals(&hir, &lits);
                    }
                    None => always.push(i),
                }
            }
            match (
                Lits::new(at_start, Place::Start),
                Lits::new(at_end, Place::End),
                Lits::new(anywhere, Place::Anywhere),
            ) {
                (Some(at_start), Some(at_end), Some(anywhere)) => Gate {
                    at_start,
                    at_end,
                    anywhere,
                    always,
                    also,
                },
                _ => Gate {
                    at_start: Lits::default(),
                    at_end: Lits::default(),
                    anywhere: Lits::default(),
                    always: (0..self.rules.len()).collect(),
                    also: vec![Vec::new(); self.rules.len()],
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
        let ascii = crate::lazy::ascii_like(text);
        self.candidate_rules(text).into_iter().filter_map(move |i| {
            let (tag, re) = &self.rules[i];
            re.for_ascii(ascii).map(|re| (tag, re))
        })
    }

    /// The indices of the rules `text` may match, in the given order.
    fn candidate_rules(&self, text: &str) -> Vec<usize> {
        let gate = self.gate();
        let mut cand = gate.always.clone();
        gate.at_start.rules_in(text, &mut cand);
        gate.at_end.rules_in(text, &mut cand);
        gate.anywhere.rules_in(text, &mut cand);
        cand.sort_unstable();
        cand.dedup();
        let hay = text.as_bytes();
        cand.retain(|&i| {
            gate.also[i]
                .iter()
                .all(|set| set.iter().any(|l| contains(hay, l)))
        });
        cand
    }

    /// The tag of the first rule (in the given order) that matches `text`.
    ///
    /// Candidates in a row with equal tags give the same answer whichever
    /// of them matches, so among them the rules compiled already are
    /// tried first: a line is often settled without compiling another
    /// pattern (25 languages' caption rules all end on "afp|ap|reuters").
    pub fn first_match(&self, text: &str) -> Option<&T>
    where
        T: PartialEq,
    {
        let cand = self.candidate_rules(text);
        let ascii = !cand.is_empty() && crate::lazy::ascii_like(text);
        let mut rest = cand.as_slice();
        while let Some(&first) = rest.first() {
            let tag = &self.rules[first].0;
            let n = rest
                .iter()
                .take_while(|&&i| self.rules[i].0 == *tag)
                .count();
            let (run, after) = rest.split_at(n);
            let (ready, later): (Vec<usize>, Vec<usize>) = run
                .iter()
                .partition(|&&i| self.rules[i].1.is_compiled_for(ascii));
            let hit = ready.iter().chain(&later).any(|&i| {
                self.rules[i]
                    .1
                    .for_ascii(ascii)
                    .is_some_and(|re| re.is_match(text))
            });
            if hit {
                return Some(tag);
            }
            rest = after;
        }
        None
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
    /// Where matches count: at offset 0 or at the end of the text only
    /// (with the longest literal's length), or anywhere.
    place: Option<(Place, usize)>,
}

impl Lits {
    /// `None` when the automaton cannot be built.
    fn new(lits: Vec<(Vec<u8>, usize)>, place: Place) -> Option<Lits> {
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
            place: (place != Place::Anywhere).then_some((place, longest)),
        })
    }

    fn rules_in(&self, text: &str, out: &mut Vec<usize>) {
        let Some(ac) = &self.ac else { return };
        let mut hay = text.as_bytes();
        match self.place {
            Some((Place::Start, longest)) => hay = &hay[..longest.min(hay.len())],
            Some((_, longest)) => hay = &hay[hay.len().saturating_sub(longest)..],
            None => {}
        }
        for m in ac.find_overlapping_iter(hay) {
            let ok = match self.place {
                Some((Place::Start, _)) => m.start() == 0,
                Some(_) => m.end() == hay.len(),
                None => true,
            };
            if ok {
                out.push(self.rule[m.pattern().as_usize()]);
            }
        }
    }
}

/// Literals one of which every match of `hir` contains, the most selective
/// found (longest shortest literal): the prefixes or suffixes of the whole
/// pattern, or those of one of its parts in sequence ("[.!?] (photo|foto):
/// .+" is gated by "photo"/"foto", not by "."). `(literals, where they lie
/// in a match: at its start or end when taken from the whole pattern)`;
/// `None` when no part has any.
fn required_literals(hir: &Hir, whole: bool) -> Option<(Vec<Vec<u8>>, Place)> {
    let mut best: Option<(Vec<Vec<u8>>, Place)> = None;
    let mut consider = |c: Option<(Vec<Vec<u8>>, Place)>| {
        let score = |l: &Vec<Vec<u8>>| l.iter().map(Vec::len).min().unwrap_or(0);
        if let Some(c) = c {
            if best.as_ref().is_none_or(|b| score(&c.0) > score(&b.0)) {
                best = Some(c);
            }
        }
    };
    let at = |place: Place| if whole { place } else { Place::Anywhere };
    consider(gate_literals(hir, ExtractKind::Prefix).map(|(l, _)| (l, at(Place::Start))));
    consider(gate_literals(hir, ExtractKind::Suffix).map(|(l, edge)| {
        (
            l,
            if edge {
                at(Place::End)
            } else {
                Place::Anywhere
            },
        )
    }));
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

/// The literal sets of the parts in sequence of `hir` (at the top, inside
/// captures) other than `gate`: every match holds one literal of each.
fn other_required_literals(hir: &Hir, gate: &[Vec<u8>]) -> Vec<Vec<Vec<u8>>> {
    let mut hir = hir;
    while let HirKind::Capture(c) = hir.kind() {
        hir = &c.sub;
    }
    let HirKind::Concat(parts) = hir.kind() else {
        return Vec::new();
    };
    let mut out: Vec<Vec<Vec<u8>>> = Vec::new();
    for p in parts {
        if let Some((lits, _)) = gate_literals(p, ExtractKind::Prefix) {
            if lits != gate && !out.contains(&lits) {
                out.push(lits);
            }
        }
    }
    out
}

/// Whether `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The literals every match of `hir` starts (or ends) with, when there
/// are some and none is empty: (literals, each is still a suffix of the
/// match when suffixes were asked for).
/// A country mask (which every masked sentence holds) tells nothing: a
/// prefix is cut before its first mask, a suffix after its last.
fn gate_literals(hir: &Hir, kind: ExtractKind) -> Option<(Vec<Vec<u8>>, bool)> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let seq = Extractor::new().kind(kind).extract(hir);
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut edge = true;
    for l in lits {
        let s = String::from_utf8_lossy(l.as_bytes());
        let cut = if prefix {
            s.split([crate::MASK_OPEN, crate::MASK_CLOSE]).next()
        } else {
            s.rsplit([crate::MASK_OPEN, crate::MASK_CLOSE]).next()
        };
        let cut = cut.unwrap_or("");
        // a literal cut inside a character ends (or opens) on U+FFFD: it
        // no longer closes the match
        edge &= prefix || !cut.ends_with('\u{FFFD}');
        let cut = cut.trim_matches('\u{FFFD}');
        if cut.is_empty() {
            return None;
        }
        out.push(cut.as_bytes().to_vec());
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some((out, edge))
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
    fn a_rule_anchored_at_the_end_is_only_tried_at_the_end() {
        let g = rules(&[r"(/|\|)\s*(reuters|ap)\)?$", r"\bap\b"]);
        assert_eq!(
            g.first_match("soldiers on parade / AP".to_lowercase().as_str()),
            Some(&0)
        );
        assert_eq!(g.first_match("soldiers | reuters)"), Some(&0));
        assert_eq!(g.candidates("japan and the ap said").count(), 1);
        assert_eq!(g.first_match("japan and the ap said"), Some(&1));
        // "ap" inside the text opens the second rule only
        assert_eq!(g.candidates("news from japan").count(), 1);
        assert_eq!(g.first_match("news from japan"), None);
    }

    #[test]
    fn a_rule_needs_every_literal_part_in_the_text() {
        let g = rules(&[r"\b(antara|ap)\s*/\s*[\w ]{2,40}$"]);
        assert_eq!(g.candidates("the ap said so").count(), 0);
        assert_eq!(g.first_match("antara / budi"), Some(&0));
        assert_eq!(g.first_match("ap/ someone"), Some(&0));
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
