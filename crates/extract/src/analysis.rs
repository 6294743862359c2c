//! Per-sentence analysis of one document: every later step reads this.

use crate::dates::{find_dates, DateExpr, PartialDate};
use crate::names::{find_names, NameHit};
use crate::numbers::{quantities, Quantity};
use muster_core::{CleanDoc, Sentence, Span};
use muster_lexicon::norm::Norm;
use muster_lexicon::{CountryKind, Lang, Lexicon, Role, MASK_CLOSE, MASK_OPEN};
use std::collections::HashSet;

/// A country named in the text (by name, demonym, capital or force).
#[derive(Debug, Clone)]
pub struct CountryMention {
    pub start: usize,
    pub end: usize,
    pub code: String,
    pub kind: CountryKind,
    pub role: Option<Role>,
    pub sent: usize,
    pub clause: usize,
}

/// A pair or group written as one word ("중·러", "中俄", "日米豪印"), listed
/// in the data with codes joined by `+`, becomes one mention per country:
/// each over its part when the parts are marked off by a middle dot or a
/// slash, or are one character each; else only the first country is kept.
fn split_pair(text: &str, c: CountryMention) -> Vec<CountryMention> {
    if !c.code.contains('+') {
        return vec![c];
    }
    let codes: Vec<String> = c.code.split('+').map(String::from).collect();
    let word = text.get(c.start..c.end).unwrap_or("");
    let is_sep = |ch: char| matches!(ch, '·' | '・' | '/' | '／');
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut piece_start = c.start;
    for (i, ch) in word.char_indices() {
        if is_sep(ch) {
            parts.push((piece_start, c.start + i));
            piece_start = c.start + i + ch.len_utf8();
        }
    }
    parts.push((piece_start, c.end));
    if parts.len() != codes.len() {
        parts = word
            .char_indices()
            .map(|(i, ch)| (c.start + i, c.start + i + ch.len_utf8()))
            .collect();
    }
    if parts.len() != codes.len() {
        return vec![CountryMention {
            code: codes[0].clone(),
            ..c
        }];
    }
    codes
        .into_iter()
        .zip(parts)
        .map(|(code, (s, e))| CountryMention {
            start: s,
            end: e,
            code,
            ..c.clone()
        })
        .collect()
}

/// Who a date belongs to, by the nearest anchor in its sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Owner {
    /// An exercise anchor: index into `SentInfo::anchors`.
    Exercise(usize),
    /// A summit, a visit, a statement: not the exercise's date.
    Other,
}

#[derive(Debug, Clone, Default)]
pub struct SentInfo {
    pub span: Span,
    pub ns: usize,
    pub ne: usize,
    pub paragraph: usize,
    pub in_title: bool,
    /// Valid (military-sense) trigger ranges.
    pub triggers: Vec<(usize, usize)>,
    /// True when every trigger refers back ("these exercises").
    pub anaphoric: bool,
    /// A trigger of the sentence is framed as part of an exercise already
    /// reported ("as part of the drills", "в рамках учений").
    pub part_of: bool,
    /// A generic phrase ("regular exercises with partners").
    pub generic: bool,
    pub names: Vec<NameHit>,
    /// Exercise anchors: triggers and names (normalized ranges).
    pub anchors: Vec<(usize, usize)>,
    pub dates: Vec<(DateExpr, Owner)>,
    /// The sentence names another event (a summit, a visit, a war).
    pub has_events: bool,
    /// Indices into `Analysis::countries`.
    pub countries: Vec<usize>,
    pub clauses: Vec<(usize, usize)>,
    pub participation: Vec<(usize, usize)>,
    pub open: Option<(usize, usize)>,
    pub two_countries: Option<(usize, usize)>,
    pub quantities: Vec<Quantity>,
    pub duration_cues: Vec<(usize, usize)>,
    pub scenario: Vec<(String, usize, usize)>,
    /// (place-form id, start, end).
    pub places: Vec<(usize, usize, usize)>,
}

impl SentInfo {
    pub fn is_mention(&self) -> bool {
        !self.names.is_empty() || (!self.triggers.is_empty() && !self.generic)
    }
    /// Clause index of a normalized offset.
    pub fn clause_of(&self, at: usize) -> usize {
        self.clauses
            .iter()
            .position(|&(s, e)| at >= s && at < e)
            .unwrap_or(0)
    }
    /// Clauses that hold a trigger or a name.
    pub fn mention_clauses(&self) -> Vec<usize> {
        let mut c: Vec<usize> = self.anchors.iter().map(|a| self.clause_of(a.0)).collect();
        c.sort();
        c.dedup();
        c
    }
}

