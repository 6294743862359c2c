//! From mentions to exercises, and from exercises to output records.

use crate::analysis::{Analysis, Owner, SentInfo};
use crate::dates::{day_range, DateExpr, PartialDate};
use crate::names::NameHit;
use crate::years::{infer, YearContext};
use muster_core::{CharOffsets, CharSpan, Exercise, Location, Near};
use muster_lexicon::norm::{norm_str, slug};
use muster_lexicon::{CountryKind, Role, Unit};
use std::collections::BTreeMap;

/// One sentence's mention of one exercise.
#[derive(Debug, Clone)]
struct Mention {
    sent: usize,
    name: Option<NameHit>,
    /// Dates this mention owns.
    dates: Vec<DateExpr>,
}

/// An exercise being assembled.
#[derive(Debug, Clone, Default)]
struct Group {
    mentions: Vec<usize>,
    name_key: Option<String>,
    name_year: Option<i32>,
    /// A past edition referred to without its name ("the previous edition,
    /// in 2017") takes the series name of the exercise it belongs to.
    inherited: Option<NameHit>,
    /// An unnamed occasion dated well before the text (`past_occasion`):
    /// later mentions join it only when dated to the same year.
    occasion_year: Option<i32>,
}

/// The name that tells exercises apart: the canonical name, and the letter
/// of a lettered edition ("Joint Sword-2024A" and "-2024B" are two).
fn name_key(n: &NameHit) -> String {
    let base = norm_str(&n.name).replace(['\'', '"', '.'], "");
    let w = n.written.trim_end();
    let mut tail = w.chars().rev();
    match (tail.next(), tail.next()) {
        (Some(l), Some(d)) if l.is_ascii_uppercase() && d.is_numeric() => format!("{base} {l}"),
        _ => base,
    }
}

fn mentions_of(a: &Analysis) -> Vec<Mention> {
    let mut out = Vec::new();
    for (si, s) in a.sents.iter().enumerate() {
        if !s.is_mention() {
            // "The activities will run until March 7." right after a
            // mention goes on about the same exercise: its end date counts
            let follows =
                si > 0 && a.sents[si - 1].is_mention() && a.sents[si - 1].paragraph == s.paragraph;
            // "इसकी शुरुआत 15 नवंबर को": a start on a given day may come a few
            // sentences after the mention, in the same paragraph
            let on_a_day = s.dates.first().is_some_and(|(d, _)| d.from.day.is_some());
            let follows_near = follows
                || on_a_day
                    && (si.saturating_sub(3)..si)
                        .any(|k| a.sents[k].is_mention() && a.sents[k].paragraph == s.paragraph);
            let ends: Vec<DateExpr> = s
                .dates
                .iter()
                .filter(|(d, _)| d.is_end)
                .map(|(d, _)| d.clone())
                .collect();
            if follows && !s.has_events && ends.len() == 1 && s.dates.len() == 1 {
                out.push(Mention {
                    sent: si,
                    name: None,
                    dates: ends,
                });
            } else if follows_near && !s.has_events && s.dates.len() == 1 && starts(a, s) {
                // "It began on 15 November." likewise gives the start
                out.push(Mention {
                    sent: si,
                    name: None,
                    dates: vec![s.dates[0].0.clone()],
                });
            }
            continue;
        }
        let own = |pred: &dyn Fn(usize) -> bool| -> Vec<DateExpr> {
            s.dates
                .iter()
                .filter(|(_, o)| matches!(o, Owner::Exercise(i) if pred(*i)))
                .map(|(d, _)| d.clone())
                .collect()
        };
        let mut names: Vec<NameHit> = Vec::new();
        for n in &s.names {
            if !names
                .iter()
                .any(|m| name_key(m) == name_key(n) && m.year == n.year)
            {
                names.push(n.clone());
            }
        }
        if names.len() <= 1 {
            push_mentions(&mut out, si, names.first().cloned(), own(&|_| true));
        } else {
            // each anchor's dates go to the nearest name
            let nearest = |i: usize| -> usize {
                let a0 = s.anchors[i].0;
                names
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, n)| (n.start as i64 - a0 as i64).abs())
                    .map(|(k, _)| k)
                    .unwrap_or(0)
            };
            for (k, n) in names.iter().enumerate() {
                push_mentions(&mut out, si, Some(n.clone()), own(&|i| nearest(i) == k));
            }
        }
    }
    out
}

/// A sentence that says something began ("शुरुआत", "began", "started"):
/// a start cue of the text's languages, and no end cue ("30日午前8時から
/// 午後6時まで", "from 8 am to 6 pm on the 30th" is a window of hours).
fn starts(a: &Analysis, s: &SentInfo) -> bool {
    let (from, to) = (s.ns, s.ne);
    let any = |pick: fn(&muster_lexicon::Lang) -> &muster_lexicon::matcher::Matcher<()>| {
        a.langs
            .iter()
            .any(|l| !pick(l).find_in(&a.norm, a.text, from, to).is_empty())
    };
    any(|l| &l.start_cues) && !any(|l| &l.end_cues)
}

/// The publication day, when a sentence of the exercise says it began and
/// holds a date that is that day, whoever the date belongs to ("報道官は
/// 29日、演習を始めたと発表した" on a page of the 29th).
fn began_on_page_day(a: &Analysis, gms: &[&Mention]) -> Option<(PartialDate, DateExpr)> {
    let pd = a.pub_date.filter(|p| p.day.is_some())?;
    let mut sents: Vec<usize> = gms.iter().map(|m| m.sent).collect();
    sents.dedup();
    sents
        .into_iter()
        .map(|si| &a.sents[si])
        .filter(|s| starts(a, s))
        .find_map(|s| {
            s.dates.iter().find_map(|(d, _)| {
                let day = if d.is_relative() {
                    resolve_relative(d, Some(pd))?
                } else {
                    d.from
                };
                (day == pd && d.to.is_none()).then(|| (day, d.clone()))
            })
        })
}

/// Pushes the mention of one name with its dates; a list of years ("held
/// in 2009, 2013 and 2017") makes one mention per year, the first keeping
/// the other dates.
fn push_mentions(out: &mut Vec<Mention>, sent: usize, name: Option<NameHit>, dates: Vec<DateExpr>) {
    let years = listed_years(&dates);
    if years.len() < 2 || name.as_ref().is_some_and(|n| n.year.is_some()) {
        out.push(Mention { sent, name, dates });
        return;
    }
    let single = |d: &DateExpr| d.from.year.is_some() && d.to.is_none() && !d.is_end;
    for (k, y) in years.iter().enumerate() {
        let dates = dates
            .iter()
            .filter(|d| {
                if single(d) {
                    d.from.year == Some(*y)
                } else {
                    k == 0
                }
            })
            .cloned()
            .collect();
        out.push(Mention {
            sent,
            name: name.clone(),
            dates,
        });
    }
}

/// The distinct years of a mention's single dates ("in 2018 and 2019",
/// "2019년 ... 이후 2020년과 2021년에는", "on 22 December 2020 and 19
/// November 2021"): each is an occasion of its own. A range or an end date
/// is one occasion whatever years it spans.
fn listed_years(dates: &[DateExpr]) -> Vec<i32> {
    let mut ys: Vec<i32> = Vec::new();
    for d in dates {
        if let (Some(y), None, false) = (d.from.year, d.to, d.is_end) {
            if !ys.contains(&y) {
                ys.push(y);
            }
        }
    }
    ys
}

