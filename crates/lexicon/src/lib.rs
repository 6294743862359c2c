//! Language knowledge of muster, as data.
//!
//! Everything a stage needs to know about a language (trigger words, months,
//! number words, boilerplate lines, role patterns, country names) lives in
//! `data/lang/<code>/`; reference knowledge (series, dated events, places,
//! forces) in `data/reference/` and `data/forces.tsv`. This crate embeds
//! those files at build time (see `build.rs`), compiles them once, and
//! knows no language in particular: adding a language is adding its files.

pub mod gated;
pub mod lazy;
pub mod matcher;
pub mod norm;
pub mod reference;
pub mod schema;

use gated::GatedRules;
use lazy::LazyRegex;
use matcher::Matcher;
use reference::{
    parse_places, tsv_rows, Alliance, AllianceFile, Event, EventFile, Place, Series, SeriesFile,
};
use schema::LangData;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// How a country is named in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountryKind {
    Name,
    Demonym,
    Capital,
    Force,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryRef {
    pub code: String,
    pub kind: CountryKind,
}

/// The unit a number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Troops,
    Aircraft,
    Ships,
    Vehicles,
    Days,
    Weeks,
    Hours,
    Km,
}

/// Roles a country mention can take in a clause (see `[roles]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Near,
    Location,
    Host,
    Member,
    Attribution,
    Speaker,
    Reaction,
    Observer,
    Target,
    Language,
    Participant,
}

/// Part of a month ("early", "mid", "late").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthPart {
    Early,
    Mid,
    Late,
}

/// One language, compiled.
pub struct Lang {
    pub code: String,
    pub data: LangData,
    pub triggers: Matcher<()>,
    pub military: Matcher<()>,
    pub negative: Matcher<()>,
    pub anaphora: Matcher<()>,
    pub part_of: Matcher<()>,
    pub lineage_before: Matcher<()>,
    pub lineage_after: Matcher<()>,
    pub participation: Matcher<()>,
    pub naming: Matcher<()>,
    pub name_blockers: Matcher<()>,
    pub alliance_members: Matcher<()>,
    pub reporting: Matcher<()>,
    pub speaker_roles: Matcher<()>,
    pub purpose: Matcher<()>,
    pub open_list: Matcher<()>,
    pub two_countries: Matcher<()>,
    pub joint: Matcher<()>,
    pub generic: Matcher<()>,
    pub event_words: Matcher<()>,
    pub clause_boundaries: Matcher<()>,
    pub scenario: Matcher<String>,
    pub units: Matcher<Unit>,
    pub duration_cues: Matcher<()>,
    pub number_words: Matcher<f64>,
    pub multipliers: Matcher<f64>,
    pub approx: Matcher<()>,
    pub countries: Matcher<CountryRef>,
    pub months: Matcher<u32>,
    pub weekdays: Matcher<u32>,
    pub month_parts: Matcher<MonthPart>,
    pub relative_years: Matcher<i32>,
    pub relative_days: Matcher<i32>,
    pub narrative_days: Matcher<i32>,
    pub start_cues: Matcher<()>,
    pub end_cues: Matcher<()>,
    pub next_cues: Matcher<()>,
    pub last_cues: Matcher<()>,
    /// Compiled date templates (named groups w, d, m, mn, y, d2, m2, mn2, y2, p).
    pub date_patterns: Vec<LazyRegex>,
    /// Role patterns over a masked clause; group `c` is the country index.
    pub roles: GatedRules<Role>,
    /// Boilerplate line rules: (rule name, pattern), compiled into the
    /// lexicon's [`Lexicon::boilerplate`] with every other language's.
    pub boilerplate: Vec<(String, String)>,
    /// Navigation patterns over the original (case-kept) line.
    pub boilerplate_exact: Vec<String>,
    /// Dateline cue words, normalized.
    pub dateline: Vec<String>,
    pub list_joiners: HashSet<String>,
    pub stopwords: HashSet<String>,
    /// `not_places` of the data, normalized.
    pub not_places: HashSet<String>,
    pub abbreviations: HashSet<String>,
    /// Normalized month form → month number, for date templates.
    pub month_forms: BTreeMap<String, u32>,
    pub weekday_forms: BTreeMap<String, u32>,
    pub part_forms: BTreeMap<String, MonthPart>,
}