/// A reference event recognised in a sentence.
#[derive(Debug, Clone)]
pub struct EventHit {
    pub event: usize,
    pub sent: usize,
    pub start: usize,
    pub end: usize,
    /// From the first to the last of the event's words in the sentence.
    pub extent: (usize, usize),
}

/// An event found in a range: (first word's range, event index, extent).
type EventFound = ((usize, usize), usize, (usize, usize));

pub struct Analysis<'a> {
    pub doc: &'a CleanDoc,
    pub text: &'a str,
    pub norm: Norm,
    pub lex: &'a Lexicon,
    pub langs: Vec<&'a Lang>,
    pub sents: Vec<SentInfo>,
    pub countries: Vec<CountryMention>,
    pub events: Vec<EventHit>,
    pub pub_date: Option<PartialDate>,
    pub pub_date_source: Option<String>,
    pub pub_date_span: Option<Span>,
    /// The document speaks of armed forces or exercises somewhere.
    pub doc_military: bool,
    /// Alliances named anywhere in the text: (alliance index, start, end).
    pub alliances: Vec<(usize, usize, usize)>,
}

fn hits<V: Clone>(
    m: &muster_lexicon::matcher::Matcher<V>,
    a: &Norm,
    t: &str,
    s: usize,
    e: usize,
) -> Vec<(usize, usize, V)> {
    m.find_in(a, t, s, e)
        .into_iter()
        .map(|h| (h.start, h.end, h.value))
        .collect()
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl<'a> Analysis<'a> {
    pub fn new(
        doc: &'a CleanDoc,
        sents: &[Sentence],
        langs: &[&'a Lang],
        lex: &'a Lexicon,
        dateline: Option<Span>,
    ) -> Self {
        let text = doc.text.as_str();
        let norm = Norm::new(text);
        let mut a = Analysis {
            doc,
            text,
            norm,
            lex,
            langs: langs.to_vec(),
            sents: Vec::new(),
            countries: Vec::new(),
            events: Vec::new(),
            pub_date: None,
            pub_date_source: None,
            pub_date_span: None,
            doc_military: false,
            alliances: Vec::new(),
        };
        a.find_pub_date(dateline);
        let has_trigger = a
            .langs
            .iter()
            .any(|l| !l.triggers.find(&a.norm, text).is_empty());
        a.doc_military = has_trigger
            || a.langs
                .iter()
                .any(|l| !l.military.find(&a.norm, text).is_empty());
        // a sentence mentions an exercise through a trigger or a name, and
        // every path to a name (`names::find_names`) needs a trigger, a
        // naming verb, a series name, or an ordinary-word series alias in a
        // military text. A text with none of these needs no reading: most
        // pages of a general news feed, "war" and "forces" included
        let may_mention = has_trigger
            || a.langs
                .iter()
                .any(|l| !l.naming.find(&a.norm, text).is_empty())
            || !lex.series_strong.find(&a.norm, text).is_empty()
            || (a.doc_military && !lex.series_weak.find(&a.norm, text).is_empty());
        if !may_mention {
            return a;
        }
        a.alliances = lex
            .alliance_names
            .find(&a.norm, text)
            .into_iter()
            .map(|h| (h.value, h.start, h.end))
            .collect();
        a.find_countries();
        for (i, s) in sents.iter().enumerate() {
            let info = a.analyse_sentence(i, s);
            a.sents.push(info);
        }
        a.anchor_narrative_days();
        a.find_events();
        a.check_pub_date();
        a
    }

    /// "The day before" counts from the last day the text wrote before
    /// it ("Xinhua reported on the 24th ... began the day before"),
    /// whoever that day belongs to. A run of such phrases adds up onto the
    /// same anchor, so no anchor holds another (a text of a thousand "the
    /// day before" stays linear).
    fn anchor_narrative_days(&mut self) {
        let mut base: Option<DateExpr> = None;
        let mut offset = 0;
        for s in &mut self.sents {
            for (d, _) in &mut s.dates {
                if d.narrative {
                    offset += d.rel_day.unwrap_or(0);
                    d.rel_day = Some(offset);
                    d.anchor = base.clone().map(Box::new);
                } else if d.from.day.is_some() || d.is_relative() {
                    base = Some(d.clone());
                    offset = 0;
                }
            }
        }
    }

    /// A page date years before every event the text itself dates (a
    /// template's date, an archive's crawl date) is noticed, not trusted.
    fn check_pub_date(&mut self) {
        let Some(py) = self.pub_date.and_then(|d| d.year) else {
            return;
        };
        let written: Vec<i32> = self
            .sents
            .iter()
            .flat_map(|s| {
                s.dates
                    .iter()
                    .filter(|(_, o)| matches!(o, Owner::Exercise(_)))
                    .filter_map(|(d, _)| d.from.year)
                    .chain(s.names.iter().filter_map(|n| n.year))
            })
            .collect();
        if let Some(&min) = written.iter().min() {
            if min > py + 1 {
                self.pub_date_source = Some(format!(
                    "ignored: the page date {} is years before the events the text dates ({min})",
                    self.pub_date.and_then(|d| d.iso()).unwrap_or_default()
                ));
                self.pub_date = None;
            }
        }
    }

    fn find_pub_date(&mut self, dateline: Option<Span>) {
        if let Some(d) = self
            .doc
            .pub_date
            .as_deref()
            .and_then(PartialDate::parse_iso)
        {
            self.pub_date = Some(d);
            self.pub_date_source = self.doc.pub_date_source.clone().or(Some("metadata".into()));
            self.refine_pub_day(d);
            return;
        }
        if let Some(span) = dateline {
            let (s, e) = (self.norm.norm_of(span.start), self.norm.norm_of(span.end));
            let found = find_dates(&self.norm, self.text, s, e, &self.langs);
            if let Some(d) = found
                .iter()
                .find(|d| d.from.year.is_some() && d.from.month.is_some())
            {
                self.pub_date = Some(d.from);
                self.pub_date_source = Some("dateline".into());
                // the whole line: its weekday ("(Friday)") dates the page too
                self.pub_date_span = Some(span);
                return;
            }
        }
        // last, the page's address ("/2024/06/04/", "nachrichten-2024-06/")
        if let Some(d) = self
            .doc
            .url
            .as_deref()
            .and_then(muster_core::url_date::date_in_url)
            .as_deref()
            .and_then(PartialDate::parse_iso)
        {
            self.pub_date = Some(d);
            self.pub_date_source = Some("url".into());
            self.refine_pub_day(d);
        }
    }

    /// Whether the normalized range `[s, e)` is one of event `ev`'s words
    /// or stands right before them (at most 3 characters away), or right
    /// after them when `after` allows ("the Quad summit in Tokyo").
    pub fn beside_event(&self, ev: &EventHit, s: usize, e: usize, after: Option<usize>) -> bool {
        let (es, ee) = ev.extent;
        let gap = |x: usize, y: usize| muster_lexicon::norm::chars_between(&self.norm.text, x, y);
        (s >= es && e <= ee)
            || (e <= es && gap(e, es) <= 3)
            || after.is_some_and(|reach| s >= ee && gap(ee, s) <= reach)
    }

    /// A page date known to the month ("2024-10") takes its day from the
    /// first full date of that month near the top ("(Di lunedì 14 ottobre
    /// 2024)").
    fn refine_pub_day(&mut self, d: PartialDate) {
        if d.day.is_some() || d.month.is_none() {
            return;
        }
        let top = muster_lexicon::norm::before(&self.norm.text, 0, 600, usize::MAX).len();
        let found = find_dates(&self.norm, self.text, 0, top, &self.langs);
        if let Some(f) = found.iter().find(|f| {
            f.to.is_none()
                && f.from.year == d.year
                && f.from.month == d.month
                && f.from.day.is_some()
        }) {
            self.pub_date = Some(f.from);
            let source = self.pub_date_source.clone().unwrap_or_default();
            self.pub_date_source = Some(format!("{source}, day from the text"));
            self.pub_date_span = Some(Span::new(self.norm.orig(f.start), self.norm.orig(f.end)));
        }
    }

    fn find_countries(&mut self) {
        let mut all: Vec<CountryMention> = Vec::new();
        for l in &self.langs {
            for h in l.countries.find(&self.norm, self.text) {
                all.push(CountryMention {
                    start: h.start,
                    end: h.end,
                    code: h.value.code,
                    kind: h.value.kind,
                    role: None,
                    sent: 0,
                    clause: 0,
                });
            }
        }
        all.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        let mut chosen: Vec<CountryMention> = Vec::new();
        for c in all {
            if chosen
                .iter()
                .all(|x| !overlaps((c.start, c.end), (x.start, x.end)))
            {
                chosen.push(c);
            }
        }
        chosen.sort_by_key(|c| c.start);
        self.countries = chosen
            .into_iter()
            .flat_map(|c| split_pair(&self.norm.text, c))
            .collect();
    }

    fn analyse_sentence(&mut self, idx: usize, s: &Sentence) -> SentInfo {
        let (ns, ne) = (
            self.norm.norm_of(s.span.start),
            self.norm.norm_of(s.span.end),
        );
        let (n, t) = (&self.norm, self.text);
        let mut info = SentInfo {
            span: s.span,
            ns,
            ne,
            paragraph: s.paragraph,
            in_title: self.doc.title.is_some_and(|ti| ti.contains(s.span)),
            ..Default::default()
        };
        let mut triggers = Vec::new();
        let mut negative = Vec::new();
        let mut military = false;
        let mut naming = Vec::new();
        let mut blockers = Vec::new();
        let mut generic = Vec::new();
        let mut events = Vec::new();
        let mut reporting = Vec::new();
        let ranges = |m: &muster_lexicon::matcher::Matcher<()>| -> Vec<(usize, usize)> {
            m.find_in(n, t, ns, ne)
                .into_iter()
                .map(|h| (h.start, h.end))
                .collect()
        };
        for l in &self.langs {
            triggers.extend(ranges(&l.triggers));
            negative.extend(ranges(&l.negative));
            reporting.extend(ranges(&l.reporting));
            military |= !l.military.find_in(n, t, ns, ne).is_empty();
            blockers.extend(ranges(&l.name_blockers));
            naming.extend(ranges(&l.naming));
            generic.extend(ranges(&l.generic));
            events.extend(
                hits(&l.event_words, n, t, ns, ne)
                    .into_iter()
                    .map(|h| (h.0, h.1)),
            );
            info.participation.extend(
                hits(&l.participation, n, t, ns, ne)
                    .into_iter()
                    .map(|h| (h.0, h.1)),
            );
            if info.open.is_none() {
                info.open = hits(&l.open_list, n, t, ns, ne).first().map(|h| (h.0, h.1));
            }
            if info.two_countries.is_none() {
                info.two_countries = hits(&l.two_countries, n, t, ns, ne)
                    .first()
                    .map(|h| (h.0, h.1));
            }
            info.duration_cues.extend(
                hits(&l.duration_cues, n, t, ns, ne)
                    .into_iter()
                    .map(|h| (h.0, h.1)),
            );
            for h in hits(&l.scenario, n, t, ns, ne) {
                info.scenario.push((h.2, h.0, h.1));
            }
        }
        triggers.sort();
        triggers.dedup();
        let forces = self
            .countries
            .iter()
            .any(|c| c.start >= ns && c.end <= ne && c.kind == CountryKind::Force);
        let earlier_mention = self.sents.iter().any(|x| x.is_mention());
        // names need trigger ranges even for triggers whose sense is unclear
        let raw_triggers: Vec<(usize, usize)> = triggers
            .iter()
            .copied()
            .filter(|tr| !negative.iter().any(|ng| overlaps(*tr, *ng)))
            .collect();
        let country_ranges: Vec<(usize, usize)> = self
            .countries
            .iter()
            .filter(|c| c.start >= ns && c.end <= ne)
            .map(|c| (c.start, c.end))
            .collect();
        let cues = crate::names::Cues {
            triggers: &raw_triggers,
            naming: &naming,
            blockers: &blockers,
            countries: &country_ranges,
            doc_military: self.doc_military,
        };
        info.names = find_names(n, t, (ns, ne), &cues, self.lex);
        // a name read only from the text's shape ("the Master Builder Series
        // exercise") needs a military sentence or a text that has already
        // reported an exercise: "exercise" has too many other senses. Names
        // of the series table need nothing more.
        if !(military || forces || earlier_mention) {
            info.names.retain(|nm| nm.series.is_some());
        }
        let mut anaphoric_all = true;
        // a cue of a language's list shortly before the trigger, at most
        // `words` words away from it
        let cue_before = |pick: fn(&Lang) -> &muster_lexicon::matcher::Matcher<()>,
                          at: usize,
                          window: usize,
                          words: usize| {
            let before = muster_lexicon::norm::before(&n.text, ns, at, window);
            let bn = Norm::new(before);
            self.langs.iter().any(|l| {
                pick(l)
                    .find(&bn, before)
                    .iter()
                    .any(|h| bn.text[h.end..].split_whitespace().count() <= words)
            })
        };
        for tr in raw_triggers.iter() {
            info.part_of |= earlier_mention && cue_before(|l| &l.part_of, tr.0, 40, 3);
        }
        for tr in raw_triggers {
            let anaphoric = cue_before(|l| &l.anaphora, tr.0, 16, 2);
            // once a text has reported an exercise, the word keeps that sense
            // (its other senses are caught by the negative phrases)
            let strong = military || forces || !info.names.is_empty();
            let valid = strong || earlier_mention;
            if valid {
                // valid only through an earlier mention: it refers back
                anaphoric_all &= anaphoric || !strong;
                info.triggers.push(tr);
                if generic.iter().any(|g| overlaps(*g, tr)) {
                    info.generic = true;
                }
            }
        }
        info.anaphoric = !info.triggers.is_empty() && anaphoric_all && info.names.is_empty();
        info.anchors = info.triggers.clone();
        info.anchors
            .extend(info.names.iter().map(|nm| (nm.start, nm.end)));
        info.anchors.sort();
        // clauses: punctuation and boundary words
        let mut cuts = vec![ns, ne];
        for (i, c) in t[s.span.start..s.span.end].char_indices() {
            if matches!(
                c,
                ';' | '(' | ')' | '–' | '—' | '[' | ']' | '（' | '）' | '；'
            ) {
                cuts.push(n.norm_of(s.span.start + i));
            }
        }
        for l in &self.langs {
            for h in l.clause_boundaries.find_in(n, t, ns, ne) {
                cuts.push(h.start);
            }
        }
        cuts.sort();
        cuts.dedup();
        info.clauses = cuts
            .windows(2)
            .map(|w| (w[0], w[1]))
            .filter(|w| w.1 > w.0)
            .collect();
        if info.clauses.is_empty() {
            info.clauses.push((ns, ne));
        }
        // dates and who they belong to
        let mut others: Vec<(usize, usize)> = events
            .into_iter()
            .filter(|e| !info.triggers.iter().any(|tr| overlaps(*tr, *e)))
            .collect();
        for (ev_i, _, _) in self.event_hits_in(ns, ne) {
            others.push(ev_i);
        }
        info.has_events = !others.is_empty();
        // ", anunciou Pequim,", ", the ministry said.": where an
        // attribution clause opens, for each event that is one
        let attributions: Vec<Option<usize>> = others
            .iter()
            .map(|&o| attribution_start(&n.text, (ns, ne), o, &reporting, &info.triggers))
            .collect();
        for d in find_dates(n, t, ns, ne, &self.langs) {
            // an attribution set off after the date reports the whole
            // sentence: it does not own what was written before it
            let owners: Vec<(usize, usize)> = others
                .iter()
                .zip(&attributions)
                .filter(|(_, at)| at.is_none_or(|c| c < d.end))
                .map(|(o, _)| *o)
                .collect();
            // "since 2012", "depuis 2005", "2019년부터", "自2019年以來": a
            // year that opens a run of editions dates none of them
            let opens_run = d.from.month.is_none()
                && d.from.year.is_some()
                && self
                    .langs
                    .iter()
                    .any(|l| !l.start_cues.find_in(n, t, d.start, d.end).is_empty());
            // "전날 오전 7시 45분부터 합동 군사훈련에": a start cue between the
            // date and the exercise word right after it, in the same clause,
            // makes the date that exercise's start, whatever event the date
            // also stands beside
            let starts_next = info.anchors.iter().position(|an| {
                an.0 >= d.end
                    && muster_lexicon::norm::chars_between(&n.text, d.end, an.0) <= 30
                    && self.langs.iter().any(|l| {
                        l.start_cues.find_in(n, t, d.end, an.0).iter().any(|h| {
                            !n.text[d.end..h.start].contains([',', '，', '、', '،', ';', '；'])
                        })
                    })
            });
            let owner = match info.dates.last() {
                _ if opens_run => Owner::Other,
                Some((_, o)) if d.listed => *o,
                _ => match starts_next {
                    Some(i) => Owner::Exercise(i),
                    None => owner_of(&n.text, &d, &info.anchors, &owners),
                },
            };
            info.dates.push((d, owner));
        }
        info.quantities = quantities(n, t, ns, ne, &self.langs);
        for h in self.lex.place_matcher.find_in(n, t, ns, ne) {
            info.places.push((h.value, h.start, h.end));
        }
        // countries of this sentence, outside names and place names
        // ("Sea of Japan", "East China Sea"), with clause roles
        let mut name_ranges: Vec<(usize, usize)> =
            info.names.iter().map(|nm| (nm.start, nm.end)).collect();
        name_ranges.extend(info.places.iter().map(|p| (p.1, p.2)));
        let mut mine = Vec::new();
        for (ci, c) in self.countries.iter_mut().enumerate() {
            let inside_longer =
                |r: &(usize, usize)| overlaps(*r, (c.start, c.end)) && r.1 - r.0 > c.end - c.start;
            let in_name = info
                .names
                .iter()
                .any(|nm| overlaps((nm.start, nm.end), (c.start, c.end)));
            if c.start >= ns && c.end <= ne && !in_name && !name_ranges.iter().any(inside_longer) {
                c.sent = idx;
                c.clause = info
                    .clauses
                    .iter()
                    .position(|&(s, e)| c.start >= s && c.start < e)
                    .unwrap_or(0);
                mine.push(ci);
            }
        }
        info.countries = mine;
        self.assign_roles(&info);
        // a place that is a government speaking ("Tokyo protested") or a
        // border is not where the exercise happens
        let countries = &self.countries;
        info.places.retain(|&(_, ps, pe)| {
            !info.countries.iter().any(|&ci| {
                let c = &countries[ci];
                overlaps((c.start, c.end), (ps, pe))
                    && !matches!(c.role, None | Some(Role::Location) | Some(Role::Host))
            })
        });
        info
    }

    /// Reference-event forms in a range: ((start, end), event index).
    fn event_hits_in(&self, ns: usize, ne: usize) -> Vec<EventFound> {
        let found: Vec<(usize, usize, usize, usize)> = self
            .lex
            .event_forms
            .find_in(&self.norm, self.text, ns, ne)
            .into_iter()
            .flat_map(|h| {
                self.lex.event_form_refs[h.value]
                    .iter()
                    .map(move |&(ev, g)| (h.start, h.end, ev, g))
            })
            .collect();
        let mut out = Vec::new();
        let mut seen: Vec<usize> = found.iter().map(|h| h.2).collect();
        seen.sort();
        seen.dedup();
        for ev in seen {
            let groups = self.lex.events[ev].all_of.len();
            let have: HashSet<usize> = found.iter().filter(|h| h.2 == ev).map(|h| h.3).collect();
            if groups > 0 && have.len() == groups {
                let first = found.iter().find(|h| h.2 == ev).expect("hit");
                let mine = found.iter().filter(|h| h.2 == ev);
                let extent = (
                    mine.clone().map(|h| h.0).min().unwrap_or(first.0),
                    mine.map(|h| h.1).max().unwrap_or(first.1),
                );
                out.push(((first.0, first.1), ev, extent));
            }
        }
        out
    }

    fn find_events(&mut self) {
        for (i, s) in self.sents.iter().enumerate() {
            for ((start, end), ev, extent) in self.event_hits_in(s.ns, s.ne) {
                self.events.push(EventHit {
                    event: ev,
                    sent: i,
                    start,
                    end,
                    extent,
                });
            }
        }
    }

    /// Gives the countries of each clause their roles from the role patterns.
    fn assign_roles(&mut self, info: &SentInfo) {
        // roles are local patterns: read them over the whole sentence
        {
            let (cs, ce) = (info.ns, info.ne);
            let members: Vec<usize> = info.countries.clone();
            if members.is_empty() {
                return;
            }
            let mut masked = String::new();
            let mut pos = cs;
            for (k, &i) in members.iter().enumerate() {
                let c = &self.countries[i];
                masked.push_str(&self.norm.text[pos..c.start]);
                masked.push(MASK_OPEN);
                masked.push_str(&k.to_string());
                masked.push(match c.kind {
                    CountryKind::Name => 'n',
                    CountryKind::Demonym => 'd',
                    CountryKind::Capital => 'c',
                    CountryKind::Force => 'f',
                });
                masked.push(MASK_CLOSE);
                pos = c.end;
            }
            masked.push_str(&self.norm.text[pos..ce]);
            let mut roles: Vec<Option<Role>> = vec![None; members.len()];
            for l in &self.langs {
                for (role, re) in l.roles.candidates(&masked) {
                    for cap in re.captures_iter(&masked) {
                        if let Some(k) =
                            cap.name("c").and_then(|m| m.as_str().parse::<usize>().ok())
                        {
                            if k < roles.len() && roles[k].is_none() {
                                roles[k] = Some(*role);
                            }
                        }
                    }
                }
            }
            // lists share a role: "near Japan and South Korea"
            let joiners: HashSet<&str> = self
                .langs
                .iter()
                .flat_map(|l| l.list_joiners.iter().map(String::as_str))
                .collect();
            let linked: Vec<bool> = members
                .windows(2)
                .map(|w| {
                    if self.countries[w[0]].clause != self.countries[w[1]].clause {
                        return false;
                    }
                    let gap = &self.norm.text[self.countries[w[0]].end..self.countries[w[1]].start];
                    gap.replace(',', " , ").split_whitespace().all(|tok| {
                        joiners.contains(tok)
                            || joiners.contains(tok.trim_end_matches('\''))
                            || self.is_article(tok)
                    })
                })
                .collect();
            for _ in 0..2 {
                for k in 0..linked.len() {
                    if linked[k] {
                        if roles[k + 1].is_none() && roles[k].is_some() {
                            roles[k + 1] = roles[k];
                        } else if roles[k].is_none()
                            && roles[k + 1].is_some()
                            && roles[k + 1] != Some(Role::Location)
                        {
                            roles[k] = roles[k + 1];
                        }
                    }
                }
            }
            for (k, &i) in members.iter().enumerate() {
                self.countries[i].role = roles[k];
            }
        }
    }

    /// A short stopword of the text's languages ("the", "la", "die"): it
    /// may stand inside a list of countries ("Tonga, the United Kingdom").
    fn is_article(&self, tok: &str) -> bool {
        tok.chars().count() <= 3 && self.langs.iter().any(|l| l.stopwords.contains(tok))
    }

    /// Countries linked to `i` by list joiners in the same clause (i included).
    pub fn list_of(&self, i: usize) -> Vec<usize> {
        let c = &self.countries[i];
        let joiners: HashSet<&str> = self
            .langs
            .iter()
            .flat_map(|l| l.list_joiners.iter().map(String::as_str))
            .collect();
        let same: Vec<usize> = (0..self.countries.len())
            .filter(|&j| self.countries[j].sent == c.sent && self.countries[j].clause == c.clause)
            .collect();
        let pos = same.iter().position(|&j| j == i).unwrap_or(0);
        let link = |a: usize, b: usize| {
            let gap = &self.norm.text[self.countries[a].end..self.countries[b].start];
            gap.replace(',', " , ")
                .split_whitespace()
                .all(|tok| joiners.contains(tok) || self.is_article(tok))
        };
        let mut out = vec![i];
        let mut k = pos;
        while k > 0 && link(same[k - 1], same[k]) {
            out.push(same[k - 1]);
            k -= 1;
        }
        let mut k = pos;
        while k + 1 < same.len() && link(same[k], same[k + 1]) {
            out.push(same[k + 1]);
            k += 1;
        }
        out.sort();
        out
    }

    /// Prints what the analysis found, for developers (`MUSTER_DEBUG=1`).
    pub fn debug_dump(&self) {
        eprintln!(
            "== {} langs {:?}",
            self.doc.id,
            self.langs
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
        );
        for e in &self.events {
            eprintln!(
                "  event {} in sentence {}",
                self.lex.events[e.event].id, e.sent
            );
        }
        for (i, s) in self.sents.iter().enumerate() {
            let txt: String = s.span.slice(self.text).chars().take(70).collect();
            eprintln!(
                "  [{i}] p{} mention={} anaph={} trig={} names={:?} {txt}",
                s.paragraph,
                s.is_mention(),
                s.anaphoric,
                s.triggers.len(),
                s.names.iter().map(|n| &n.name).collect::<Vec<_>>()
            );
            for (d, o) in &s.dates {
                eprintln!(
                    "      date {:?}..{:?} owner {:?} '{}'",
                    d.from,
                    d.to,
                    o,
                    &self.norm.text[d.start..d.end]
                );
            }
            for &ci in &s.countries {
                let c = &self.countries[ci];
                eprintln!(
                    "      country {} {:?} role {:?} clause {} '{}'",
                    c.code,
                    c.kind,
                    c.role,
                    c.clause,
                    &self.norm.text[c.start..c.end]
                );
            }
            for q in &s.quantities {
                eprintln!(
                    "      qty {} {:?} '{}'",
                    q.value,
                    q.unit,
                    &self.norm.text[q.start..q.end]
                );
            }
        }
    }

    /// Number of words between two normalized offsets.
    pub fn words_between(&self, a: usize, b: usize) -> usize {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.norm
            .text
            .get(a..b)
            .map(|g| g.split_whitespace().filter(|w| *w != ",").count())
            .unwrap_or(usize::MAX)
    }

    /// Original byte span of a normalized range.
    pub fn orig_span(&self, s: usize, e: usize) -> Span {
        let (a, b) = self.norm.orig_range(s, e);
        Span::new(a, b.max(a))
    }
}

/// Where the attribution clause holding event `o` opens, when `o` is a
/// reporting verb set off by a comma before it, with no exercise word
/// between that comma and the next one (", anunciou Pequim,", ", the
/// ministry said."). "On Monday, the ministry announced drills" is no
/// attribution: the drills are what it announced.
fn attribution_start(
    text: &str,
    (ns, ne): (usize, usize),
    o: (usize, usize),
    reporting: &[(usize, usize)],
    triggers: &[(usize, usize)],
) -> Option<usize> {
    if !reporting.iter().any(|r| overlaps(*r, o)) {
        return None;
    }
    let is_comma = |c: char| matches!(c, ',' | '،' | '、' | '，');
    let before = text.get(ns..o.0)?;
    let open = ns + before.rfind(is_comma)?;
    let after = text.get(o.1..ne)?;
    let close = o.1 + after.find(is_comma).unwrap_or(after.len());
    let words_before = text[open..o.0].split_whitespace().count();
    let bare = !triggers.iter().any(|tr| overlaps(*tr, (open, close)));
    (bare && words_before <= 4).then_some(open)
}

/// The owner of a date: the nearest anchor, preceding ones preferred. A
/// bare year ("in 2017") belongs to an exercise only when right beside it.
fn owner_of(
    text: &str,
    d: &DateExpr,
    anchors: &[(usize, usize)],
    others: &[(usize, usize)],
) -> Owner {
    let year_only = d.from.month.is_none() && d.from.year.is_some();
    // distances in characters, whatever the script's bytes per letter
    let gap = |a: usize, b: usize| muster_lexicon::norm::chars_between(text, a, b);
    let dist = |a: &(usize, usize)| -> usize {
        if a.1 <= d.start {
            gap(a.1, d.start)
        } else if a.0 >= d.end {
            gap(d.end, a.0) * 3 / 2
        } else {
            0
        }
    };
    let best_ex = anchors
        .iter()
        .enumerate()
        .map(|(i, a)| (dist(a), i))
        // a year alone belongs to a trigger close by; anywhere in a
        // sentence that speaks of nothing else ("This annual exercise has
        // been held off Guam in 2018, off Japan in 2019")
        .filter(|(dd, _)| {
            !year_only || *dd <= 30 || (anchors.len() == 1 && others.is_empty() && *dd <= 90)
        })
        .min();
    let best_other = others.iter().map(dist).min();
    match (best_ex, best_other) {
        (Some((de, i)), Some(o)) if de <= o => Owner::Exercise(i),
        (Some((_, _)), Some(_)) => Owner::Other,
        (Some((_, i)), None) => Owner::Exercise(i),
        _ => Owner::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(start: usize, end: usize, code: &str) -> CountryMention {
        CountryMention {
            start,
            end,
            code: code.into(),
            kind: CountryKind::Name,
            role: None,
            sent: 0,
            clause: 0,
        }
    }

    #[test]
    fn pairs_written_as_one_word_name_each_country() {
        let t = "중·러 연합";
        let got = split_pair(t, mention(0, "중·러".len(), "CN+RU"));
        let parts: Vec<(&str, &str)> = got
            .iter()
            .map(|c| (c.code.as_str(), &t[c.start..c.end]))
            .collect();
        assert_eq!(parts, [("CN", "중"), ("RU", "러")]);
        let t = "日米豪印";
        assert_eq!(split_pair(t, mention(0, t.len(), "JP+US+AU+IN")).len(), 4);
        // parts that cannot be told apart keep the first country only
        let t = "Benelux";
        let got = split_pair(t, mention(0, t.len(), "BE+NL+LU"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].code, "BE");
    }
}