/// The year a date writes, or the past year it counts back to from the
/// text's year ("four years ago", "last year").
fn written_or_past(d: &DateExpr, doc_year: Option<i32>) -> Option<i32> {
    d.from.year.or_else(|| match (d.rel_year, doc_year) {
        (Some(r), Some(y)) if r < 0 => Some(y + r),
        _ => None,
    })
}

/// The (month*100+day) interval a mention's dates cover, if any.
fn interval(dates: &[DateExpr]) -> Option<(u32, u32)> {
    let mut best: Option<(u32, u32)> = None;
    for d in dates {
        let Some((s, _)) = day_range(&d.from, d.part) else {
            continue;
        };
        // "due to end on September 16" fits anything that began before
        let s = if d.is_end { 0 } else { s };
        let e =
            d.to.and_then(|t| day_range(&t, None))
                .map(|r| r.1)
                .unwrap_or_else(|| day_range(&d.from, d.part).map(|r| r.1).unwrap_or(s));
        best = Some(match best {
            Some((a, b)) => (a.min(s), b.max(e)),
            None => (s, e),
        });
    }
    best
}

fn compatible(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 <= b.1 + 1 && b.0 <= a.1 + 1
}

fn group_mentions(a: &Analysis, ms: &[Mention]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut of: Vec<Option<usize>> = vec![None; ms.len()];
    // named mentions: one group per name and edition. A mention's edition
    // is the year written in the name or in its own dates; an edition before
    // the publication year is a past one ("Zapad 2017", beside Zapad-2021),
    // any other year is the edition the text is about.
    // without a publication date, the latest year the text writes stands for
    // "now" (texts look back at past editions far more than ahead)
    let doc_year = a.pub_date.and_then(|d| d.year).or_else(|| {
        a.sents
            .iter()
            .flat_map(|s| {
                let dates = s.dates.iter().filter_map(|(d, _)| d.from.year);
                dates.chain(s.names.iter().filter_map(|n| n.year))
            })
            .max()
    });
    for (i, m) in ms.iter().enumerate() {
        let Some(n) = &m.name else { continue };
        let key = name_key(n);
        let year = n
            .year
            .or_else(|| m.dates.iter().find_map(|d| written_or_past(d, doc_year)));
        let past = matches!((year, doc_year), (Some(y), Some(d)) if y < d);
        let same_name = |g: &Group| g.name_key.as_deref() == Some(key.as_str());
        let found = groups
            .iter()
            .position(|g| same_name(g) && year.is_some() && g.name_year == year)
            .or_else(|| {
                groups.iter().position(|g| {
                    same_name(g)
                        && if past {
                            g.name_year.is_none() && doc_year.is_none()
                        } else {
                            g.name_year.is_none() || year.is_none() || g.name_year == year
                        }
                })
            });
        let gi = found.unwrap_or_else(|| {
            groups.push(Group {
                name_key: Some(key),
                ..Default::default()
            });
            groups.len() - 1
        });
        if groups[gi].name_year.is_none() {
            groups[gi].name_year = year;
        }
        groups[gi].mentions.push(i);
        of[i] = Some(gi);
    }
    let group_interval = |g: &Group, of_ms: &[Mention]| -> Option<(u32, u32)> {
        let ds: Vec<DateExpr> = g
            .mentions
            .iter()
            .flat_map(|&k| of_ms[k].dates.clone())
            .collect();
        interval(&ds)
    };
    // who takes part, per mention (for telling apart two exercises of one text)
    let own: Vec<Vec<String>> = ms
        .iter()
        .map(|m| {
            let s = &a.sents[m.sent];
            participants_of(a, s, true, s.anaphoric, &mut Evidence::default())
        })
        .collect();
    let group_parts = |g: &Group, of_ms: &[Vec<String>]| -> Vec<String> {
        g.mentions.iter().flat_map(|&k| of_ms[k].clone()).collect()
    };
    // "Nordic Response continues «Cold Response». The exercise ran from 3
    // to 14 March": a predecessor's name is no topic to refer back to
    let predecessor: Vec<bool> = ms
        .iter()
        .map(|m| {
            m.name
                .as_ref()
                .is_some_and(|n| names_a_predecessor(a, m.sent, n))
        })
        .collect();
    // unnamed mentions in text order
    for i in 0..ms.len() {
        if of[i].is_some() {
            continue;
        }
        let m = &ms[i];
        let para = a.sents[m.sent].paragraph;
        // a mention by other countries than a group's is another exercise
        // ("Russia answered with drills of its own"), unless it refers back
        let disjoint = |g: &Group| {
            let gp = group_parts(g, &own);
            !a.sents[m.sent].anaphoric
                && !a.sents[m.sent].part_of
                && !own[i].is_empty()
                && !gp.is_empty()
                && !own[i].iter().any(|c| gp.contains(c))
        };
        // a past edition ("started in 1992") takes only what is dated to it
        let m_year = m.dates.iter().find_map(|d| written_or_past(d, doc_year));
        let closed = |g: &Group| {
            (matches!((g.name_year, doc_year), (Some(y), Some(d)) if y < d)
                && m_year != g.name_year)
                || (g.occasion_year.is_some() && m_year != g.occasion_year)
        };
        let prev = (0..i)
            .rev()
            .filter(|&k| !predecessor[k])
            .find_map(|k| of[k].filter(|&g| !closed(&groups[g])).map(|g| (k, g)))
            .filter(|&(_, g)| !disjoint(&groups[g]));
        // "the previous edition, in 2017": a bare earlier year in a text
        // about a named exercise is a past edition of that series
        let bare_year = m
            .dates
            .iter()
            .find_map(|d| written_or_past(d, doc_year).filter(|_| d.from.month.is_none()));
        if let (Some(y), Some(dy)) = (bare_year, doc_year) {
            let named_main = groups
                .iter()
                .position(|g| g.name_key.is_some() && g.inherited.is_none());
            if let Some(mg) = named_main.filter(|_| y < dy) {
                let hit = ms
                    .iter()
                    .zip(&of)
                    .find_map(|(mm, o)| (*o == Some(mg)).then(|| mm.name.clone()).flatten());
                let existing = groups
                    .iter()
                    .position(|g| g.name_key == groups[mg].name_key && g.name_year == Some(y));
                let gi = existing.unwrap_or_else(|| {
                    groups.push(Group {
                        name_key: groups[mg].name_key.clone(),
                        name_year: Some(y),
                        inherited: hit,
                        ..Default::default()
                    });
                    groups.len() - 1
                });
                groups[gi].mentions.push(i);
                of[i] = Some(gi);
                continue;
            }
        }
        // "they first flew such a patrol on 23 July 2019": an occasion dated
        // months before the text is not the exercise it reports, even when
        // it refers back to it; it joins only a group dated to that year
        if let Some(y) = past_occasion(a, m, doc_year) {
            let same_time = |g: &Group| {
                g.name_year == Some(y)
                    || g.occasion_year == Some(y)
                    || g.mentions.iter().any(|&k| {
                        ms[k]
                            .dates
                            .iter()
                            .any(|d| d.from.year == Some(y) && d.from.month.is_some())
                    })
            };
            let gi = (0..groups.len())
                .find(|&g| same_time(&groups[g]) && !disjoint(&groups[g]))
                .unwrap_or_else(|| {
                    groups.push(Group {
                        occasion_year: Some(y),
                        ..Default::default()
                    });
                    groups.len() - 1
                });
            groups[gi].mentions.push(i);
            of[i] = Some(gi);
            continue;
        }
        let same_para_prev = prev.filter(|&(k, _)| a.sents[ms[k].sent].paragraph == para);
        let chosen = if let (true, Some((_, g))) = (a.sents[m.sent].anaphoric, same_para_prev) {
            // "the manoeuvres will run from 10 to 16 September" right after
            // the named exercise is that exercise, whatever dates came before
            Some(g)
        } else if let Some(iv) = interval(&m.dates) {
            // the nearest earlier group whose dates fit, else any that fits
            let fits = |g: &Group| {
                !disjoint(g)
                    && !closed(g)
                    && group_interval(g, ms).is_none_or(|gi| compatible(gi, iv))
            };
            let mut order: Vec<usize> = Vec::new();
            if let Some((_, g)) = prev {
                order.push(g);
            }
            order.extend(0..groups.len());
            order.into_iter().find(|&g| fits(&groups[g]))
        } else {
            match prev {
                Some((k, g)) if a.sents[ms[k].sent].paragraph == para => Some(g),
                _ if !groups.is_empty() && !disjoint(&groups[main_group(&groups)]) => {
                    Some(main_group(&groups))
                }
                _ => None,
            }
        };
        let gi = chosen.unwrap_or_else(|| {
            groups.push(Group::default());
            groups.len() - 1
        });
        groups[gi].mentions.push(i);
        of[i] = Some(gi);
    }
    // a predecessor named in passing, with no edition or date, is the
    // series' past, not an exercise of the text
    groups.retain(|g| {
        !g.mentions.iter().all(|&k| {
            predecessor[k]
                && ms[k].dates.is_empty()
                && ms[k].name.as_ref().is_some_and(|n| n.year.is_none())
        })
    });
    for g in &mut groups {
        g.mentions.sort();
    }
    groups.sort_by_key(|g| g.mentions.first().copied().unwrap_or(0));
    groups
}