/// All of muster's knowledge, compiled once per process.
pub struct Lexicon {
    pub langs: BTreeMap<String, Lang>,
    pub series: Vec<Series>,
    /// Distinctive series aliases → series index.
    pub series_strong: Matcher<usize>,
    /// Ordinary-word aliases → series index (only trusted when quoted).
    pub series_weak: Matcher<usize>,
    pub alliances: Vec<Alliance>,
    /// Alliance names → alliance index.
    pub alliance_names: Matcher<usize>,
    pub events: Vec<Event>,
    /// Every distinct event form → index into `event_form_refs`.
    pub event_forms: Matcher<usize>,
    /// Per distinct form, the (event, group) pairs it belongs to.
    pub event_form_refs: Vec<Vec<(usize, usize)>>,
    pub places: Vec<Place>,
    /// Place names → index into `place_forms` (homonyms share a form).
    pub place_matcher: Matcher<usize>,
    /// Per distinct place form, the places it may name.
    pub place_forms: Vec<Vec<usize>>,
    /// Every language's boilerplate line rules (over the normalized line),
    /// languages in code order: the rule name of the first that matches.
    pub boilerplate: GatedRules<String>,
    /// Every language's navigation rules over the original line.
    pub boilerplate_exact: GatedRules<()>,
    /// Territory code → the country that governs it ("GU" → "US"), from
    /// `reference/territories.tsv`.
    pub sovereign: std::collections::HashMap<String, String>,
    /// Problems met while loading data (reported by `muster check-data`).
    pub warnings: Vec<String>,
    /// Every language's sentence abbreviations together.
    pub abbreviations: HashSet<String>,
    /// Every language's words that make the next number an ordinal.
    pub ordinal_before: HashSet<String>,
    /// A stopword → the one language that lists it (words that several
    /// languages list are left out: they tell nothing).
    pub stopword_owner: std::collections::HashMap<String, String>,
}

/// Marker that replaces a country mention in a masked sentence:
/// `MASK_OPEN`, the mention's index, a kind letter (n name, d demonym,
/// c capital, f force), `MASK_CLOSE`.
pub const MASK_OPEN: char = '\u{E000}';
pub const MASK_CLOSE: char = '\u{E001}';

