//! Who said what about an exercise, and what it is for.
//!
//! A claim is a quotation (three words or more between quote marks) in a
//! sentence about the exercise, with its speaker: the person's name next to
//! a reporting verb ("said", "a déclaré"), the speaker's role (a title or a
//! body from the lexicon: "spokesman", "ministry of defence") and the
//! country that role belongs to. The purpose is the first clause of the
//! exercise's sentences that states one ("aimed at", "l'objectif est").

use crate::analysis::Analysis;
use crate::names::quoted_spans;
use muster_core::{CharOffsets, Claim};
use muster_lexicon::Role;

/// Capitalised runs of two or three words ("Vladimir Kupriyanyuk") in
/// `[from, to)` of the original text, outside `skip` ranges.
fn person_names(
    text: &str,
    from: usize,
    to: usize,
    skip: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(seg) = text.get(from..to) else {
        return out;
    };
    let mut run: Vec<(usize, usize)> = Vec::new();
    let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<(usize, usize)>| {
        if (2..=3).contains(&run.len()) {
            out.push((run[0].0, run[run.len() - 1].1));
        }
        run.clear();
    };
    let mut pos = 0;
    for word in seg.split(|c: char| c.is_whitespace()) {
        let start = from + pos;
        pos += word.len() + 1;
        let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        let lead = word.len()
            - word
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let s = start + lead;
        let e = s + core.len();
        let capital = core.chars().next().is_some_and(char::is_uppercase)
            && core.chars().skip(1).any(char::is_lowercase)
            && core.chars().count() >= 2;
        let inside = skip.iter().any(|&(a, b)| s < b && a < e);
        if capital && !inside {
            run.push((s, e));
            if word.trim_end().ends_with([',', '.', ';', ':']) {
                flush(&mut run, &mut out);
            }
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Claims and purpose of an exercise from the sentences of its scope.
pub fn claims_and_purpose(
    a: &Analysis,
    scope: &[usize],
    offsets: &CharOffsets,
) -> (Vec<Claim>, Option<(String, usize, usize)>) {
    let mut claims = Vec::new();
    let mut purpose = None;
    let (n, t) = (&a.norm, a.text);
    for &si in scope {
        let s = &a.sents[si];
        let (os, oe) = (s.span.start, s.span.end);
        let quotes: Vec<(usize, usize)> = quoted_spans(t, os, oe)
            .into_iter()
            .filter(|&(qs, qe)| t[qs..qe].split_whitespace().count() >= 3)
            .collect();
        let mut reporting = Vec::new();
        let mut roles = Vec::new();
        let mut purposes = Vec::new();
        for l in &a.langs {
            reporting.extend(
                l.reporting
                    .find_in(n, t, s.ns, s.ne)
                    .into_iter()
                    .map(|h| (n.orig(h.start), n.orig(h.end))),
            );
            roles.extend(
                l.speaker_roles
                    .find_in(n, t, s.ns, s.ne)
                    .into_iter()
                    .map(|h| (n.orig(h.start), n.orig(h.end))),
            );
            purposes.extend(
                l.purpose
                    .find_in(n, t, s.ns, s.ne)
                    .into_iter()
                    .map(|h| (n.orig(h.start), n.orig(h.end))),
            );
        }
        if purpose.is_none() {
            // a marker glued to the word before it ("테스트하기 위한") closes
            // an aim written before it: what follows it is no purpose
            let opens_word = |ps: usize| {
                t[..ps]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            };
            if let Some(&(ps, _)) = purposes.iter().filter(|p| opens_word(p.0)).min() {
                // inside a quotation, the purpose ends with it
                let end = t[ps..oe].find(['»', '”']).map(|k| ps + k).unwrap_or(oe);
                let text = t[ps..end]
                    .trim()
                    .trim_end_matches(['.', '»', '”', '"', ' '])
                    .to_string();
                if text.split_whitespace().count() >= 3 {
                    purpose = Some((text, ps, end));
                }
            }
        }
        if quotes.is_empty() || (reporting.is_empty() && roles.is_empty()) {
            continue;
        }
        let country_spans: Vec<(usize, usize)> = s
            .countries
            .iter()
            .map(|&ci| a.orig_span(a.countries[ci].start, a.countries[ci].end))
            .map(|sp| (sp.start, sp.end))
            .collect();
        let mut skip = quotes.clone();
        skip.extend(country_spans.iter().copied());
        skip.extend(roles.iter().copied());
        let people = person_names(t, os, oe, &skip);
        for &(qs, qe) in &quotes {
            // the speaker: the person nearest to a reporting verb, else the role
            let near_verb = |p: &(usize, usize)| {
                reporting
                    .iter()
                    .map(|r| {
                        if r.1 <= p.0 {
                            p.0 - r.1
                        } else {
                            r.0.saturating_sub(p.1)
                        }
                    })
                    .min()
                    .unwrap_or(usize::MAX)
            };
            let person = people
                .iter()
                .filter(|p| p.1 <= qs || p.0 >= qe)
                .min_by_key(|p| near_verb(p))
                .copied();
            let anchor = person.unwrap_or_else(|| reporting.first().copied().unwrap_or((qe, qe)));
            let role = roles
                .iter()
                .filter(|r| r.1 <= qs || r.0 >= qe)
                .min_by_key(|r| {
                    if r.1 <= anchor.0 {
                        anchor.0 - r.1
                    } else {
                        r.0.saturating_sub(anchor.1)
                    }
                })
                .copied();
            // the role phrase runs from its title to the person's name or its clause end
            let role_text = role.map(|(rs, re)| {
                let stop = person.map(|p| p.0).filter(|&p| p > re).unwrap_or_else(|| {
                    t[re..oe]
                        .find([',', '.', ';', '«', '“', '"'])
                        .map(|k| re + k)
                        .unwrap_or(oe)
                });
                (rs, stop.max(re))
            });
            let country = s
                .countries
                .iter()
                .map(|&ci| &a.countries[ci])
                .find(|c| {
                    let sp = a.orig_span(c.start, c.end);
                    role_text.is_some_and(|(rs, re)| sp.start + 20 >= rs && sp.end <= re + 30)
                        && matches!(
                            c.role,
                            Some(Role::Speaker)
                                | Some(Role::Attribution)
                                | Some(Role::Participant)
                                | None
                        )
                })
                .map(|c| c.code.clone());
            if person.is_none() && role_text.is_none() {
                continue;
            }
            let clean = |x: &str| x.trim().trim_matches([',', ' ', '.']).to_string();
            let cs = offsets.span(muster_core::Span::new(qs, qe));
            claims.push(Claim {
                speaker: person
                    .map(|(ps, pe)| clean(&t[ps..pe]))
                    .or_else(|| role_text.map(|(rs, re)| clean(&t[rs..re]))),
                role: role_text.map(|(rs, re)| clean(&t[rs..re])),
                country,
                quote: t[qs..qe].trim().to_string(),
                start: cs.start,
                end: cs.end,
            });
        }
    }
    (claims, purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_are_capitalised_pairs_and_triples() {
        let t = "said on Friday the deputy chief of the General Staff, Vladimir Kupriyanyuk.";
        let names: Vec<&str> = person_names(t, 0, t.len(), &[])
            .into_iter()
            .map(|(s, e)| &t[s..e])
            .collect();
        assert!(names.contains(&"Vladimir Kupriyanyuk"));
        assert!(person_names("the army said", 0, 13, &[]).is_empty());
    }
}