/// A name written right after a `lineage_before` phrase (at most four
/// words between) or right before a `lineage_after` one: an exercise's
/// predecessor ("successor to Cold Response", "Cold Response의 후속").
fn names_a_predecessor(a: &Analysis, sent: usize, n: &NameHit) -> bool {
    let s = &a.sents[sent];
    let text = &a.norm.text;
    let back = muster_lexicon::norm::before(text, s.ns, n.start, 80);
    let from = n.start - back.len();
    let ahead_end = text
        .get(n.end..s.ne)
        .and_then(|rest| rest.char_indices().nth(12).map(|(i, _)| n.end + i))
        .unwrap_or(s.ne);
    a.langs.iter().any(|l| {
        let before = l.lineage_before.find_in(&a.norm, a.text, from, n.start);
        let after = l.lineage_after.find_in(&a.norm, a.text, n.end, ahead_end);
        before.iter().any(|h| a.words_between(h.end, n.start) <= 4)
            || after.iter().any(|h| a.words_between(n.end, h.start) <= 1)
    })
}

/// The year of an unnamed mention's occasion when it lies well before the
/// text: a date with its year and month written, over 60 days before the
/// publication date (or, without one, in a year before the text's latest);
/// or a year written alone, before the publication year ("first held in
/// 2019"; one of "in 2020 and 2021"), unless a start cue makes it the
/// beginning of a run ("since 2012").
fn past_occasion(a: &Analysis, m: &Mention, doc_year: Option<i32>) -> Option<i32> {
    let pub_date = a.pub_date;
    let pub_day = pub_date.and_then(|p| p.to_date());
    // ("since 2012" is no date of the mention: see `Analysis`'s owners)
    m.dates
        .iter()
        .filter(|d| d.to.is_none() && !d.is_end)
        .find_map(|d| {
            let y = d.from.year?;
            let past = match (d.from.month, pub_day) {
                (None, _) => pub_date
                    .and_then(|p| p.year)
                    .or(doc_year)
                    .is_some_and(|py| y < py),
                (Some(_), Some(p)) => {
                    let day = PartialDate {
                        day: Some(d.from.day.unwrap_or(1)),
                        ..d.from
                    };
                    let gap = day.to_date().map(|x| (p - x).get_days());
                    gap.is_some_and(|g| g > 60)
                }
                (Some(_), None) => doc_year.is_some_and(|dy| y < dy),
            };
            past.then_some(y)
        })
}

fn main_group(groups: &[Group]) -> usize {
    groups
        .iter()
        .enumerate()
        .max_by(|x, y| {
            x.1.mentions
                .len()
                .cmp(&y.1.mentions.len())
                .then(y.0.cmp(&x.0))
        })
        .map(|(i, _)| i)
        .unwrap_or(0)
}

/// Collects spans per field, in normalized offsets.
#[derive(Default)]
struct Evidence(BTreeMap<String, Vec<(usize, usize)>>);

impl Evidence {
    fn add(&mut self, field: &str, s: usize, e: usize) {
        let v = self.0.entry(field.to_string()).or_default();
        if !v.contains(&(s, e)) {
            v.push((s, e));
        }
    }
}

fn push_unique(v: &mut Vec<String>, c: &str) {
    if !v.iter().any(|x| x == c) {
        v.push(c.to_string());
    }
}

/// Alliances whose outer border a located exercise is measured against.
const BLOCS: [&str; 2] = ["NATO", "CSTO"];

/// A country named as part of another event the sentence speaks of
/// ("Russia's war on Ukraine", "die Invasion der Russischen Föderation in
/// die Ukraine"): inside the event's words, or right before them.
fn in_event(a: &Analysis, ci: usize) -> bool {
    let c = &a.countries[ci];
    let s = &a.sents[c.sent];
    let hostile = |e: &&crate::analysis::EventHit| a.lex.events[e.event].hostilities;
    a.events
        .iter()
        .filter(|e| e.sent == c.sent)
        .filter(hostile)
        .any(|e| {
            let (es, ee) = e.extent;
            // "Russia's war games" is the exercise, not a war
            let on_trigger = s.triggers.iter().any(|t| t.0 < ee && es < t.1);
            !on_trigger && a.beside_event(e, c.start, c.end, None)
        })
}