impl Lexicon {
    /// The process-wide lexicon, built on first use.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon::from_files(DATA_FILES))
    }

    /// Builds a lexicon from `(path, contents)` pairs laid out like `data/`.
    pub fn from_files(files: &[(&str, &str)]) -> Lexicon {
        let mut warnings = Vec::new();
        let file = |p: &str| files.iter().find(|(n, _)| *n == p).map(|(_, c)| *c);
        let forces: Vec<(String, String, String)> = file("forces.tsv")
            .map(|t| {
                tsv_rows(t)
                    .filter(|r| r.len() >= 2)
                    .map(|r| {
                        (
                            r[0].trim().to_uppercase(),
                            r[1].trim().to_string(),
                            r.get(2).map(|s| s.trim()).unwrap_or("*").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut langs = BTreeMap::new();
        for (path, text) in files {
            let Some(rest) = path.strip_prefix("lang/") else {
                continue;
            };
            let Some(code) = rest.strip_suffix("/lexicon.toml") else {
                continue;
            };
            let data: LangData = match toml::from_str(text) {
                Ok(d) => d,
                Err(e) => {
                    warnings.push(format!("{path}: {e}"));
                    continue;
                }
            };
            let generated = file(&format!("generated/countries/{code}.tsv")).unwrap_or("");
            let extra = file(&format!("lang/{code}/countries.tsv")).unwrap_or("");
            let cldr_dates = file(&format!("generated/dates/{code}.tsv")).unwrap_or("");
            let sources = Sources {
                generated,
                extra,
                cldr_dates,
                forces: &forces,
            };
            let lang = compile_lang(code, data, &sources);
            langs.insert(code.to_string(), lang);
        }
        let series: Vec<Series> = load_toml::<SeriesFile>(
            file("reference/series.toml"),
            "reference/series.toml",
            &mut warnings,
        )
        .map(|f| f.series)
        .unwrap_or_default();
        // "Eagle Assault (China–Belarus)": the parenthesis qualifies, it is not the name
        let series: Vec<Series> = series
            .into_iter()
            .map(|mut s| {
                if let Some(i) = s.name.find(" (") {
                    s.name.truncate(i);
                }
                // an alias is the series name, not one edition ("Breeze 2021")
                for list in [&mut s.aliases, &mut s.weak_aliases] {
                    for a in list.iter_mut() {
                        *a = strip_edition(a);
                    }
                    list.dedup();
                }
                s
            })
            .collect();
        // a name that is also listed as an ordinary word ("Shaheen", "Grom")
        // is only trusted like the other weak aliases
        let series_strong = Matcher::new(series.iter().enumerate().flat_map(|(i, s)| {
            let weak_name = s
                .weak_aliases
                .iter()
                .any(|w| norm::norm_str(w) == norm::norm_str(&s.name));
            (!weak_name)
                .then(|| s.name.clone())
                .into_iter()
                .chain(s.aliases.iter().cloned())
                .map(move |a| (a, false, i))
        }));
        let series_weak = Matcher::new(
            series
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.weak_aliases.iter().map(move |a| (a.clone(), false, i))),
        );
        let alliances: Vec<Alliance> = load_toml::<AllianceFile>(
            file("reference/alliances.toml"),
            "reference/alliances.toml",
            &mut warnings,
        )
        .map(|f| f.alliance)
        .unwrap_or_default();
        let iso_day = |d: &str| {
            let b = d.as_bytes();
            b.len() == 10
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    _ => c.is_ascii_digit(),
                })
        };
        for a in &alliances {
            for m in &a.members {
                let code_ok = m.c.len() == 2 && m.c.chars().all(|c| c.is_ascii_uppercase());
                if !code_ok || !iso_day(&m.from) || m.to.as_deref().is_some_and(|t| !iso_day(t)) {
                    warnings.push(format!(
                        "reference/alliances.toml: {}: bad membership {:?} from {:?} to {:?}",
                        a.code, m.c, m.from, m.to
                    ));
                }
            }
        }
        // acronyms ("SCO", "OCS") only in capitals
        let alliance_names = Matcher::new(
            alliances
                .iter()
                .enumerate()
                .flat_map(|(i, a)| a.names.iter().map(move |n| (n.clone(), true, i))),
        );
        let events: Vec<Event> = load_toml::<EventFile>(
            file("reference/events.toml"),
            "reference/events.toml",
            &mut warnings,
        )
        .map(|f| f.event)
        .unwrap_or_default();
        let (event_forms, event_form_refs) = shared_forms(
            events.iter().enumerate().flat_map(|(i, e)| {
                e.all_of
                    .iter()
                    .enumerate()
                    .flat_map(move |(g, forms)| forms.iter().map(move |f| (f.clone(), (i, g))))
            }),
            false,
        );
        let sovereign = file("reference/territories.tsv")
            .map(|t| {
                tsv_rows(t)
                    .filter(|r| r.len() >= 2)
                    .map(|r| (r[0].trim().to_uppercase(), r[1].trim().to_uppercase()))
                    .collect()
            })
            .unwrap_or_default();
        let places = file("reference/places.tsv")
            .map(parse_places)
            .unwrap_or_default();
        let (place_matcher, place_forms) = shared_forms(
            places.iter().enumerate().flat_map(|(i, p)| {
                std::iter::once(p.name.clone())
                    .chain(p.aliases.iter().cloned())
                    .map(move |f| (f, i))
            }),
            true,
        );
        let boilerplate = GatedRules::new(
            langs
                .values()
                .flat_map(|l| l.boilerplate.iter().cloned())
                .collect(),
        );
        let boilerplate_exact = GatedRules::new(
            langs
                .values()
                .flat_map(|l| l.boilerplate_exact.iter().map(|p| ((), p.clone())))
                .collect(),
        );
        let abbreviations = langs
            .values()
            .flat_map(|l| l.abbreviations.iter().cloned())
            .collect();
        let ordinal_before = langs
            .values()
            .flat_map(|l| l.data.sentences.ordinal_before.iter())
            .map(|w| w.to_lowercase())
            .collect();
        let mut owners: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for l in langs.values() {
            for w in &l.stopwords {
                owners.entry(w.clone()).or_default().push(l.code.clone());
            }
        }
        let stopword_owner = owners
            .into_iter()
            .filter(|(_, v)| v.len() == 1)
            .map(|(w, mut v)| (w, v.remove(0)))
            .collect();
        Lexicon {
            sovereign,
            boilerplate,
            boilerplate_exact,
            abbreviations,
            ordinal_before,
            stopword_owner,
            langs,
            series,
            series_strong,
            series_weak,
            alliances,
            alliance_names,
            events,
            event_forms,
            event_form_refs,
            places,
            place_matcher,
            place_forms,
            warnings,
        }
    }

    /// Compiles every pattern (slow: over a second): one line per pattern
    /// that does not compile. Loading checks none of them (see `lazy`).
    pub fn pattern_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (code, l) in &self.langs {
            for re in &l.date_patterns {
                if let Err(e) = re.check() {
                    out.push(format!("lang/{code}: date pattern {:?}: {e}", re.as_str()));
                }
            }
            for (p, e) in l.roles.problems() {
                out.push(format!("lang/{code}: role pattern {p:?}: {e}"));
            }
        }
        let bp = self.boilerplate.problems();
        for (p, e) in bp.into_iter().chain(self.boilerplate_exact.problems()) {
            out.push(format!("boilerplate pattern {p:?}: {e}"));
        }
        out
    }

    pub fn lang(&self, code: &str) -> Option<&Lang> {
        self.langs.get(code)
    }

    /// The compiled languages for a set of codes (unknown codes skipped;
    /// English when none is known, as the lingua franca of wire copy).
    pub fn langs_for<'a>(&'a self, codes: &[String]) -> Vec<&'a Lang> {
        let mut out: Vec<&Lang> = codes.iter().filter_map(|c| self.langs.get(c)).collect();
        if out.is_empty() {
            out.extend(self.langs.get("en"));
        }
        out
    }
}

