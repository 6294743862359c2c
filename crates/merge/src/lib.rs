//! Merge: the exercises found in many documents → one [`ExerciseRecord`]
//! per real-world exercise.
//!
//! The rules, in order:
//!
//! 1. Every mention falls in a **bucket**: the year of its dates, else the
//!    year in its name, else the edition the series table gives for its
//!    publication year, else its publication year, else `undated`. Mentions
//!    only merge within a bucket, so a new document changes only the
//!    buckets of its own mentions (the store rebuilds those alone).
//! 2. **Named** mentions merge by name (the series table's name when the
//!    name is one of its aliases, in any script; else the name itself) and
//!    year. Mentions of one name and year whose dates lie more than
//!    [`EDITION_GAP_DAYS`] apart are separate editions (Joint Sword 2024A
//!    in May, 2024B in October); an undated one joins the edition that
//!    began last before it was published.
//! 3. **Unnamed** mentions, most precisely dated first, join the record
//!    whose participants they share and whose dates they overlap (or whose
//!    location country they share when they name no participant); a mention
//!    without dates joins only a record with exactly its participants,
//!    running when it was published. Otherwise it starts a record.
//! 4. **Fields** keep every value reported with its sources; the chosen
//!    value follows the rule named beside it.
//!
//! The result depends only on the set of mentions, never on their order:
//! mentions are sorted by content and (document, index) before any rule
//! runs, and every tie is broken on those keys.

use muster_core::{DocRecord, Exercise, ExerciseRecord, Field, MentionRef, Reported, SourceRef};
use muster_lexicon::norm::{norm_str, slug};
use muster_lexicon::Lexicon;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Dated mentions of one name and year further apart than this are
/// separate editions.
pub const EDITION_GAP_DAYS: i32 = 45;
/// Two day-precise dates this close still describe the same exercise
/// (reports differ by a day or two across time zones and announcements).
pub const DAY_TOLERANCE: i32 = 3;
/// A mention without dates joins a record that ended at most this long
/// before it was published.
pub const REPORT_LAG_DAYS: i32 = 45;

/// One exercise of one document, ready to merge.
#[derive(Debug, Clone)]
pub struct Input {
    pub doc: String,
    pub exercise: usize,
    pub pub_date: Option<String>,
    pub lang: Option<String>,
    pub ex: Exercise,
}

impl Input {
    /// Every exercise of a document record.
    pub fn of_doc(d: &DocRecord) -> Vec<Input> {
        d.exercises
            .iter()
            .enumerate()
            .map(|(i, e)| Input {
                doc: d.id.clone(),
                exercise: i,
                pub_date: d.pub_date.clone(),
                lang: d.lang.clone(),
                ex: e.clone(),
            })
            .collect()
    }
}

/// A date as a range of days with its precision (1 year, 2 month, 3 day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct When {
    lo: i32,
    hi: i32,
    precision: u8,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a yearless `--MM-DD` / `--MM`