/// Countries taking part according to one sentence: for a mention, the
/// countries of its clauses (unless it only refers back); for any sentence
/// about the exercise, forces named as taking part and countries next to a
/// participation word.
/// Who takes part according to one sentence. A mention that refers back
/// ("the same drills") names no one new in its own clauses, unless it is an
/// occasion of its own (`refers_back` false: "they held the same patrol on
/// 22 December 2020").
fn participants_of(
    a: &Analysis,
    s: &SentInfo,
    is_mention: bool,
    refers_back: bool,
    ev: &mut Evidence,
) -> Vec<String> {
    let mut out = Vec::new();
    let clauses = if is_mention {
        s.mention_clauses()
    } else {
        Vec::new()
    };
    let ok_role = |r: Option<Role>| matches!(r, None | Some(Role::Host) | Some(Role::Participant));
    let take = |ci: usize, out: &mut Vec<String>, ev: &mut Evidence| {
        let c = &a.countries[ci];
        if ok_role(c.role) && !in_event(a, ci) {
            push_unique(out, &c.code);
            ev.add("participants", c.start, c.end);
        }
    };
    if is_mention && !refers_back {
        for &ci in &s.countries {
            if clauses.contains(&a.countries[ci].clause) {
                take(ci, &mut out, ev);
            }
        }
    }
    for &ci in &s.countries {
        let c = &a.countries[ci];
        // forces named in a sentence about the exercise take part in it
        if c.role == Some(Role::Participant) || (c.role.is_none() && c.kind == CountryKind::Force) {
            take(ci, &mut out, ev);
        }
    }
    // "all 31 allies take part": every member on the text's date
    if is_mention || !s.participation.is_empty() {
        if let Some((members, cs, ce)) = crate::alliances::all_members(a, s) {
            for m in &members {
                push_unique(&mut out, m);
            }
            ev.add("participants", cs, ce);
        }
    }
    // "twenty countries, among them A, B and C"
    if let Some((_, oe)) = s.open {
        if is_mention || !s.participation.is_empty() {
            if let Some(&ci) = s.countries.iter().find(|&&ci| {
                a.countries[ci].start >= oe && a.words_between(oe, a.countries[ci].start) <= 2
            }) {
                for cj in a.list_of(ci) {
                    take(cj, &mut out, ev);
                }
            }
        }
    }
    // countries right next to a participation word, with their list
    for &(ps, pe) in &s.participation {
        for &ci in &s.countries {
            let c = &a.countries[ci];
            let close = if c.end <= ps {
                a.words_between(c.end, ps) <= 4
            } else {
                c.start >= pe && a.words_between(pe, c.start) <= 2
            };
            if close && a.countries[ci].clause == s.clause_of(ps) {
                for cj in a.list_of(ci) {
                    take(cj, &mut out, ev);
                }
            }
        }
    }
    out
}

/// "the two countries": the last two countries named as actors before.
fn two_countries(a: &Analysis, before: usize) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for c in a
        .countries
        .iter()
        .rev()
        .filter(|c| c.end <= before && c.role.is_none() && c.kind != CountryKind::Demonym)
    {
        if !out.iter().any(|o| o.0 == c.code) {
            out.push((c.code.clone(), c.start, c.end));
        }
        if out.len() == 2 {
            break;
        }
    }
    if out.len() == 2 {
        out
    } else {
        Vec::new()
    }
}

/// The date with day-of-month `md` nearest the publication date `pd` in
/// the cue's direction: with no cue, the latest on or before it ("9일" in
/// a paper of the 10th: the 9th; of the 3rd: the 9th of the month before);
/// "next": the first after it; "last": the last before it.
fn day_of_month_near(pd: jiff::civil::Date, md: u32, dir: i32) -> Option<jiff::civil::Date> {
    let in_month = |y: i16, m: i8| jiff::civil::Date::new(y, m, md as i8).ok();
    let shift = |months: i64| -> Option<jiff::civil::Date> {
        let first = pd
            .first_of_month()
            .checked_add(jiff::Span::new().months(months))
            .ok()?;
        in_month(first.year(), first.month())
    };
    let this = in_month(pd.year(), pd.month());
    match dir {
        1 => this.filter(|d| *d > pd).or_else(|| shift(1)),
        -1 => this.filter(|d| *d < pd).or_else(|| shift(-1)),
        // no cue: the nearest such day, the past one on a tie ("29日" in a
        // text of the 29th is that day, "30日" the next, "28日" of the
        // 10th the month before)
        _ => {
            let gap = |d: &jiff::civil::Date| (*d - pd).get_days().abs();
            [shift(-1), this, shift(1)]
                .into_iter()
                .flatten()
                .min_by_key(|d| (gap(d), *d > pd))
        }
    }
}

/// A weekday or "yesterday" as a date, counted from the publication date:
/// a bare weekday is the latest such day on or before it, "next Monday"
/// the first after it, "last Monday" the last before it.
fn resolve_relative(d: &DateExpr, pub_date: Option<PartialDate>) -> Option<PartialDate> {
    // "the day before": from the last day written, when there is one
    if let (true, Some(off), Some(anchor)) = (d.narrative, d.rel_day, d.anchor.as_deref()) {
        let base = if anchor.is_relative() {
            resolve_relative(anchor, pub_date)
        } else {
            Some(PartialDate {
                year: anchor.from.year.or(pub_date.and_then(|p| p.year)),
                ..anchor.from
            })
        };
        if let Some(day) = base
            .and_then(|b| b.to_date())
            .and_then(|b| b.checked_add(jiff::Span::new().days(off as i64)).ok())
        {
            return Some(PartialDate {
                year: Some(day.year() as i32),
                month: Some(day.month() as u32),
                day: Some(day.day() as u32),
            });
        }
    }
    // a page dated to the month only: a day of the month falls in it
    if let Some(p) = pub_date.filter(|p| p.day.is_none() && p.year.is_some() && p.month.is_some()) {
        if let Some((md, _)) = d.bare_day {
            return Some(PartialDate { day: Some(md), ..p });
        }
        // "lancé mardi", "yesterday": which day is unknown, but it lies
        // in or beside the page's month; the month is what the text says
        if d.bare_weekday.is_some() || d.rel_day.is_some() {
            return Some(p);
        }
    }
    let pd = pub_date?.to_date()?;
    let day = if let Some(off) = d.rel_day {
        pd.checked_add(jiff::Span::new().days(off as i64)).ok()?
    } else if let Some((md, dir)) = d.bare_day {
        day_of_month_near(pd, md, dir)?
    } else {
        let (wd, dir) = d.bare_weekday?;
        let cur = pd.weekday().to_monday_one_offset() as i64;
        let wd = wd as i64;
        let delta = match dir {
            1 => {
                let k = (wd - cur).rem_euclid(7);
                if k == 0 {
                    7
                } else {
                    k
                }
            }
            -1 => {
                let k = (cur - wd).rem_euclid(7);
                -(if k == 0 { 7 } else { k })
            }
            _ => -((cur - wd).rem_euclid(7)),
        };
        pd.checked_add(jiff::Span::new().days(delta)).ok()?
    };
    Some(PartialDate {
        year: Some(day.year() as i32),
        month: Some(day.month() as u32),
        day: Some(day.day() as u32),
    })
}