/// Parses a data file, recording a warning instead of failing.
fn load_toml<T: serde::de::DeserializeOwned>(
    text: Option<&str>,
    path: &str,
    warnings: &mut Vec<String>,
) -> Option<T> {
    match toml::from_str::<T>(text?) {
        Ok(v) => Some(v),
        Err(e) => {
            warnings.push(format!("{path}: {e}"));
            None
        }
    }
}

/// A form without a trailing edition year: "Breeze 2021", "Запад-2021" → the name.
fn strip_edition(form: &str) -> String {
    let t = form.trim();
    let cut = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = t.len() - cut.len();
    if (digits == 2 || digits == 4) && cut.len() < t.len() {
        let base = cut.trim_end_matches([' ', '-', '\u{2013}', '\u{2011}']);
        if base.len() < cut.len() && !base.is_empty() {
            return base.to_string();
        }
    }
    t.to_string()
}

/// A matcher over forms that several entries may share: each distinct
/// normalized form is one pattern whose value lists every entry it names.
fn shared_forms<V: Clone + PartialEq>(
    entries: impl Iterator<Item = (String, V)>,
    capital: bool,
) -> (Matcher<usize>, Vec<Vec<V>>) {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut refs: Vec<Vec<V>> = Vec::new();
    let mut pats = Vec::new();
    for (form, v) in entries {
        let key = format!(
            "{}{}",
            norm::norm_str(form.trim_end_matches('*')),
            if form.ends_with('*') { "*" } else { "" }
        );
        if key.trim_end_matches('*').is_empty() {
            continue;
        }
        // a form written in lower case ("mer Noire") needs no capital
        let cap = capital && form.chars().next().is_some_and(char::is_uppercase);
        let id = *ids.entry(key).or_insert_with(|| {
            refs.push(Vec::new());
            pats.push((form.clone(), cap, refs.len() - 1));
            refs.len() - 1
        });
        if !refs[id].contains(&v) {
            refs[id].push(v);
        }
    }
    (Matcher::new(pats), refs)
}

