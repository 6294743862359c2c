//! Where an exercise takes place, from the gazetteer (`muster-geo`): the
//! cities, regions and ranges named in the sentences that mention it.

use crate::analysis::Analysis;
use muster_core::Location;
use muster_geo::Gazetteer;
use muster_lexicon::norm::{norm_str, Norm};

/// The first gazetteer place named in a clause of the exercise's mention
/// sentences, resolved with `context` (the countries around it). A place is
/// kept only when it lies in one of `parties` (the exercise's participants
/// and the countries named as its location: a capitalised word that is also
/// a town in some far country is no location), and when it is no country,
/// force, name, trigger, month or stopword of the text.
/// Returns the location and its normalized span.
/// A place that belongs to another event of the sentence ("the Quad
/// summit in Tokyo", "도쿄의 쿼드 정상회담"): inside the event's words or
/// right beside them.
fn in_other_event(a: &Analysis, si: usize, ds: usize, de: usize) -> bool {
    a.events
        .iter()
        .filter(|e| e.sent == si)
        .any(|e| a.beside_event(e, ds, de, Some(4)))
}

/// A name of one or two characters of a script without spaces ("友好").
fn short_unspaced(word: &str) -> bool {
    word.chars().count() <= 2 && word.chars().all(muster_lexicon::norm::is_unspaced)
}

/// Whether `[ds, de)` (normalized) stands right after a `place_before` word
/// or right before a `place_after` word of the text's languages.
fn marked_as_place(a: &Analysis, ds: usize, de: usize) -> bool {
    let head = &a.norm.text[..ds];
    let tail = &a.norm.text[de..];
    a.langs.iter().any(|l| {
        l.data
            .place_before
            .iter()
            .any(|w| head.ends_with(w.as_str()))
            || l.data
                .place_after
                .iter()
                .any(|w| tail.starts_with(w.as_str()))
    })
}

/// Whether the word at `ds` (normalized) is a person's name: an office or
/// rank of the text's languages (`speaker_roles`: "Minister", "कर्नल")
/// ends at most three words before it, and the words between are names or
/// list joiners, no other function word ("Ministers Stefanović and
/// Wallace", "Colonel Aman Anand"; not "the minister in Warsaw").
fn after_a_title(a: &Analysis, sent_start: usize, ds: usize) -> bool {
    let head = muster_lexicon::norm::before(&a.norm.text, sent_start, ds, 80);
    let from = ds - head.len();
    a.langs.iter().any(|l| {
        l.speaker_roles
            .find_in(&a.norm, a.text, from, ds)
            .iter()
            .any(|h| {
                let between: Vec<&str> = a.norm.text[h.end..ds].split_whitespace().collect();
                between.len() <= 2
                    && between.iter().all(|w| {
                        l.list_joiners.contains(*w)
                            || (!l.stopwords.contains(*w) && w.chars().any(char::is_alphabetic))
                    })
            })
    })
}

pub fn gazetteer_place(
    a: &Analysis,
    sents: &[usize],
    context: &[String],
    parties: &[String],
) -> Option<(Location, usize, usize)> {
    let g = Gazetteer::get();
    let ctx: Vec<&str> = context.iter().map(String::as_str).collect();
    for &si in sents {
        let s = a.sents.get(si)?;
        let clauses = s.mention_clauses();
        let span = s.span;
        let text = a.text.get(span.start..span.end)?;
        let n = Norm::new(text);
        for h in g.find_in(&n, text) {
            // back to the document's normalized offsets
            let (os, oe) = (span.start + n.orig(h.start), span.start + n.orig(h.end));
            let (ds, de) = (a.norm.norm_of(os), a.norm.norm_of(oe));
            if !clauses.contains(&s.clause_of(ds)) {
                continue;
            }
            let taken = |r: (usize, usize)| r.0 < de && ds < r.1;
            let busy = s
                .countries
                .iter()
                .any(|&ci| taken((a.countries[ci].start, a.countries[ci].end)))
                || s.names.iter().any(|nm| taken((nm.start, nm.end)))
                || s.triggers.iter().any(|&t| taken(t))
                || s.dates.iter().any(|(d, _)| taken((d.start, d.end)))
                || in_other_event(a, si, ds, de);
            // a capital says nothing at the start of a sentence
            let single = !a.text[os..oe].contains(char::is_whitespace);
            let cased = a.text[os..oe]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase());
            if cased && single && os == span.start {
                continue;
            }
            let word = norm_str(&a.text[os..oe]);
            let common = a.langs.iter().any(|l| {
                l.stopwords.contains(&word)
                    || l.not_places.contains(&word)
                    || l.month_forms.contains_key(&word)
                    || l.weekday_forms.contains_key(&word)
            });
            if busy
                || common
                || (short_unspaced(&word) && !marked_as_place(a, ds, de))
                || after_a_title(a, s.ns, ds)
            {
                continue;
            }
            let Some(r) = g.resolve_hit(&h, &ctx) else {
                continue;
            };
            let ours = r.country.as_ref().is_some_and(|c| parties.contains(c));
            if !ours {
                continue;
            }
            let loc = Location {
                name: Some(a.text[os..oe].to_string()),
                country: r.country.clone(),
                lat: Some(r.lat),
                lon: Some(r.lon),
                kind: Some(r.kind.as_str().to_string()),
                alliances: Vec::new(),
            };
            return Some((loc, ds, de));
        }
    }
    None
}