/// A name in another script in Latin letters: transliterated, with the
/// transliteration's symbols dropped ("@" for ta marbuta), and in title
/// case when the script has no case ("المحمومة" → "Lmhmwm", not
/// "lmHmwm@"; "Щит Союза" → "Shchit Soiuza").
fn latin_name(name: &str) -> String {
    let cased = name.chars().any(|c| c.is_uppercase());
    let t = deunicode::deunicode(name);
    let kept: String = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<String> = kept
        .split_whitespace()
        .map(|w| {
            if cased {
                return w.to_string();
            }
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect();
    let out = words.join(" ");
    if out.is_empty() {
        t.trim().to_string()
    } else {
        out
    }
}

pub fn build(a: &Analysis, offsets: &CharOffsets) -> Vec<Exercise> {
    let ms = mentions_of(a);
    let groups = group_mentions(a, &ms);
    if std::env::var_os("MUSTER_DEBUG").is_some() {
        for g in &groups {
            let sents: Vec<String> = g
                .mentions
                .iter()
                .map(|&m| {
                    let ds: Vec<String> = ms[m].dates.iter().filter_map(|d| d.from.iso()).collect();
                    format!("{}{ds:?}", ms[m].sent)
                })
                .collect();
            eprintln!(
                "  group {:?} {:?} occasion {:?} sentences {sents:?}",
                g.name_key, g.name_year, g.occasion_year
            );
        }
    }
    // scope: a mention's sentence is its group's; another sentence belongs to
    // the group of the latest mention in its paragraph, else to the main one
    let mut scope_of: Vec<Option<usize>> = vec![None; a.sents.len()];
    {
        let mut by_sent: Vec<(usize, usize)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, gr)| gr.mentions.iter().map(move |&m| (m, g)))
            .map(|(m, g)| (ms[m].sent, g))
            .collect();
        by_sent.sort();
        let main = (!groups.is_empty()).then(|| main_group(&groups));
        let mut cur: Option<(usize, usize)> = None; // (paragraph, group)
        let mut k = 0;
        for (si, slot) in scope_of.iter_mut().enumerate() {
            let mut own = None;
            while k < by_sent.len() && by_sent[k].0 <= si {
                if by_sent[k].0 == si && own.is_none() {
                    own = Some(by_sent[k].1);
                }
                cur = Some((a.sents[by_sent[k].0].paragraph, by_sent[k].1));
                k += 1;
            }
            // sentences before the first mention belong to no exercise
            *slot = own.or_else(|| match cur {
                Some((p, g)) if p == a.sents[si].paragraph => Some(g),
                Some(_) => main,
                None => None,
            });
        }
    }
    // the lead: the first paragraph of prose (25 words or more) after the title
    let lead = {
        let mut words: BTreeMap<usize, usize> = BTreeMap::new();
        for s in a.sents.iter().filter(|s| !s.in_title) {
            // in scripts without spaces, two characters count as a word
            let text = s.span.slice(a.text);
            let unspaced = text
                .chars()
                .filter(|&c| muster_lexicon::norm::is_unspaced(c))
                .count();
            *words.entry(s.paragraph).or_insert(0) +=
                text.split_whitespace().count() + unspaced / 2;
        }
        words.iter().find(|(_, w)| **w >= 25).map(|(p, _)| *p)
    };
    let mut ctx = YearContext {
        pub_date: a.pub_date,
        ..Default::default()
    };
    for e in &a.events {
        ctx.add_event(&a.lex.events[e.event]);
    }
    // a document year: shared by relative expressions ("this year")
    let mut out = Vec::new();
    let mut doc_year: Option<i32> = a.pub_date.and_then(|d| d.year);
    let mut built: Vec<(Exercise, Evidence, usize)> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let mut ev = Evidence::default();
        let mut x = Exercise::default();
        let gms: Vec<&Mention> = g.mentions.iter().map(|&m| &ms[m]).collect();
        let scope: Vec<usize> = (0..a.sents.len())
            .filter(|&s| scope_of[s] == Some(gi))
            .collect();
        // name and aliases
        let names: Vec<&NameHit> = gms.iter().filter_map(|m| m.name.as_ref()).collect();
        let mut aliases: Vec<String> = Vec::new();
        let mut series = None;
        for m in &gms {
            for n in a.sents[m.sent]
                .names
                .iter()
                .filter(|n| Some(name_key(n)) == g.name_key)
            {
                push_unique(&mut aliases, &n.written);
                ev.add("name", n.start, n.end);
                series = series.or(n.series);
            }
        }
        // a name in no table, written in another script, comes out in Latin
        // letters too (the written form stays among the aliases)
        let names: Vec<&NameHit> = if names.is_empty() {
            groups[gi].inherited.iter().collect()
        } else {
            names
        };
        x.name = names.first().map(|n| {
            if n.series.is_none()
                && n.name
                    .chars()
                    .any(|c| c.is_alphabetic() && !c.is_ascii() && (c as u32) > 0x24F)
            {
                latin_name(&n.name)
            } else {
                n.name.clone()
            }
        });
        x.aliases = aliases;
        let series_ref = series.map(|i| &a.lex.series[i]);
        // participants, host, location, observers, open list
        let mut parts: Vec<String> = Vec::new();
        let mut hosts: Vec<String> = Vec::new();
        let mut loc_countries: Vec<(String, usize, usize, CountryKind)> = Vec::new();
        let mut observers: Vec<String> = Vec::new();
        let mut open = false;
        let mut places: Vec<(usize, usize, usize)> = Vec::new();
        for &si in &scope {
            if !gms.iter().any(|m| m.sent == si) {
                for p in participants_of(a, &a.sents[si], false, true, &mut ev) {
                    push_unique(&mut parts, &p);
                }
            }
        }
        for m in &gms {
            let s = &a.sents[m.sent];
            let refers_back = s.anaphoric && g.occasion_year.is_none();
            for p in participants_of(a, s, true, refers_back, &mut ev) {
                push_unique(&mut parts, &p);
            }
            if let Some((ts, te)) = s.two_countries {
                if s.mention_clauses().contains(&s.clause_of(ts)) {
                    for (c, cs, ce) in two_countries(a, ts) {
                        push_unique(&mut parts, &c);
                        ev.add("participants", cs, ce);
                        ev.add("participants", ts, te);
                    }
                }
            }
            let clauses = s.mention_clauses();
            for &ci in &s.countries {
                let c = &a.countries[ci];
                if !clauses.contains(&c.clause) {
                    continue;
                }
                match c.role {
                    Some(Role::Host) => {
                        push_unique(&mut hosts, &c.code);
                        ev.add("host", c.start, c.end);
                    }
                    Some(Role::Location) => {
                        loc_countries.push((c.code.clone(), c.start, c.end, c.kind))
                    }
                    Some(Role::Observer) => {
                        push_unique(&mut observers, &c.code);
                        ev.add("observers", c.start, c.end);
                    }
                    _ => {}
                }
            }
            if let Some((os, oe)) = s.open {
                open = true;
                ev.add("participants_open", os, oe);
            }
            for &(pf, ps, pe) in &s.places {
                if clauses.contains(&s.clause_of(ps)) {
                    places.push((pf, ps, pe));
                }
            }
        }
        // fallbacks from the rest of the exercise's sentences
        if places.is_empty() && loc_countries.is_empty() {
            // only the paragraphs that speak of the exercise: a later one
            // about a summit "in South Africa" does not place it
            let paras: Vec<usize> = gms.iter().map(|m| a.sents[m.sent].paragraph).collect();
            for &si in scope
                .iter()
                .filter(|&&si| paras.contains(&a.sents[si].paragraph))
            {
                let s = &a.sents[si];
                // cities elsewhere in the text are named for many reasons;
                // ranges, seas and regions mostly for the exercise
                places.extend(s.places.iter().copied().filter(|&(pf, _, _)| {
                    a.lex.place_forms[pf]
                        .iter()
                        .all(|&pi| a.lex.places[pi].kind != "city")
                }));
                for &ci in &s.countries {
                    let c = &a.countries[ci];
                    if c.role == Some(Role::Location) && c.kind != CountryKind::Capital {
                        loc_countries.push((c.code.clone(), c.start, c.end, c.kind));
                    }
                }
            }
        }
        // a capital named as a place is the weakest clue ("in Moscow" is
        // often the government, not the exercise ground)
        loc_countries.sort_by_key(|l| l.3 == CountryKind::Capital);
        // location: a named place, disambiguated by the countries around it
        let context: Vec<String> = loc_countries
            .iter()
            .map(|l| l.0.clone())
            .chain(parts.iter().cloned())
            .chain(a.countries.iter().map(|c| c.code.clone()))
            .collect();
        let mut location: Option<Location> = None;
        let mut from_gazetteer = false;
        // the span of the place when it is a sea or a strait
        let mut water: Option<(usize, usize)> = None;
        // a country named as the location before any place ("begins in
        // Norway ... then in the North Atlantic") is where it is
        let country_first = matches!(
            (loc_countries.first(), places.first()),
            (Some(l), Some(p)) if l.1 < p.1 && l.3 != CountryKind::Capital
        );
        if let Some(&(pf, ps, pe)) = places.first().filter(|_| !country_first) {
            let cands = &a.lex.place_forms[pf];
            let pick = cands
                .iter()
                .min_by_key(|&&pi| {
                    let c = a.lex.places[pi].country.clone().unwrap_or_default();
                    context.iter().position(|x| *x == c).unwrap_or(usize::MAX)
                })
                .copied();
            if let Some(pi) = pick {
                let p = &a.lex.places[pi];
                water = matches!(p.kind.as_str(), "sea" | "strait" | "ocean" | "gulf" | "bay")
                    .then_some((ps, pe));
                location = Some(Location {
                    name: Some(
                        a.text[a.orig_span(ps, pe).start..a.orig_span(ps, pe).end].to_string(),
                    ),
                    country: p.country.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    kind: Some(p.kind.clone()),
                    alliances: Vec::new(),
                });
                ev.add("location", ps, pe);
            }
        }
        if location.is_none() {
            let mention_sents: Vec<usize> = gms.iter().map(|m| m.sent).collect();
            let parties: Vec<String> = loc_countries
                .iter()
                .map(|l| l.0.clone())
                .chain(parts.iter().cloned())
                .chain(hosts.iter().cloned())
                .collect();
            if let Some((l, s, e)) =
                crate::places::gazetteer_place(a, &mention_sents, &context, &parties)
            {
                location = Some(l);
                from_gazetteer = true;
                ev.add("location", s, e);
            }
        }
        if location.is_none() {
            if let Some((code, s, e, kind)) = loc_countries.first() {
                let name = (*kind == CountryKind::Capital).then(|| {
                    a.text[a.orig_span(*s, *e).start..a.orig_span(*s, *e).end].to_string()
                });
                location = Some(Location {
                    name,
                    country: Some(code.clone()),
                    kind: Some(
                        if *kind == CountryKind::Capital {
                            "city"
                        } else {
                            "country"
                        }
                        .into(),
                    ),
                    ..Default::default()
                });
                ev.add("location", *s, *e);
            }
        } else if let (Some(l), Some((code, s, e, _))) = (location.as_mut(), loc_countries.first())
        {
            // a sea or a strait takes a country only from right beside it
            // ("the Ukrainian part of the Black Sea")
            let beside = water.is_none_or(|(ws, we)| {
                let gap = if *e <= ws {
                    ws - e
                } else {
                    s.saturating_sub(we)
                };
                gap <= 40
            });
            if l.country.is_none() && beside {
                l.country = Some(code.clone());
                ev.add("location", *s, *e);
            }
        }
        // host: stated, else the one country of the location (the governing
        // one for a territory: Guam's exercises are hosted by the US), else
        // the only participant
        let loc_country = location
            .as_ref()
            .and_then(|l| l.country.clone())
            .map(|c| a.lex.sovereign.get(&c).cloned().unwrap_or(c));
        // ... else the series' usual host (evidence: the name)
        let series_host = series_ref
            .and_then(|s| s.host.clone())
            .filter(|h| h.len() == 2);
        // a town found in the gazetteer says less about the host than the
        // series' usual host does (BALTOPS is US-led wherever it sails from)
        let (stated_loc, found_loc) = if from_gazetteer {
            (None, loc_country.clone())
        } else {
            (loc_country.clone(), None)
        };
        x.host = hosts
            .first()
            .cloned()
            .or(stated_loc)
            .or_else(|| (parts.len() == 1).then(|| parts[0].clone()))
            .or(series_host.clone())
            .or(found_loc);
        if x.host.is_some() && x.host == series_host && hosts.is_empty() && loc_country.is_none() {
            if let Some(spans) = ev.0.get("name").cloned() {
                for (s, e) in spans {
                    ev.add("host", s, e);
                }
            }
        }
        if x.host.is_some() && hosts.is_empty() {
            if let Some(spans) = ev.0.get("location").cloned() {
                for (s, e) in spans {
                    ev.add("host", s, e);
                }
            }
        }
        if let Some(h) = &x.host {
            push_unique(&mut parts, h);
        }
        parts.retain(|p| !observers.contains(p));
        x.participants = Some(parts);
        x.participants_open = Some(open);
        x.observers = Some(observers);
        // a national drill, or one the text says a country hosts, takes
        // place in that country when no place is named
        if location.is_none() {
            let only = x
                .participants
                .as_ref()
                .filter(|p| p.len() == 1)
                .map(|p| p[0].clone());
            let stated_host = hosts.first().cloned();
            // a series always held in one country (the table's usual
            // host) takes place there, when that country takes part
            let fixed_home = series_host.clone().filter(|h| {
                x.participants
                    .as_ref()
                    .is_none_or(|p| p.is_empty() || p.contains(h))
            });
            let from_series = stated_host.is_none() && only.is_none() && fixed_home.is_some();
            if let Some(c) = stated_host.or(only).or(fixed_home) {
                let field = if from_series {
                    "name"
                } else if hosts.is_empty() {
                    "participants"
                } else {
                    "host"
                };
                if let Some(spans) = ev.0.get(field).cloned() {
                    for (s, e) in spans {
                        ev.add("location", s, e);
                    }
                }
                location = Some(Location {
                    country: Some(c),
                    kind: Some("country".into()),
                    ..Default::default()
                });
            }
        }
        x.location = location;
        // dates: the most precise expression any mention owns; weekdays and
        // "yesterday" become dates against the publication date
        let resolved: Vec<(DateExpr, bool)> = gms
            .iter()
            .flat_map(|m| m.dates.iter())
            .filter_map(|d| {
                if d.is_relative() {
                    resolve_relative(d, a.pub_date).map(|from| {
                        (
                            DateExpr {
                                from,
                                bare_weekday: None,
                                bare_day: None,
                                rel_day: None,
                                weekday: None,
                                ..d.clone()
                            },
                            true,
                        )
                    })
                } else {
                    Some((d.clone(), false))
                }
            })
            .collect();
        let mut best: Option<&DateExpr> = None;
        let mut best_relative = false;
        let mut rel_year: Option<i32> = None;
        let mut end_only: Option<&DateExpr> = None;
        for (d, relative) in &resolved {
            {
                if d.rel_year.is_some() {
                    rel_year = rel_year.or(d.rel_year);
                    continue;
                }
                if d.is_end && d.from.month.is_some() {
                    end_only = end_only.or(Some(d));
                    continue;
                }
                // the page's own date line ("Dhaka, 7 February 2020 ঃ") dates
                // the exercise only when nothing else does
                let rank = |d: &DateExpr| {
                    let on_page_line = a.pub_date_span.is_some_and(|p| {
                        p.start <= a.norm.orig(d.start) && a.norm.orig(d.end) <= p.end
                    });
                    (!on_page_line, d.precision())
                };
                if best.is_none_or(|b| rank(d) > rank(b)) && d.precision() > 0 {
                    best = Some(d);
                    best_relative = *relative;
                }
            }
        }
        let name_year = g.name_year;
        let mut year_reason = None;
        let mut year_inferred = false;
        let written_years: Vec<i32> = {
            let mut v: Vec<i32> = gms
                .iter()
                .flat_map(|m| {
                    a.sents[m.sent]
                        .dates
                        .iter()
                        .filter_map(|(d, _)| d.from.year)
                })
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let sentence_year = (written_years.len() == 1).then(|| written_years[0]);
        let resolve = |d: PartialDate,
                       wd: Option<u32>,
                       reason: &mut Option<String>,
                       inferred: &mut bool,
                       doc_year: Option<i32>|
         -> PartialDate {
            if d.year.is_some() {
                return d;
            }
            if let Some(y) = name_year {
                *reason = Some("year written in the name".into());
                return PartialDate { year: Some(y), ..d };
            }
            // "the largest exercise of 2025 ... from 24 March": one year
            // written in the exercise's own sentences dates it, unless the
            // publication date already does
            if let (Some(y), None) = (sentence_year, ctx.pub_date) {
                *reason = Some("year written in the same sentences".into());
                return PartialDate { year: Some(y), ..d };
            }
            if let Some(inf) = infer(d, wd, series_ref, &ctx) {
                *inferred = true;
                *reason = Some(inf.reason);
                return PartialDate {
                    year: Some(inf.year),
                    ..d
                };
            }
            if let (Some(r), Some(y)) = (rel_year, doc_year) {
                *inferred = true;
                *reason = Some("relative year against the document's year".into());
                return PartialDate {
                    year: Some(y + r),
                    ..d
                };
            }
            d
        };
        if let Some(d) = best {
            let start = resolve(
                d.from,
                d.weekday,
                &mut year_reason,
                &mut year_inferred,
                doc_year,
            );
            if best_relative {
                year_inferred = true;
                year_reason = Some(format!(
                    "counted from the publication date {}",
                    a.pub_date.and_then(|p| p.iso()).unwrap_or_default()
                ));
            }
            x.start_date = start.iso();
            ev.add("start_date", d.start, d.end);
            if let Some(to) = d.to {
                let mut to = to;
                if to.year.is_none() {
                    to.year = start
                        .year
                        .map(|y| if to.month < start.month { y + 1 } else { y });
                }
                x.end_date = to.iso();
                ev.add("end_date", d.start, d.end);
            }
            if doc_year.is_none() {
                doc_year = start.year;
            }
        }
        if let (None, Some(d)) = (&x.end_date, end_only) {
            let mut r = None;
            let mut i = false;
            let e = resolve(d.from, d.weekday, &mut r, &mut i, doc_year);
            x.end_date = e.iso();
            ev.add("end_date", d.start, d.end);
        }
        // "the spokesman said on the 29th it had begun Justice Mission-2025":
        // a sentence of the exercise that says it began and is dated to the
        // publication day, though the date is the saying's, dates the start
        if x.start_date.is_none() && x.end_date.is_none() {
            if let Some((day, d)) = began_on_page_day(a, &gms) {
                x.start_date = day.iso();
                year_inferred = false;
                year_reason = None;
                ev.add("start_date", d.start, d.end);
            }
        }
        // an edition year in the name dates the exercise when nothing else does
        if x.start_date.is_none() && x.end_date.is_none() {
            if let Some(y) = name_year {
                x.start_date = Some(format!("{y:04}"));
                for n in names.iter().filter(|n| n.year.is_some()) {
                    ev.add("start_date", n.start, n.end);
                }
            }
        }
        // the exercise a text reports, with no date of its own, is dated to
        // the page's month ("the drills have begun", "провели очередное")
        let title_or_lead = gms
            .iter()
            .any(|m| a.sents[m.sent].in_title || Some(a.sents[m.sent].paragraph) == lead);
        let has_parties = x.participants.as_ref().is_some_and(|p| !p.is_empty());
        if x.start_date.is_none()
            && x.end_date.is_none()
            && title_or_lead
            && has_parties
            && g.occasion_year.is_none()
        {
            if let Some(p) = a.pub_date.filter(|p| p.year.is_some() && p.month.is_some()) {
                x.start_date = PartialDate { day: None, ..p }.iso();
                year_inferred = true;
                year_reason = Some("no date of its own: the month of the page".into());
                if let Some(sp) = a.pub_date_span {
                    ev.add(
                        "start_date",
                        a.norm.norm_of(sp.start),
                        a.norm.norm_of(sp.end),
                    );
                }
            }
        }
        if x.start_date.is_some() || x.end_date.is_some() {
            x.year_inferred = Some(year_inferred);
            x.year_reason = year_reason;
        } else {
            x.year_inferred = None;
        }
        // duration: a number of days/weeks/hours with a duration cue or next to a trigger
        for &si in &scope {
            let s = &a.sents[si];
            for q in &s.quantities {
                let cue = s
                    .duration_cues
                    .iter()
                    .any(|c| c.1 <= q.start && a.words_between(c.1, q.start) <= 3)
                    || s.anchors
                        .iter()
                        .any(|t| t.0 >= q.end && a.words_between(q.end, t.0) <= 2);
                if !cue {
                    continue;
                }
                match q.unit {
                    Unit::Days if x.duration_days.is_none() => {
                        x.duration_days = Some(q.value);
                        ev.add("duration_days", q.start, q.end);
                    }
                    Unit::Weeks if x.duration_days.is_none() => {
                        x.duration_days = Some(q.value * 7.0);
                        ev.add("duration_days", q.start, q.end);
                    }
                    Unit::Hours if x.duration_hours.is_none() => {
                        x.duration_hours = Some(q.value);
                        ev.add("duration_hours", q.start, q.end);
                    }
                    _ => {}
                }
            }
        }
        // numbers, scenario and proximity: from the whole scope
        let mut scen: Vec<String> = Vec::new();
        let mut near: Vec<Near> = Vec::new();
        for &si in &scope {
            let s = &a.sents[si];
            for q in &s.quantities {
                let (slot, field) = match q.unit {
                    Unit::Troops => (&mut x.troops, "troops"),
                    Unit::Aircraft => (&mut x.aircraft, "aircraft"),
                    Unit::Ships => (&mut x.ships, "ships"),
                    Unit::Vehicles => (&mut x.vehicles, "vehicles"),
                    _ => continue,
                };
                if slot.is_none() && q.value >= 1.0 {
                    *slot = Some(q.value);
                    ev.add(field, q.start, q.end);
                }
            }
            for &ci in &s.countries {
                let c = &a.countries[ci];
                if c.role == Some(Role::Observer)
                    && !x.observers.iter().flatten().any(|o| *o == c.code)
                {
                    x.observers
                        .get_or_insert_with(Vec::new)
                        .push(c.code.clone());
                    if let Some(p) = x.participants.as_mut() {
                        p.retain(|p| *p != c.code);
                    }
                    ev.add("observers", c.start, c.end);
                }
            }
            for (tag, ts, te) in &s.scenario {
                push_unique(&mut scen, tag);
                ev.add("scenario", *ts, *te);
            }
            for &ci in &s.countries {
                let c = &a.countries[ci];
                if c.role != Some(Role::Near) || near.iter().any(|n| n.country == c.code) {
                    continue;
                }
                let km = s
                    .quantities
                    .iter()
                    .rfind(|q| {
                        q.unit == Unit::Km && q.end <= c.start && s.clause_of(q.start) == c.clause
                    })
                    .map(|q| {
                        ev.add("near", q.start, q.end);
                        q.value
                    });
                ev.add("near", c.start, c.end);
                near.push(Near {
                    country: c.code.clone(),
                    km,
                    computed_km: None,
                });
            }
        }
        // warships counted say the exercise is naval, armoured vehicles
        // counted that it is on land (the count is the evidence); aircraft
        // are not enough for `air`, they fly in most drills (measured: on
        // the own-words set air from a count of aircraft adds 10 false tags
        // for 2 true ones)
        for (count, tag, field) in [
            (x.ships, "naval", "ships"),
            (x.vehicles, "land", "vehicles"),
        ] {
            if count.is_some() && !scen.iter().any(|t| t == tag) {
                scen.push(tag.to_string());
                if let Some(spans) = ev.0.get(field).cloned() {
                    for (s, e) in spans {
                        ev.add("scenario", s, e);
                    }
                }
            }
        }
        scen.sort();
        x.scenario = if scen.is_empty() { None } else { Some(scen) };
        let (claims, purpose) = crate::claims::claims_and_purpose(a, &scope, offsets);
        x.claims = claims;
        if let Some((text, ps, pe)) = purpose {
            x.purpose = Some(text);
            let (s, e) = (a.norm.norm_of(ps), a.norm.norm_of(pe));
            ev.add("purpose", s, e);
        }
        // stated proximity beside the computed one
        if let Some((lat, lon)) = x.location.as_ref().and_then(|l| l.lat.zip(l.lon)) {
            for n in &mut near {
                n.computed_km = muster_geo::Gazetteer::get()
                    .distance_to_country_km(lat, lon, &n.country)
                    .map(|d| (d * 10.0).round() / 10.0);
            }
        }
        x.near = Some(near);
        // role in the document
        // an occasion dated well before the text is background even in its lead
        let main = title_or_lead && g.occasion_year.is_none();
        x.role = Some(if main { "main" } else { "background" }.to_string());
        let mut conf: f64 = 0.45;
        if x.name.is_some() {
            conf += 0.2;
        }
        if x.start_date.is_some() {
            conf += 0.1;
        }
        if x.participants.as_ref().is_some_and(|p| !p.is_empty()) {
            conf += 0.1;
        }
        if gms.len() >= 2 {
            conf += 0.1;
        }
        x.confidence = Some((conf.min(0.95) * 100.0).round() / 100.0);
        // how far from the blocs' outer borders, on the exercise's date
        let on = x
            .start_date
            .clone()
            .filter(|d| !d.starts_with("--"))
            .or_else(|| a.pub_date.and_then(|d| d.iso()));
        if let (Some(l), Some(on)) = (x.location.as_mut(), on) {
            if let (Some(lat), Some(lon)) = (l.lat, l.lon) {
                let g = muster_geo::Gazetteer::get();
                for org in BLOCS {
                    if let Some(d) = g.distance_to_alliance(lat, lon, org, &on) {
                        l.alliances.push(muster_core::AllianceDistance {
                            org: d.org,
                            on: d.on,
                            km: (d.km * 10.0).round() / 10.0,
                            inside: d.inside,
                        });
                    }
                }
            }
        }
        built.push((x, ev, gi));
    }
    // a feature that opens on a scene names its exercise later: with none in
    // the title or the lead, the one most written about (three sentences or
    // more) is the main one
    if !built.iter().any(|b| b.0.role.as_deref() == Some("main")) {
        let sents_of = |gi: usize| {
            let mut v: Vec<usize> = groups[gi].mentions.iter().map(|&m| ms[m].sent).collect();
            v.dedup();
            v.len()
        };
        let best = built
            .iter()
            .enumerate()
            .map(|(k, b)| (sents_of(b.2), std::cmp::Reverse(k)))
            .max();
        if let Some((n, std::cmp::Reverse(k))) = best {
            if n >= 3 {
                built[k].0.role = Some("main".into());
            }
        }
    }
    // keys, evidence in code points
    for (mut x, ev, gi) in built {
        let year = x
            .start_date
            .as_deref()
            .and_then(|d| d.get(..4))
            .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
            .map(String::from)
            .or(groups[gi].name_year.map(|y| y.to_string()));
        x.key = Some(match (&x.name, year) {
            (Some(n), Some(y)) => format!("{}-{}", slug(n), y),
            (Some(n), None) => slug(n),
            (None, _) => {
                let mut parts: Vec<String> = x
                    .participants
                    .clone()
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.to_lowercase())
                    .collect();
                parts.sort();
                let when = x
                    .start_date
                    .clone()
                    .unwrap_or_default()
                    .trim_start_matches('-')
                    .to_string();
                let mut k = parts.join("-");
                if !when.is_empty() {
                    k = format!("{k}-{when}");
                }
                if k.is_empty() {
                    format!("{}-{}", slug(&a.doc.id), gi + 1)
                } else {
                    k.trim_matches('-').to_string()
                }
            }
        });
        for (field, spans) in ev.0 {
            let mut cs: Vec<CharSpan> = spans
                .iter()
                .map(|&(s, e)| offsets.span(a.orig_span(s, e)))
                .collect();
            cs.sort();
            cs.dedup();
            x.evidence.insert(field, cs);
        }
        out.push(x);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_other_scripts_come_out_in_clean_latin_letters() {
        assert_eq!(super::latin_name("Щит Союза"), "Shchit Soiuza");
        let ar = super::latin_name("المحمومة");
        assert!(
            ar.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '),
            "{ar}"
        );
        assert!(ar.starts_with(|c: char| c.is_ascii_uppercase()), "{ar}");
        assert_eq!(super::latin_name("联合利剑"), "Lian He Li Jian");
    }

    #[test]
    fn a_day_alone_is_the_nearest_such_day_unless_a_cue_says_which() {
        let d = |y, m, dd| jiff::civil::date(y, m, dd);
        let pd = d(2025, 12, 29);
        assert_eq!(super::day_of_month_near(pd, 30, 0), Some(d(2025, 12, 30)));
        assert_eq!(super::day_of_month_near(pd, 29, 0), Some(d(2025, 12, 29)));
        assert_eq!(
            super::day_of_month_near(d(2025, 1, 10), 28, 0),
            Some(d(2024, 12, 28))
        );
        assert_eq!(super::day_of_month_near(pd, 30, -1), Some(d(2025, 11, 30)));
        assert_eq!(
            super::day_of_month_near(d(2025, 1, 10), 28, 1),
            Some(d(2025, 1, 28))
        );
    }
}