/// The relative years, with every "{N} years ago" phrase spelt out for
/// counts 1 to 10, in digits and in number words ("vor vier Jahren" = -4).
fn with_years_ago(
    fixed: &BTreeMap<String, i32>,
    templates: &[String],
    words: &BTreeMap<String, f64>,
) -> BTreeMap<String, i32> {
    let mut out = fixed.clone();
    let mut counts: Vec<(String, i32)> = (1..=10).map(|n| (n.to_string(), n)).collect();
    counts.extend(
        words
            .iter()
            .filter(|(_, v)| v.fract() == 0.0 && (1.0..=10.0).contains(*v))
            .map(|(w, v)| (w.clone(), *v as i32)),
    );
    for t in templates {
        for (form, n) in &counts {
            out.entry(t.replace("{N}", form)).or_insert(-n);
        }
    }
    out
}

fn phrases(list: &[String]) -> Matcher<()> {
    Matcher::new(list.iter().map(|p| (p.clone(), false, ())))
}

fn valued<V: Clone>(map: &BTreeMap<String, V>) -> Matcher<V> {
    Matcher::new(map.iter().map(|(k, v)| (k.clone(), false, v.clone())))
}

fn alternation(forms: &[String]) -> String {
    let mut f: Vec<String> = forms.iter().map(|s| regex::escape(s)).collect();
    f.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    f.dedup();
    if f.is_empty() {
        "(?!)".to_string()
    } else {
        f.join("|")
    }
}

/// The data files that feed one language besides its lexicon.
struct Sources<'s> {
    /// CLDR country names (`generated/countries/<code>.tsv`).
    generated: &'s str,
    /// Hand-written country forms (`lang/<code>/countries.tsv`).
    extra: &'s str,
    /// CLDR month and weekday names (`generated/dates/<code>.tsv`).
    cldr_dates: &'s str,
    forces: &'s [(String, String, String)],
}