/// (the year then comes from `year`).
fn parse_date(s: &str, year: Option<i32>) -> Option<(i32, Option<u32>, Option<u32>)> {
    let (y, rest) = if let Some(r) = s.strip_prefix("--") {
        (year?, r)
    } else {
        let y: i32 = s.get(..4)?.parse().ok()?;
        (y, s.get(4..).unwrap_or("").trim_start_matches('-'))
    };
    let mut parts = rest.split('-').filter(|p| !p.is_empty());
    let m: Option<u32> = parts
        .next()
        .and_then(|p| p.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let d: Option<u32> = m.and_then(|m| {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .filter(|d| *d >= 1 && *d <= days_in_month(y, m))
    });
    Some((y, m, d))
}

fn span_of(s: &str, year: Option<i32>) -> Option<When> {
    let (y, m, d) = parse_date(s, year)?;
    Some(match (m, d) {
        (Some(m), Some(d)) => {
            let x = days(y, m, d);
            When {
                lo: x,
                hi: x,
                precision: 3,
            }
        }
        (Some(m), None) => When {
            lo: days(y, m, 1),
            hi: days(y, m, days_in_month(y, m)),
            precision: 2,
        },
        _ => When {
            lo: days(y, 1, 1),
            hi: days(y, 12, 31),
            precision: 1,
        },
    })
}

/// The days an exercise runs, as precisely as its dates say.
fn when_of(ex: &Exercise, year: Option<i32>) -> Option<When> {
    let start = span_of(ex.start_date.as_deref()?, year)?;
    let mut w = start;
    if let Some(end) = ex
        .end_date
        .as_deref()
        .and_then(|e| span_of(e, Some(year_of_day(start.lo))))
    {
        if end.hi >= start.lo && end.hi - start.lo < 400 {
            w.hi = end.hi;
        }
    } else if let (3, Some(d)) = (start.precision, ex.duration_days) {
        if (1.0..400.0).contains(&d) {
            w.hi = start.lo + d as i32 - 1;
        }
    }
    Some(w)
}

/// The civil date (year, month, day) of a day number: the inverse of
/// [`days`] (H. Hinnant's civil-from-days).
fn civil(x: i32) -> (i32, i32, i32) {
    let z = x + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

fn year_of_day(x: i32) -> i32 {
    civil(x).0
}

/// The last day a publication date allows (a month's last day when only
/// the month is known).
fn pub_day(p: Option<&str>) -> Option<i32> {
    let w = span_of(p?, None)?;
    (w.precision >= 2).then_some(w.hi)
}

fn pub_year(p: Option<&str>) -> Option<i32> {
    p.and_then(|p| p.get(..4)).and_then(|y| y.parse().ok())
}

/// The series table, indexed by the normalized form of every alias.
pub struct Series<'a> {
    by_alias: HashMap<String, usize>,
    lex: &'a Lexicon,
}

impl<'a> Series<'a> {
    pub fn new(lex: &'a Lexicon) -> Series<'a> {
        let mut by_alias = HashMap::new();
        for (i, s) in lex.series.iter().enumerate() {
            for a in std::iter::once(&s.name)
                .chain(&s.aliases)
                .chain(&s.weak_aliases)
            {
                by_alias.entry(name_norm(a)).or_insert(i);
            }
        }
        Series { by_alias, lex }
    }

    fn find(&self, name: &str) -> Option<&'a muster_lexicon::reference::Series> {
        self.by_alias
            .get(&name_norm(name))
            .map(|&i| &self.lex.series[i])
    }
}

/// A name without a trailing edition ("Joint Sword-2024A" → "joint sword"),
/// normalized.
fn name_norm(name: &str) -> String {
    let n = norm_str(name);
    let mut words: Vec<&str> = n
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    while let Some(last) = words.last() {
        let digits = last.trim_end_matches(|c: char| c.is_ascii_lowercase());
        let is_edition = digits.len() >= 2
            && digits.len() <= 4
            && digits.chars().all(|c| c.is_ascii_digit())
            && last.len() - digits.len() <= 1;
        if is_edition && words.len() > 1 {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// What the merge needs to know of one mention.
struct Prepared {
    input: Input,
    name_key: Option<String>,
    series: Option<String>,
    bucket: String,
    year: Option<i32>,
    year_reason: Option<String>,
    when: Option<When>,
    parts: BTreeSet<String>,
    place: Option<String>,
    published: Option<i32>,
}

/// The year a mention belongs to, and why.
fn year_for(
    i: &Input,
    series: Option<&muster_lexicon::reference::Series>,
) -> (Option<i32>, Option<String>) {
    let ex = &i.ex;
    if let Some(y) = ex
        .start_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok())
    {
        let reason = if ex.year_inferred == Some(true) {
            ex.year_reason
                .clone()
                .unwrap_or_else(|| "inferred by the extractor".into())
        } else {
            "the dates reported".into()
        };
        return (Some(y), Some(reason));
    }
    if let Some(y) = ex
        .name
        .as_deref()
        .into_iter()
        .chain(ex.key.as_deref())
        .find_map(year_in_name)
    {
        return (Some(y), Some("the year in the name".into()));
    }
    let Some(p) = pub_year(i.pub_date.as_deref()) else {
        return (None, None);
    };
    if let (Some(s), true) = (series, ex.name.is_some()) {
        if s.editions.contains(&p) {
            return (
                Some(p),
                Some(format!("publication year, a known {} edition", s.name)),
            );
        }
        let period = s.periodicity_years.unwrap_or(0) as i32;
        if let Some(&last) = s.editions.iter().filter(|&&e| e <= p).max() {
            if period > 1 && (p - last) % period != 0 && p - last < period {
                return (
                    Some(last),
                    Some(format!(
                        "series table: {} is held every {period} years, last in {last} before publication",
                        s.name
                    )),
                );
            }
        }
    }
    (Some(p), Some("publication year".into()))
}

/// A four-digit year at the end of a name or key ("Zapad-2021", "zapad-2021").
fn year_in_name(s: &str) -> Option<i32> {
    let t = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n = t.len();
    if n < 4 || !t.is_char_boundary(n - 4) {
        return None;
    }
    let y = &t[n - 4..];
    let before = t[..n - 4].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    y.parse().ok().filter(|y| (1900..2100).contains(y))
}

fn prepare(input: Input, series: &Series) -> Prepared {
    let s = input.ex.name.as_deref().and_then(|n| series.find(n));
    let name_key = input.ex.name.as_deref().map(|n| match s {
        Some(s) => format!("s:{}", name_norm(&s.name)),
        None => format!("n:{}", name_norm(n)),
    });
    let (year, year_reason) = year_for(&input, s);
    let when = when_of(&input.ex, year);
    let parts: BTreeSet<String> = input.ex.participants.iter().flatten().cloned().collect();
    let place = input.ex.location.as_ref().and_then(|l| l.country.clone());
    let published = pub_day(input.pub_date.as_deref());
    Prepared {
        bucket: year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "undated".into()),
        name_key,
        series: s.map(|s| s.name.clone()),
        year,
        year_reason,
        when,
        parts,
        place,
        published,
        input,
    }
}

/// A record being built: its members and what they say together.
struct Cluster {
    members: Vec<(usize, &'static str)>,
    parts: BTreeSet<String>,
    places: BTreeSet<String>,
    /// The anchor: the dates of the first dated member.
    when: Option<When>,
    /// First and last publication day of the members.
    published: Option<(i32, i32)>,
}

impl Cluster {
    fn new() -> Cluster {
        Cluster {
            members: Vec::new(),
            parts: BTreeSet::new(),
            places: BTreeSet::new(),
            when: None,
            published: None,
        }
    }

    fn add(&mut self, i: usize, p: &Prepared, why: &'static str) {
        self.members.push((i, why));
        self.parts.extend(p.parts.iter().cloned());
        self.places.extend(p.place.iter().cloned());
        // the first dated member anchors the record's dates: members are
        // added earliest (named) or most precise (unnamed) first, and later
        // ones are compared with the anchor, never with a span that grows
        // with each member (which would chain distinct exercises together)
        if self.when.is_none() {
            self.when = p.when.filter(|w| w.precision >= 2);
        }
        if let Some(d) = p.published {
            self.published = Some(match self.published {
                Some((lo, hi)) => (lo.min(d), hi.max(d)),
                None => (d, d),
            });
        }
    }

    /// The days a member's dates may fall on: the anchor, else (a record
    /// nobody dated) the weeks before its reports were published.
    fn window(&self) -> Option<(i32, i32)> {
        match (self.when, self.published) {
            (Some(w), _) => Some((w.lo - DAY_TOLERANCE, w.hi + REPORT_LAG_DAYS)),
            (None, Some((lo, hi))) => Some((lo - REPORT_LAG_DAYS, hi + DAY_TOLERANCE)),
            (None, None) => None,
        }
    }
}

/// Month number (year × 12 + month − 1) of a day.
fn month_of(x: i32) -> i32 {
    let (y, m, _) = civil(x);
    y * 12 + m - 1
}

/// Records by (participant or place country, month): an unnamed mention
/// can only fit a dated record that shares a country with it, in a month
/// its dates (or publication) reach, so only those are tried.
#[derive(Default)]
struct Index {
    by_key: HashMap<(String, i32), Vec<usize>>,
    seen: std::collections::HashSet<(String, i32, usize)>,
}

impl Index {
    fn register(&mut self, c: usize, cl: &Cluster) {
        let Some((lo, hi)) = cl.window() else { return };
        let (m0, m1) = (month_of(lo), month_of(hi));
        for k in cl
            .parts
            .iter()
            .chain(cl.places.iter().map(|p| p as &String))
        {
            let key = if cl.parts.contains(k) {
                k.clone()
            } else {
                format!("@{k}")
            };
            for m in m0..=m1 {
                if self.seen.insert((key.clone(), m, c)) {
                    self.by_key.entry((key.clone(), m)).or_default().push(c);
                }
            }
        }
    }

    fn candidates(&self, p: &Prepared) -> BTreeSet<usize> {
        let (m0, m1) = match (p.when.filter(|w| w.precision >= 2), p.published) {
            (Some(w), _) => (
                month_of(w.lo - DAY_TOLERANCE),
                month_of(w.hi + DAY_TOLERANCE),
            ),
            (None, Some(d)) => (month_of(d), month_of(d)),
            (None, None) => return BTreeSet::new(),
        };
        let keys = p
            .parts
            .iter()
            .cloned()
            .chain(p.place.iter().flat_map(|pl| [pl.clone(), format!("@{pl}")]));
        let mut out = BTreeSet::new();
        for k in keys {
            for m in m0..=m1 {
                if let Some(v) = self.by_key.get(&(k.clone(), m)) {
                    out.extend(v.iter().copied());
                }
            }
        }
        out
    }
}

/// How well an unnamed mention fits a record (None: it does not).
fn fit(p: &Prepared, c: &Cluster) -> Option<(u8, usize, i32)> {
    if let Some(pl) = &p.place {
        if !c.places.is_empty() && !c.places.contains(pl) {
            return None;
        }
    }
    let shared = p.parts.intersection(&c.parts).count();
    let parts_ok = if p.parts.is_empty() || c.parts.is_empty() {
        p.place.as_ref().is_some_and(|pl| c.places.contains(pl))
    } else {
        let union = p.parts.union(&c.parts).count();
        shared >= 1 && (shared == p.parts.len() || shared == c.parts.len() || shared * 2 >= union)
    };
    if !parts_ok {
        return None;
    }
    match (p.when.filter(|w| w.precision >= 2), c.when) {
        (Some(w), Some(cw)) => {
            let tol = if w.precision == 3 && cw.precision == 3 {
                DAY_TOLERANCE
            } else {
                0
            };
            if w.lo <= cw.hi + tol && cw.lo <= w.hi + tol {
                Some((w.precision.min(cw.precision), shared, -(w.lo - cw.lo).abs()))
            } else {
                None
            }
        }
        // an undated mention: the same participants, reported while the
        // record ran or soon after
        (None, Some(cw)) => {
            let d = p.published?;
            let fits = !p.parts.is_empty()
                && p.parts == c.parts
                && d + DAY_TOLERANCE >= cw.lo
                && d <= cw.hi + REPORT_LAG_DAYS;
            fits.then_some((1, shared, 0))
        }
        // a record nobody dated (a named one whose reports give no date):
        // a dated mention with exactly its participants, on a day in the
        // weeks before those reports
        (Some(w), None) => {
            let (lo, hi) = c.published?;
            let fits = !p.parts.is_empty()
                && p.parts == c.parts
                && w.lo >= lo - REPORT_LAG_DAYS
                && w.lo <= hi + DAY_TOLERANCE;
            fits.then_some((1, shared, 0))
        }
        // nothing dates the mention or the record: nothing to go on
        (None, None) => None,
    }
}

/// Merges mentions into records. The same set of inputs gives the same
/// records, in the same order (by id), whatever the order of `inputs`.
pub fn merge(inputs: Vec<Input>) -> Vec<ExerciseRecord> {
    merge_with(inputs, Lexicon::get())
}

pub fn merge_with(inputs: Vec<Input>, lex: &Lexicon) -> Vec<ExerciseRecord> {
    let series = Series::new(lex);
    let mut by_bucket: BTreeMap<String, Vec<Prepared>> = BTreeMap::new();
    let mut undated_named = Vec::new();
    for i in inputs {
        let p = prepare(i, &series);
        if p.year.is_none() && p.name_key.is_some() {
            undated_named.push(p);
        } else {
            by_bucket.entry(p.bucket.clone()).or_default().push(p);
        }
    }
    // A named mention nothing dates joins its name's year when the
    // collection knows that name in one year only, or mostly in one.
    let mut years_of: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    for (b, ps) in &by_bucket {
        for k in ps.iter().filter_map(|p| p.name_key.as_deref()) {
            *years_of
                .entry(k)
                .or_default()
                .entry(b.as_str())
                .or_default() += 1;
        }
    }
    let mut moved: Vec<(String, Prepared)> = Vec::new();
    for mut p in undated_named {
        let target = p
            .name_key
            .as_deref()
            .and_then(|k| years_of.get(k))
            .and_then(|years| {
                let total: usize = years.values().sum();
                let (b, n) = years
                    .iter()
                    .max_by_key(|(b, n)| (**n, std::cmp::Reverse(**b)))?;
                (*n * 2 > total).then(|| {
                    let why = if years.len() == 1 {
                        "the only year the collection reports for this name"
                    } else {
                        "the year most reports of this name give"
                    };
                    (b.to_string(), why)
                })
            });
        if let Some((b, why)) = target {
            p.bucket = b.clone();
            p.year_reason = Some(why.into());
        }
        moved.push((p.bucket.clone(), p));
    }
    for (b, p) in moved {
        by_bucket.entry(b).or_default().push(p);
    }
    let mut out = Vec::new();
    for (bucket, mut ps) in by_bucket {
        ps.sort_by(|a, b| (&a.input.doc, a.input.exercise).cmp(&(&b.input.doc, b.input.exercise)));
        ps.dedup_by(|a, b| a.input.doc == b.input.doc && a.input.exercise == b.input.exercise);
        out.extend(merge_bucket(&bucket, &ps));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn merge_bucket(bucket: &str, ps: &[Prepared]) -> Vec<ExerciseRecord> {
    let mut clusters: Vec<Cluster> = Vec::new();
    // named: by name, then split into editions by date
    let mut named: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in ps.iter().enumerate() {
        if let Some(k) = &p.name_key {
            named.entry(k.as_str()).or_default().push(i);
        }
    }
    let mut editions_of: HashMap<usize, usize> = HashMap::new();
    for (key, members) in &named {
        let mut dated: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| ps[i].when.is_some_and(|w| w.precision >= 2))
            .collect();
        dated.sort_by_key(|&i| (ps[i].when.map(|w| w.lo), i));
        let first = clusters.len();
        let why = if key.starts_with("s:") {
            "series and edition"
        } else {
            "name and year"
        };
        for &i in &dated {
            let w = ps[i].when.unwrap_or(When {
                lo: 0,
                hi: 0,
                precision: 0,
            });
            let same = clusters.len() > first
                && clusters
                    .last()
                    .and_then(|c| c.when)
                    .is_some_and(|cw| w.lo <= cw.hi + EDITION_GAP_DAYS);
            if !same {
                clusters.push(Cluster::new());
            }
            let last = clusters.len() - 1;
            clusters[last].add(i, &ps[i], why);
        }
        if clusters.len() == first {
            clusters.push(Cluster::new());
        }
        let n_editions = clusters.len() - first;
        for c in first..clusters.len() {
            editions_of.insert(c, n_editions);
        }
        for &i in members.iter().filter(|i| !dated.contains(i)) {
            // the edition that began last before publication, else the best attested
            let target = ps[i]
                .published
                .and_then(|d| {
                    (first..clusters.len())
                        .filter(|&c| clusters[c].when.is_some_and(|w| w.lo <= d))
                        .max_by_key(|&c| clusters[c].when.map(|w| w.lo))
                })
                .unwrap_or_else(|| {
                    (first..clusters.len())
                        .max_by_key(|&c| (clusters[c].members.len(), std::cmp::Reverse(c)))
                        .unwrap_or(first)
                });
            let why = if n_editions > 1 {
                "name, the edition running before publication"
            } else {
                why
            };
            clusters[target].add(i, &ps[i], why);
        }
    }
    // unnamed: most precisely dated first
    let mut unnamed: Vec<usize> = (0..ps.len())
        .filter(|&i| ps[i].name_key.is_none())
        .collect();
    unnamed.sort_by_key(|&i| {
        let w = ps[i].when;
        (
            std::cmp::Reverse(w.map(|w| w.precision).unwrap_or(0)),
            w.map(|w| w.lo).unwrap_or(i32::MAX),
            i,
        )
    });
    let mut index = Index::default();
    for (c, cl) in clusters.iter().enumerate() {
        index.register(c, cl);
    }
    for i in unnamed {
        let best = index
            .candidates(&ps[i])
            .into_iter()
            .filter_map(|c| fit(&ps[i], &clusters[c]).map(|f| (f, std::cmp::Reverse(c))))
            .max()
            .map(|(_, std::cmp::Reverse(c))| c);
        let c = match best {
            Some(c) => {
                let why = if ps[i].parts.is_empty() {
                    "place and dates"
                } else {
                    "participants and dates"
                };
                clusters[c].add(i, &ps[i], why);
                c
            }
            None => {
                let mut cl = Cluster::new();
                cl.add(i, &ps[i], "first mention");
                clusters.push(cl);
                clusters.len() - 1
            }
        };
        index.register(c, &clusters[c]);
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (ci, c) in clusters.iter().enumerate() {
        if c.members.is_empty() {
            continue;
        }
        let mut r = build(ps, c);
        let base = record_id(bucket, &r, c, editions_of.get(&ci).copied().unwrap_or(1));
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        r.id = id;
        out.push(r);
    }
    out
}

fn date_label(w: When) -> String {
    let (y, m, d) = civil(w.lo);
    match w.precision {
        3 => format!("{y:04}-{m:02}-{d:02}"),
        2 => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    }
}

fn record_id(bucket: &str, r: &ExerciseRecord, c: &Cluster, editions: usize) -> String {
    let year = if bucket == "undated" {
        None
    } else {
        Some(bucket)
    };
    if let Some(name) = r.series.as_deref().or(r.name.as_deref()) {
        let mut id = slug(&name_norm(name));
        if id.is_empty() {
            id = "exercise".into();
        }
        if let Some(y) = year {
            id = format!("{id}-{y}");
        }
        if editions > 1 {
            let suffix = c.when.map(|w| date_label(When { precision: 2, ..w }));
            id = format!(
                "{id}-{}",
                suffix
                    .as_deref()
                    .and_then(|s| s.get(5..))
                    .unwrap_or("undated")
            );
        }
        return id;
    }
    let parts: Vec<String> = c.parts.iter().map(|p| p.to_lowercase()).collect();
    let mut id = String::from("x");
    if !parts.is_empty() {
        id = format!("x-{}", slug(&parts.join("-")));
    } else if let Some(pl) = c.places.iter().next() {
        id = format!("x-in-{}", slug(pl));
    }
    match (c.when, year) {
        (Some(w), _) => format!("{id}-{}", date_label(w)),
        (None, Some(y)) => format!("{id}-{y}"),
        (None, None) => format!("{id}-undated"),
    }
}

/// Collects one field's values across the members.
#[derive(Default)]
struct Collect {
    values: Vec<(Value, Vec<SourceRef>)>,
}

impl Collect {
    fn add(&mut self, v: Value, src: SourceRef) {
        match self.values.iter_mut().find(|(x, _)| *x == v) {
            Some((_, s)) => {
                if !s
                    .iter()
                    .any(|x| x.doc == src.doc && x.exercise == src.exercise)
                {
                    s.push(src)
                }
            }
            None => self.values.push((v, vec![src])),
        }
    }

    /// Distinct documents behind a value.
    fn docs(s: &[SourceRef]) -> usize {
        s.iter().map(|x| &x.doc).collect::<BTreeSet<_>>().len()
    }

    fn latest(s: &[SourceRef]) -> &str {
        s.iter()
            .filter_map(|x| x.pub_date.as_deref())
            .max()
            .unwrap_or("")
    }

    fn reported(&self) -> Vec<Reported> {
        self.values
            .iter()
            .map(|(v, s)| Reported {
                value: v.clone(),
                sources: s.clone(),
            })
            .collect()
    }

    /// One value: the most documents, then the latest report, then the
    /// smallest value (a stable last resort).
    fn most_sources(&self, rule: &str) -> Field {
        let chosen = self
            .values
            .iter()
            .max_by(|a, b| {
                (Self::docs(&a.1), Self::latest(&a.1))
                    .cmp(&(Self::docs(&b.1), Self::latest(&b.1)))
                    .then_with(|| b.0.to_string().cmp(&a.0.to_string()))
            })
            .map(|(v, _)| v.clone());
        let rule = if self.values.len() > 1 {
            rule.to_string()
        } else {
            "the only value reported".into()
        };
        Field {
            chosen,
            rule,
            values: self.reported(),
        }
    }

    /// Dates: the value most sources agree with (a day agrees with its
    /// month and year), the most precise among equals.
    fn best_date(&self) -> Field {
        let support = |v: &str| -> usize {
            let docs: BTreeSet<&String> = self
                .values
                .iter()
                .filter(|(x, _)| x.as_str().is_some_and(|x| v.starts_with(x)))
                .flat_map(|(_, s)| s.iter().map(|x| &x.doc))
                .collect();
            docs.len()
        };
        let chosen = self
            .values
            .iter()
            .filter_map(|(v, _)| v.as_str())
            .max_by(|a, b| {
                (support(a), a.len())
                    .cmp(&(support(b), b.len()))
                    .then_with(|| b.cmp(a))
            })
            .map(|s| Value::String(s.to_string()));
        Field {
            chosen,
            rule: if self.values.len() > 1 {
                "best supported, then most precise".into()
            } else {
                "the only value reported".into()
            },
            values: self.reported(),
        }
    }

    /// Participants: with three or more documents reporting, the countries
    /// at least two of them name (one stray mention is an error more often
    /// than news); with fewer, every country named.
    fn confirmed(&self) -> Field {
        let reporting: BTreeSet<&String> = self
            .values
            .iter()
            .flat_map(|(_, s)| s.iter().map(|x| &x.doc))
            .collect();
        if reporting.len() < 3 {
            return self.union();
        }
        let mut all: Vec<Value> = self
            .values
            .iter()
            .filter(|(_, s)| Self::docs(s) >= 2)
            .map(|(v, _)| v.clone())
            .collect();
        all.sort_by_key(|v| v.to_string());
        Field {
            chosen: Some(Value::Array(all)),
            rule: "named by at least two of the documents".into(),
            values: self.reported(),
        }
    }

    /// Sets: every value any source reports.
    fn union(&self) -> Field {
        let mut all: Vec<Value> = self.values.iter().map(|(v, _)| v.clone()).collect();
        all.sort_by_key(|v| v.to_string());
        Field {
            chosen: Some(Value::Array(all)),
            rule: "every value any source reports".into(),
            values: self.reported(),
        }
    }
}

fn build(ps: &[Prepared], c: &Cluster) -> ExerciseRecord {
    let mut members: Vec<(usize, &'static str)> = c.members.clone();
    members.sort_by(|a, b| {
        let (x, y) = (&ps[a.0].input, &ps[b.0].input);
        (&x.doc, x.exercise).cmp(&(&y.doc, y.exercise))
    });
    let mut fields: BTreeMap<&'static str, Collect> = BTreeMap::new();
    let mut year_votes: BTreeMap<i32, (usize, String)> = BTreeMap::new();
    let mut mentions = Vec::new();
    for &(i, why) in &members {
        let p = &ps[i];
        let (inp, ex) = (&p.input, &p.input.ex);
        mentions.push(MentionRef {
            doc: inp.doc.clone(),
            exercise: inp.exercise,
            pub_date: inp.pub_date.clone(),
            lang: inp.lang.clone(),
            joined_by: why.into(),
        });
        if let (Some(y), Some(r)) = (p.year, &p.year_reason) {
            let e = year_votes.entry(y).or_insert((0, r.clone()));
            e.0 += 1;
        }
        let src = |field: &str| SourceRef {
            doc: inp.doc.clone(),
            exercise: inp.exercise,
            pub_date: inp.pub_date.clone(),
            evidence: ex.evidence.get(field).cloned().unwrap_or_default(),
        };
        let mut put = |field: &'static str, ev: &str, v: Value| {
            fields.entry(field).or_default().add(v, src(ev));
        };
        if let Some(n) = &ex.name {
            put("name", "name", json!(n));
        }
        if let Some(h) = &ex.host {
            put("host", "host", json!(h));
        }
        for x in ex.participants.iter().flatten() {
            put("participants", "participants", json!(x));
        }
        for x in ex.observers.iter().flatten() {
            put("observers", "observers", json!(x));
        }
        for x in ex.scenario.iter().flatten() {
            put("scenario", "scenario", json!(x));
        }
        if let Some(l) = &ex.location {
            if l.name.is_some() || l.country.is_some() {
                put(
                    "location",
                    "location",
                    json!({"name": l.name, "country": l.country, "lat": l.lat, "lon": l.lon}),
                );
            }
        }
        for (f, v) in [("start_date", &ex.start_date), ("end_date", &ex.end_date)] {
            if let Some(d) = v {
                let d = match (d.strip_prefix("--"), p.year) {
                    (Some(md), Some(y)) => format!("{y:04}-{md}"),
                    _ => d.clone(),
                };
                put(f, f, json!(d));
            }
        }
        for (f, v) in [
            ("duration_days", ex.duration_days),
            ("duration_hours", ex.duration_hours),
            ("troops", ex.troops),
            ("aircraft", ex.aircraft),
            ("ships", ex.ships),
            ("vehicles", ex.vehicles),
        ] {
            if let Some(x) = v {
                put(f, f, json!(x));
            }
        }
        for n in ex.near.iter().flatten() {
            put("near", "near", json!({"country": n.country, "km": n.km}));
        }
    }
    let mut out: BTreeMap<String, Field> = BTreeMap::new();
    for (name, col) in &fields {
        let f = match *name {
            "participants" => col.confirmed(),
            "observers" | "scenario" | "near" => col.union(),
            "start_date" | "end_date" => col.best_date(),
            "troops" | "aircraft" | "ships" | "vehicles" | "duration_days" | "duration_hours" => {
                col.most_sources("most sources, then the latest report")
            }
            _ => col.most_sources("most sources, then the latest report"),
        };
        out.insert(name.to_string(), f);
    }
    let name = out
        .get("name")
        .and_then(|f| f.chosen_str())
        .map(String::from);
    let series = members.iter().find_map(|&(i, _)| ps[i].series.clone());
    let year = year_votes
        .iter()
        .max_by_key(|(y, (n, _))| (*n, std::cmp::Reverse(**y)))
        .map(|(y, (_, r))| (*y, r.clone()));
    ExerciseRecord {
        id: String::new(),
        name,
        series,
        year: year.as_ref().map(|y| y.0),
        year_reason: year.map(|y| y.1),
        fields: out,
        mentions,
    }
}

/// Writes each merged record's id into its documents' exercises
/// (`Exercise::record`), for `muster extract --merge`.
pub fn assign(docs: &mut [DocRecord], records: &[ExerciseRecord]) {
    let mut index: HashMap<(&str, usize), &str> = HashMap::new();
    for r in records {
        for m in &r.mentions {
            index.insert((m.doc.as_str(), m.exercise), r.id.as_str());
        }
    }
    for d in docs.iter_mut() {
        for (i, e) in d.exercises.iter_mut().enumerate() {
            e.record = index.get(&(d.id.as_str(), i)).map(|s| s.to_string());
        }
    }
}

#[cfg(test)]
mod tests;