fn compile_lang(code: &str, data: LangData, src: &Sources) -> Lang {
    use norm::norm_str;
    let (generated, extra, forces) = (src.generated, src.extra, src.forces);
    let cap = data.capitalized_names;
    let mut country_entries: Vec<(String, bool, CountryRef)> = Vec::new();
    // two-letter short forms ("RU", "AS") collide with ordinary tokens
    // (in scripts without spaces two characters make a name: 中国, 미국)
    for r in tsv_rows(generated).filter(|r| {
        r.len() >= 2 && (r[1].trim().chars().count() > 2 || r[1].chars().any(norm::is_unspaced))
    }) {
        let code = r[0].trim().to_uppercase();
        country_entries.push((
            r[1].trim().to_string(),
            cap,
            CountryRef {
                code,
                kind: CountryKind::Name,
            },
        ));
    }
    for r in tsv_rows(extra).filter(|r| r.len() >= 3) {
        let kind = match r[1].trim() {
            "demonym" => CountryKind::Demonym,
            "capital" => CountryKind::Capital,
            _ => CountryKind::Name,
        };
        // a form written in lower case in the data ("росія") needs no capital
        let form = r[2].trim();
        let needs_cap = cap
            && kind != CountryKind::Demonym
            && form.chars().next().is_some_and(char::is_uppercase);
        let code = r[0].trim().to_uppercase();
        country_entries.push((
            r[2].trim().to_string(),
            needs_cap,
            CountryRef { code, kind },
        ));
    }
    for (cc, form, lang) in forces {
        if lang == "*" || lang == code {
            country_entries.push((
                form.clone(),
                cap,
                CountryRef {
                    code: cc.clone(),
                    kind: CountryKind::Force,
                },
            ));
        }
    }

    let d = &data.dates;
    let mut month_forms = BTreeMap::new();
    for (i, forms) in d.months.iter().enumerate() {
        for f in forms {
            month_forms.insert(norm_str(f), i as u32 + 1);
        }
    }
    let mut weekday_forms = BTreeMap::new();
    for (i, forms) in d.weekdays.iter().enumerate() {
        for f in forms {
            weekday_forms.insert(norm_str(f), i as u32 + 1);
        }
    }
    // CLDR's names join the hand-written ones; short abbreviations ("mar",
    // "sun") are ordinary words too often, so only forms of four letters or
    // more, or in scripts without spaces ("8月"), are taken
    for r in tsv_rows(src.cldr_dates).filter(|r| r.len() >= 3) {
        let form = norm_str(r[2].trim().trim_end_matches('.'));
        let Ok(n) = r[1].trim().parse::<u32>() else {
            continue;
        };
        let len = form.chars().count();
        let long_enough = len >= 4 || (len >= 2 && form.chars().any(norm::is_unspaced));
        if !long_enough || form.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let target = match r[0].trim() {
            "month" if (1..=12).contains(&n) => &mut month_forms,
            "weekday" if (1..=7).contains(&n) => &mut weekday_forms,
            _ => continue,
        };
        target.entry(form).or_insert(n);
    }
    let mut part_forms = BTreeMap::new();
    for (k, forms) in &d.parts {
        let p = match k.as_str() {
            "early" => MonthPart::Early,
            "mid" => MonthPart::Mid,
            _ => MonthPart::Late,
        };
        for f in forms {
            part_forms.insert(norm_str(f), p);
        }
    }
    let months_alt = alternation(&month_forms.keys().cloned().collect::<Vec<_>>());
    let wd_alt = alternation(&weekday_forms.keys().cloned().collect::<Vec<_>>());
    let parts_alt = alternation(&part_forms.keys().cloned().collect::<Vec<_>>());
    let ord = if d.ordinal.is_empty() {
        "(?!)".to_string()
    } else {
        d.ordinal.clone()
    };
    let mut date_patterns = Vec::new();
    for t in &d.patterns {
        let src = t
            .replace("{W2}", &format!("(?P<w2>{wd_alt})"))
            .replace("{W}", &format!("(?P<w>{wd_alt})"))
            .replace("{D2}", "(?P<d2>3[01]|[12][0-9]|0?[1-9])")
            .replace("{D}", "(?P<d>3[01]|[12][0-9]|0?[1-9])")
            .replace("{M2}", &format!("(?P<m2>{months_alt})\\.?"))
            .replace("{MN2}", "(?P<mn2>1[0-2]|0?[1-9])")
            .replace("{MN}", "(?P<mn>1[0-2]|0?[1-9])")
            .replace("{M}", &format!("(?P<m>{months_alt})\\.?"))
            .replace("{Y2}", "(?P<y2>(?:19|20)[0-9]{2})")
            .replace("{Y}", "(?P<y>(?:19|20)[0-9]{2})")
            .replace("{P}", &format!("(?P<p>{parts_alt})"))
            .replace("{O}", &format!("(?:{ord})"));
        // a template ending on a closing parenthesis ("{W} ({D})") is
        // followed by a space or a word, never by a word boundary
        let tail = if src.ends_with(r"\)") {
            ""
        } else {
            r"(?:\b|$)"
        };
        date_patterns.push(LazyRegex::new(norm::fold_pattern(&format!(
            r"\b(?:{src}){tail}"
        ))));
    }

    let mut roles = Vec::new();
    let r = &data.roles;
    // order matters: the first role a country gets is kept
    for (role, list) in [
        (Role::Language, &r.language),
        (Role::Near, &r.near),
        (Role::Member, &r.member),
        (Role::Attribution, &r.attribution),
        (Role::Speaker, &r.speaker),
        (Role::Reaction, &r.reaction),
        (Role::Observer, &r.observer),
        (Role::Target, &r.target),
        (Role::Host, &r.host),
        (Role::Participant, &r.participant),
        (Role::Location, &r.location),
    ] {
        for p in list {
            let src = p
                .replace(
                    r"\{C\}",
                    &format!("{MASK_OPEN}(?P<c>[0-9]+)[ndcf]{MASK_CLOSE}"),
                )
                .replace(r"\{D\}", &format!("{MASK_OPEN}(?P<c>[0-9]+)d{MASK_CLOSE}"));
            roles.push((role, norm::fold_pattern(&src)));
        }
    }

    let b = &data.boilerplate;
    let mut boilerplate = Vec::new();
    for (rule, list) in [
        ("related", &b.related),
        ("share", &b.share),
        ("navigation", &b.navigation),
        ("comments", &b.comments),
        ("cookies", &b.cookies),
        ("caption", &b.caption),
        ("paywall", &b.paywall),
    ] {
        boilerplate.extend(list.iter().map(|p| (rule.to_string(), p.clone())));
    }
    let boilerplate_exact = b.exact.clone();
    let mut units: Vec<(String, bool, Unit)> = Vec::new();
    let u = &data.units;
    for (unit, list) in [
        (Unit::Troops, &u.troops),
        (Unit::Aircraft, &u.aircraft),
        (Unit::Ships, &u.ships),
        (Unit::Vehicles, &u.vehicles),
        (Unit::Days, &u.days),
        (Unit::Weeks, &u.weeks),
        (Unit::Hours, &u.hours),
        (Unit::Km, &u.km),
    ] {
        units.extend(list.iter().map(|w| (w.clone(), false, unit)));
    }
    let scenario = Matcher::new(
        data.scenario
            .iter()
            .flat_map(|(tag, list)| list.iter().map(move |w| (w.clone(), false, tag.clone()))),
    );
    let ex = &data.exercise;
    Lang {
        code: code.to_string(),
        triggers: phrases(&ex.triggers),
        military: phrases(&ex.military),
        negative: phrases(&ex.negative),
        anaphora: phrases(&ex.anaphora),
        part_of: phrases(&ex.part_of),
        lineage_before: phrases(&ex.lineage_before),
        lineage_after: phrases(&ex.lineage_after),
        participation: phrases(&ex.participation),
        naming: phrases(&ex.naming),
        name_blockers: phrases(&ex.name_blockers),
        alliance_members: phrases(&ex.alliance_members),
        reporting: phrases(&data.claims.reporting),
        speaker_roles: phrases(&data.claims.speaker_roles),
        purpose: phrases(&data.claims.purpose),
        open_list: phrases(&ex.open_list),
        two_countries: phrases(&ex.two_countries),
        joint: phrases(&ex.joint),
        generic: phrases(&ex.generic),
        event_words: phrases(&data.event_words),
        clause_boundaries: phrases(&data.clause.boundaries),
        scenario,
        units: Matcher::new(units),
        duration_cues: phrases(&u.duration_cues),
        number_words: valued(&data.numbers.words),
        multipliers: valued(&data.numbers.multipliers),
        approx: phrases(&data.numbers.approx),
        countries: Matcher::new(country_entries),
        months: Matcher::new(
            month_forms
                .iter()
                .map(|(k, v)| (k.clone(), d.capitalized, *v)),
        ),
        weekdays: Matcher::new(
            weekday_forms
                .iter()
                .map(|(k, v)| (k.clone(), d.capitalized, *v)),
        ),
        month_parts: Matcher::new(part_forms.iter().map(|(k, v)| (k.clone(), false, *v))),
        relative_years: valued(&with_years_ago(
            &d.relative_years,
            &d.years_ago,
            &data.numbers.words,
        )),
        relative_days: valued(&d.relative_days),
        narrative_days: valued(&d.narrative_days),
        start_cues: phrases(&d.start_cues),
        end_cues: phrases(&d.end_cues),
        next_cues: phrases(&d.next_cues),
        last_cues: phrases(&d.last_cues),
        date_patterns,
        roles: GatedRules::new(roles),
        boilerplate,
        boilerplate_exact,
        dateline: b.dateline.iter().map(|s| norm_str(s)).collect(),
        // joiners are compared word by word ("as well as" → as, well)
        list_joiners: r
            .list_joiners
            .iter()
            .flat_map(|s| {
                norm_str(s)
                    .split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect(),
        stopwords: data.detect.stopwords.iter().map(|s| norm_str(s)).collect(),
        not_places: data.not_places.iter().map(|s| norm_str(s)).collect(),
        abbreviations: data
            .sentences
            .abbreviations
            .iter()
            .map(|s| s.to_lowercase())
            .collect(),
        month_forms,
        weekday_forms,
        part_forms,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::Norm;

    #[test]
    fn embedded_data_loads_without_warnings() {
        let lex = Lexicon::get();
        assert!(lex.warnings.is_empty(), "{:#?}", lex.warnings);
        for code in ["en", "fr"] {
            assert!(lex.lang(code).is_some(), "missing {code}");
        }
    }

    #[test]
    fn every_pattern_of_the_embedded_data_compiles() {
        let problems = Lexicon::get().pattern_problems();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_broken_pattern_is_reported_as_a_problem() {
        let toml = "[roles]\nparticipant = ['(unclosed \\{C\\}']\n";
        let lex = Lexicon::from_files(&[("lang/xx/lexicon.toml", toml)]);
        let problems = lex.pattern_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("lang/xx: role pattern"));
    }

    #[test]
    fn every_language_compiles_its_date_patterns() {
        let lex = Lexicon::get();
        for (code, l) in &lex.langs {
            assert_eq!(l.date_patterns.len(), l.data.dates.patterns.len(), "{code}");
            if !l.data.dates.months.is_empty() {
                assert_eq!(l.data.dates.months.len(), 12, "{code}: months");
            }
            if !l.data.dates.weekdays.is_empty() {
                assert_eq!(l.data.dates.weekdays.len(), 7, "{code}: weekdays");
            }
        }
    }

    #[test]
    fn english_months_need_a_capital() {
        let en = Lexicon::get().lang("en").unwrap();
        let t = "It may rain in May";
        let n = Norm::new(t);
        let hits = en.months.find(&n, t);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].value, 5);
    }

    #[test]
    fn years_ago_in_digits_and_words() {
        let lex = Lexicon::get();
        let rel = |code: &str, t: &str| -> Vec<i32> {
            let l = lex.lang(code).unwrap();
            l.relative_years
                .find(&Norm::new(t), t)
                .iter()
                .map(|h| h.value)
                .collect()
        };
        assert_eq!(rel("de", "beim Manöver vor vier Jahren"), [-4]);
        assert_eq!(rel("en", "some 17,000 took part two years ago"), [-2]);
        assert_eq!(rel("ru", "учения 4 года назад"), [-4]);
        assert_eq!(rel("en", "last year"), [-1]);
    }

    #[test]
    fn alliance_membership_follows_its_dates() {
        let lex = Lexicon::get();
        let of = |code: &str| lex.alliances.iter().find(|a| a.code == code).unwrap();
        let nato = of("NATO");
        assert_eq!(nato.members_on("2024-01-15").len(), 31);
        assert!(!nato.members_on("2024-01-15").contains(&"SE".to_string()));
        assert_eq!(nato.members_on("2024-03-07").len(), 32);
        assert!(!nato.members_on("2023-04-03").contains(&"FI".to_string()));
        assert!(nato.members_on("2023").contains(&"FI".to_string()));
        assert!(of("SCO")
            .members_on("2024-07-04")
            .contains(&"BY".to_string()));
        assert!(!of("EU").members_on("2021").contains(&"GB".to_string()));
        let t = "Exercises across NATO and the ШОС";
        let n = Norm::new(t);
        let hits: Vec<&str> = lex
            .alliance_names
            .find(&n, t)
            .iter()
            .map(|h| lex.alliances[h.value].code.as_str())
            .collect();
        assert_eq!(hits, ["NATO", "SCO"]);
        // an acronym in lower case is a word, not the alliance
        let t = "the sco of it";
        assert!(lex.alliance_names.find(&Norm::new(t), t).is_empty());
    }

    #[test]
    fn a_series_name_listed_as_an_ordinary_word_is_weak() {
        let lex = Lexicon::from_files(&[(
            "reference/series.toml",
            "[[series]]\nname = \"Grom (Russia)\"\naliases = []\nweak_aliases = [\"Grom\"]\n",
        )]);
        let t = "a thunderclap, Grom, was heard";
        assert!(lex.series_strong.find(&Norm::new(t), t).is_empty());
        assert_eq!(lex.series_weak.find(&Norm::new(t), t).len(), 1);
    }

    #[test]
    fn series_names_drop_their_qualifier() {
        let lex = Lexicon::from_files(&[(
            "reference/series.toml",
            "[[series]]\nname = \"Eagle Assault (China–Belarus)\"\naliases = [\"Eagle Assault\"]\n",
        )]);
        assert_eq!(lex.series[0].name, "Eagle Assault");
    }

    #[test]
    fn series_aliases_lose_edition_years() {
        assert_eq!(strip_edition("Breeze 2021"), "Breeze");
        assert_eq!(strip_edition("Запад-21"), "Запад");
        assert_eq!(strip_edition("RIMPAC"), "RIMPAC");
        assert_eq!(strip_edition("2021"), "2021");
    }

    #[test]
    fn from_files_reports_broken_toml() {
        let lex = Lexicon::from_files(&[("lang/xx/lexicon.toml", "lang = [")]);
        assert!(lex.langs.is_empty());
        assert_eq!(lex.warnings.len(), 1);
    }
}
