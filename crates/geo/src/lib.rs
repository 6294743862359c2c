//! Geography for muster: an offline gazetteer, toponym resolution from
//! context, and distances to the borders of countries and alliances.
//!
//! The data is embedded at build time: `data/geo/gazetteer.tsv` (GeoNames
//! cities of 15,000 people or more and ISO 3166-2 first-level regions, with
//! their names in muster's languages), `data/geo/borders.tsv` (Natural Earth
//! country boundaries as shared, simplified arcs), and, through
//! `muster-lexicon`'s embedded files, the curated `data/reference/places.tsv`,
//! `data/reference/alliances.toml` and the country names under
//! `data/generated/countries` and `data/lang/*/countries.tsv`. The places
//! with their normalized name forms, and the boundary arcs, are compiled by
//! the build script (`build.rs`, with the code of `compile.rs`) into a
//! binary form that [`Gazetteer::get`] reads back once per process (and
//! parses the alliances). Nothing reads the disk.
//!
//! ```
//! use muster_geo::{Gazetteer, Kind};
//! let g = Gazetteer::get();
//! let brest = g.resolve("Brest", &["BY", "PL"]).unwrap();
//! assert_eq!(brest.country.as_deref(), Some("BY"));
//! let fr = g.resolve("Brest", &["FR"]).unwrap();
//! assert_eq!(fr.kind, Kind::City);
//! assert_eq!(fr.country.as_deref(), Some("FR"));
//! let km = g.distance_to_country_km(brest.lat, brest.lon, "PL").unwrap();
//! assert!(km < 10.0);
//! ```
//!
//! For the extractor: run [`Gazetteer::find_in`] over a sentence's
//! [`Norm`] to get [`GeoHit`]s, collect the countries the sentence (or the
//! document) names, and call [`Gazetteer::resolve_hit`] with them as context.

pub mod borders;
mod compile;

use borders::{haversine_km, Borders, Nearest};
use compile::{hash, Compiled, FormMeta};
pub use compile::{Kind, Place, Source};
use muster_lexicon::norm::{is_unspaced, is_word_char, norm_str, Norm};
use muster_lexicon::reference::{Alliance, AllianceFile, Membership};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The boundaries, places and name forms, compiled from `data/geo` and the
/// data files of `muster-lexicon` by `build.rs` (see `compile.rs`).
static GAZETTEER_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));
static GAZETTEER_TXT: &str = include_str!(concat!(env!("OUT_DIR"), "/gazetteer.txt"));
#[cfg(test)]
static GAZETTEER_TSV: &str = include_str!("../../../data/geo/gazetteer.tsv");
#[cfg(test)]
static BORDERS_TSV: &str = include_str!("../../../data/geo/borders.tsv");

/// A resolved toponym: the place chosen and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub kind: Kind,
    pub id: String,
    pub population: u64,
    pub capital: bool,
    pub source: Source,
    /// The score that won (prior + context); higher is surer.
    pub score: f64,
    /// How many places the name could have meant.
    pub candidates: usize,
}

/// A gazetteer name found in a text: a normalized byte range of the
/// [`Norm`] it was found in, and the name form (see [`Gazetteer::places_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeoHit {
    pub start: usize,
    pub end: usize,
    pub form: u32,
}

/// Distance to the outer border of an alliance on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceDistance {
    pub org: String,
    pub on: String,
    pub km: f64,
    /// Whether the point lies on a member's territory.
    pub inside: bool,
    /// Member whose border is nearest.
    pub nearest_member: Option<String>,
    pub nearest_lat: f64,
    pub nearest_lon: f64,
    pub members: Vec<String>,
    /// Members that have no boundary in the data (left out of the union).
    pub missing: Vec<String>,
}

/// Distance to a country's border.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryDistance {
    pub country: String,
    pub km: f64,
    pub inside: bool,
    pub nearest_lat: f64,
    pub nearest_lon: f64,
}

/// Context for resolution: countries named around a mention, and places
/// already resolved around it.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub countries: BTreeSet<String>,
    pub points: Vec<(f64, f64)>,
}

/// The gazetteer, boundaries and alliances, compiled once.
pub struct Gazetteer {
    /// Places, their forms and the lookup index, and the boundaries: what
    /// the build script compiles (see [`compile::Compiled`]).
    data: Compiled<'static>,
    alliances: Vec<Alliance>,
}

// Priors: a country name means the country; a capital or a big city beats a
// small one; curated places (ranges, seas, bases named in exercise news)
// beat a small town of the same name; context outweighs all of these.
const PRIOR_COUNTRY: f64 = 12.0;
const PRIOR_CURATED: f64 = 6.5;
const PRIOR_REGION: f64 = 5.0;
const BONUS_CAPITAL: f64 = 2.0;
const BONUS_CONTEXT_COUNTRY: f64 = 10.0;
const BONUS_NEAR: f64 = 6.0;
const NEAR_KM: f64 = 500.0;

impl Gazetteer {
    /// The process-wide gazetteer, built on first use.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::load)
    }

    /// Builds a gazetteer from the embedded data (what [`Gazetteer::get`]
    /// does once; public for benchmarks).
    pub fn load() -> Gazetteer {
        let compiled = compile::decode(GAZETTEER_BIN, GAZETTEER_TXT)
            .expect("the gazetteer compiled by build.rs reads back");
        Gazetteer::assemble(compiled, muster_lexicon::DATA_FILES)
    }

    /// Builds a gazetteer from the text of `data/geo/gazetteer.tsv`, of
    /// `data/geo/borders.tsv` and of the other data files ((path, text)
    /// pairs as in `muster_lexicon::DATA_FILES`), the slow way: what the
    /// build script does once for [`Gazetteer::load`], which must give
    /// the same gazetteer from the same data.
    pub fn build_from_text(
        gazetteer_tsv: &str,
        borders_tsv: &str,
        data_files: &[(&str, &str)],
    ) -> Gazetteer {
        let compiled = compile::compile(gazetteer_tsv, borders_tsv, data_files);
        Gazetteer::assemble(compiled, data_files)
    }

    fn assemble(data: Compiled<'static>, data_files: &[(&str, &str)]) -> Gazetteer {
        let alliances = data_files
            .iter()
            .find(|(p, _)| *p == "reference/alliances.toml")
            .and_then(|(_, t)| toml::from_str::<AllianceFile>(t).ok())
            .map(|f| f.alliance)
            .unwrap_or_default();
        Gazetteer { data, alliances }
    }

    /// Problems met while loading (malformed lines).
    pub fn warnings(&self) -> &[String] {
        &self.data.warnings
    }

    pub fn places(&self) -> &[Place] {
        &self.data.places
    }

    pub fn borders(&self) -> &Borders {
        &self.data.borders
    }

    /// Number of distinct name forms.
    pub fn n_forms(&self) -> usize {
        self.data.forms.len()
    }

    /// Approximate heap bytes held by the compiled gazetteer.
    pub fn heap_bytes(&self) -> usize {
        let places: usize = self
            .data
            .places
            .iter()
            .map(|p| {
                std::mem::size_of::<Place>()
                    + p.id.capacity()
                    + p.name.capacity()
                    + p.country.as_ref().map_or(0, String::capacity)
            })
            .sum();
        places
            + match &self.data.arena {
                Cow::Owned(s) => s.capacity(),
                Cow::Borrowed(_) => 0,
            }
            + self.data.offs.capacity() * 4
            + self.data.index.capacity() * std::mem::size_of::<(u64, u32)>()
            + self.data.forms.capacity() * std::mem::size_of::<FormMeta>()
            + self.data.form_places.capacity() * 4
            + self.data.borders.heap_bytes()
    }

    /// The places a found form may name.
    pub fn places_of(&self, form: u32) -> impl Iterator<Item = &Place> {
        let m = self.data.forms.get(form as usize);
        let (s, l) = m.map_or((0, 0), |m| (m.start as usize, m.len as usize));
        self.data.form_places[s..s + l]
            .iter()
            .map(move |&i| &self.data.places[i as usize])
    }

    /// The form id of a whole name (normalized like text), if the
    /// gazetteer knows it. A Cyrillic or Latin name with a case ending the
    /// gazetteer lacks ("Бресте", "Brześciu") falls back to the form it
    /// inflects (see `inflected`).
    pub fn lookup(&self, name: &str) -> Option<u32> {
        let n = norm_str(name);
        // Turkish and other suffixes after an apostrophe ("Brest'te")
        if let Some(i) = n.find('\'') {
            if let Some(f) = self.form_id(n[..i].trim()) {
                return Some(f);
            }
        }
        if let Some(f) = self.form_id(&n) {
            return Some(f);
        }
        self.inflected(&n, true)
    }

    /// A form that `word` inflects: the word minus an ending of up to three
    /// letters, plus nothing or a short base ending ("Бресте" → "брест",
    /// "Одеси" → "одеса", "Brześciu" → "brzesc", "Gdyni" → "gdynia"). Only
    /// for words in Cyrillic (and Latin when `latin`), forms of three
    /// characters or more; the shortest cut wins.
    fn inflected(&self, word: &str, latin: bool) -> Option<u32> {
        const CYRILLIC_ENDINGS: [&str; 9] = ["а", "я", "о", "е", "и", "ы", "ь", "й", "ия"];
        const LATIN_ENDINGS: [&str; 7] = ["a", "e", "i", "o", "y", "ia", "ja"];
        let last = word.chars().next_back()?;
        let endings: &[&str] = if is_cyrillic(last) {
            &CYRILLIC_ENDINGS
        } else if latin && last.is_ascii_lowercase() {
            &LATIN_ENDINGS
        } else {
            return None;
        };
        let same_script = |c: char| is_cyrillic(c) == is_cyrillic(last) && c.is_alphabetic();
        let mut cut = word.len();
        let mut buf = String::new();
        for k in 0..=3 {
            if k > 0 {
                let c = word[..cut].chars().next_back()?;
                if !same_script(c) {
                    return None;
                }
                cut -= c.len_utf8();
            }
            let stem = &word[..cut];
            if stem.chars().count() < 3 || !stem.chars().next_back().is_some_and(same_script) {
                return None;
            }
            let tries = (k > 0)
                .then_some("")
                .into_iter()
                .chain(endings.iter().copied());
            for e in tries {
                buf.clear();
                buf.push_str(stem);
                buf.push_str(e);
                if buf == word {
                    continue;
                }
                if let Some(f) = self.form_id(&buf) {
                    if self.data.forms[f as usize].chars >= 3 {
                        return Some(f);
                    }
                }
            }
        }
        None
    }

    /// The id of a normalized form, if the gazetteer has it.
    pub fn form_id(&self, norm_form: &str) -> Option<u32> {
        if norm_form.is_empty() || norm_form.len() > self.data.max_len {
            return None;
        }
        let h = hash(norm_form);
        let at = self.data.index.partition_point(|&(x, _)| x < h);
        self.data.index[at..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, f)| f)
            .find(|&f| self.form(f) == norm_form)
    }

    /// The normalized text of a form.
    pub fn form(&self, form: u32) -> &str {
        let i = form as usize;
        match (self.data.offs.get(i), self.data.offs.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.data.arena[a as usize..b as usize],
            _ => "",
        }
    }

    /// Every place a name may mean, best first for the given context.
    pub fn candidates(&self, name: &str, context: &[&str]) -> Vec<(f64, &Place)> {
        let Some(form) = self.lookup(name) else {
            return Vec::new();
        };
        let ctx = self.context(context);
        self.rank(form, &ctx)
    }

    fn rank(&self, form: u32, ctx: &Context) -> Vec<(f64, &Place)> {
        let mut v: Vec<(f64, &Place)> = self.places_of(form).map(|p| (score(p, ctx), p)).collect();
        // stable: ties keep the file order (countries, curated, big cities first)
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v
    }

    /// Builds a resolution context from items that are either ISO country
    /// codes ("PL") or names (a country, region or place: "Brittany",
    /// "Польша"); names are resolved on their own first.
    pub fn context(&self, items: &[&str]) -> Context {
        let mut ctx = Context::default();
        for item in items {
            let item = item.trim();
            if item.len() == 2 && item.chars().all(|c| c.is_ascii_uppercase()) {
                ctx.countries.insert(item.to_string());
                continue;
            }
            if let Some(r) = self.resolve_with(item, &Context::default()) {
                if let Some(c) = &r.country {
                    ctx.countries.insert(c.clone());
                }
                if r.kind != Kind::Country {
                    ctx.points.push((r.lat, r.lon));
                }
            }
        }
        ctx
    }

    /// Resolves a name with the countries (codes) or places (names) around
    /// it. Without context the larger place wins (a country, then a
    /// capital, then by population).
    pub fn resolve(&self, name: &str, context: &[&str]) -> Option<Resolved> {
        let ctx = self.context(context);
        self.resolve_with(name, &ctx)
    }

    /// Like [`Gazetteer::resolve`] with a prepared context.
    pub fn resolve_with(&self, name: &str, ctx: &Context) -> Option<Resolved> {
        let form = self.lookup(name)?;
        self.resolve_form(form, ctx)
    }

    /// The form spelled by `hay[s..e]`, or, when that word is Cyrillic,
    /// the form it inflects.
    fn match_at(&self, hay: &str, s: usize, e: usize) -> Option<u32> {
        let span = hay.get(s..e)?;
        self.form_id(span).or_else(|| self.inflected(span, false))
    }

    /// Resolves a hit of [`Gazetteer::find_in`].
    pub fn resolve_hit(&self, hit: &GeoHit, context: &[&str]) -> Option<Resolved> {
        let ctx = self.context(context);
        self.resolve_form(hit.form, &ctx)
    }

    fn resolve_form(&self, form: u32, ctx: &Context) -> Option<Resolved> {
        let ranked = self.rank(form, ctx);
        let n = ranked.len();
        let (score, p) = ranked.into_iter().next()?;
        Some(Resolved {
            name: p.name.clone(),
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
            kind: p.kind,
            id: p.id.clone(),
            population: p.population,
            capital: p.capital,
            source: p.source,
            score,
            candidates: n,
        })
    }

    /// Gazetteer names in a normalized text, longest first among overlaps,
    /// in text order. `orig` is the text `norm` was made from: in cased
    /// scripts a name must be capitalised there ("Nice", not "nice"); Latin
    /// names need three letters or more, names in unspaced scripts two.
    /// Names in Cyrillic may carry a case ending ("в Бресте", "біля Одеси");
    /// Latin ones must be written as the gazetteer has them (the extractor,
    /// which knows the language, may try [`Gazetteer::lookup`] on a word).
    pub fn find_in(&self, norm: &Norm, orig: &str) -> Vec<GeoHit> {
        let hay = norm.text.as_str();
        // where a name may start and end: word edges, and every character
        // of a script written without spaces
        let chars: Vec<(usize, char)> = hay.char_indices().collect();
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let prev = k.checked_sub(1).map(|j| chars[j].1);
            let next = chars.get(k + 1).map(|x| x.1);
            let word = is_word_char(c);
            if is_unspaced(c) || (word && prev.is_none_or(|p| !is_word_char(p))) {
                starts.push(i);
            }
            if is_unspaced(c) || (word && next.is_none_or(|n| !is_word_char(n))) {
                ends.push(i + c.len_utf8());
            }
        }
        let mut hits = Vec::new();
        for &s in &starts {
            // every name of a cased script starts with a capital: a word in
            // lower case starts none, and costs no lookups
            let lower = orig
                .get(norm.orig(s)..)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_lowercase);
            if lower {
                continue;
            }
            let first = ends.partition_point(|&e| e <= s);
            for &e in &ends[first..] {
                if e - s > self.data.max_len + 6 {
                    break;
                }
                let Some(f) = self.match_at(hay, s, e) else {
                    continue;
                };
                let meta = self.data.forms[f as usize];
                if meta.chars < 2 || (meta.cased && meta.chars < 3) {
                    continue;
                }
                if meta.cased {
                    let o = norm.orig(s);
                    let up = orig
                        .get(o..)
                        .and_then(|t| t.chars().next())
                        .is_some_and(char::is_uppercase);
                    if !up {
                        continue;
                    }
                }
                hits.push(GeoHit {
                    start: s,
                    end: e,
                    form: f,
                });
            }
        }
        hits.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        let mut chosen: Vec<GeoHit> = Vec::new();
        for h in hits {
            if chosen.iter().all(|c| h.end <= c.start || h.start >= c.end) {
                chosen.push(h);
            }
        }
        chosen.sort_by_key(|h| h.start);
        chosen
    }

    /// Great-circle distance (km) from a point to the nearest point of a
    /// country's boundary (land borders and coasts). `None` for a code
    /// without a boundary.
    pub fn distance_to_country_km(&self, lat: f64, lon: f64, cc: &str) -> Option<f64> {
        self.distance_to_country(lat, lon, cc).map(|d| d.km)
    }

    /// Like [`Gazetteer::distance_to_country_km`], with the nearest point
    /// and whether the point lies inside the country.
    pub fn distance_to_country(&self, lat: f64, lon: f64, cc: &str) -> Option<CountryDistance> {
        let arcs = self.data.borders.arcs_of(&cc.to_uppercase())?;
        let n = self.data.borders.nearest(arcs, lat, lon)?;
        Some(CountryDistance {
            country: cc.to_uppercase(),
            km: n.km,
            inside: self.data.borders.inside(arcs, lat, lon),
            nearest_lat: n.lat,
            nearest_lon: n.lon,
        })
    }

    /// Great-circle distance (km) from a point to the outer border of an
    /// alliance (the union of its members' territories) on an ISO date.
    pub fn distance_to_alliance_km(
        &self,
        lat: f64,
        lon: f64,
        org: &str,
        date: &str,
    ) -> Option<f64> {
        self.distance_to_alliance(lat, lon, org, date).map(|d| d.km)
    }

    /// Like [`Gazetteer::distance_to_alliance_km`], with the members on
    /// that date, the nearest member and whether the point is inside.
    pub fn distance_to_alliance(
        &self,
        lat: f64,
        lon: f64,
        org: &str,
        date: &str,
    ) -> Option<AllianceDistance> {
        let a = self.alliance(org)?;
        let members = a.members_on(date);
        let (have, missing): (Vec<String>, Vec<String>) = members
            .iter()
            .cloned()
            .partition(|c| self.data.borders.country(c).is_some());
        let arcs = self.data.borders.union_arcs(&have);
        let Nearest {
            km,
            lat: nlat,
            lon: nlon,
            arc,
        } = self.data.borders.nearest(&arcs, lat, lon)?;
        Some(AllianceDistance {
            org: a.code.clone(),
            on: date.to_string(),
            km,
            inside: self.data.borders.inside(&arcs, lat, lon),
            nearest_member: self.data.borders.owner_of(arc, &have).map(String::from),
            nearest_lat: nlat,
            nearest_lon: nlon,
            members,
            missing,
        })
    }

    /// An alliance by code ("NATO") or by any of its names ("OTAN", "НАТО").
    pub fn alliance(&self, org: &str) -> Option<&Alliance> {
        self.alliances.iter().find(|a| a.matches(org))
    }

    pub fn alliances(&self) -> &[Alliance] {
        &self.alliances
    }

    /// A country's membership of an alliance that covers the date, if any.
    pub fn membership(&self, cc: &str, org: &str, date: &str) -> Option<&Membership> {
        let a = self.alliance(org)?;
        let cc = cc.trim().to_uppercase();
        if !a.members_on(date).contains(&cc) {
            return None;
        }
        a.members.iter().find(|m| {
            m.c == cc
                && m.from.as_str() <= date_end(date).as_str()
                && m.to.as_deref().is_none_or(|t| t >= date_end(date).as_str())
        })
    }
}

/// A date prefix read as its last day (as `Alliance::members_on` does).
fn date_end(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => format!("{date}-31"),
        _ => date.to_string(),
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn score(p: &Place, ctx: &Context) -> f64 {
    let mut s = match (p.kind, p.source) {
        (Kind::Country, _) => PRIOR_COUNTRY,
        (_, Source::Curated) => PRIOR_CURATED,
        (Kind::Region, _) => PRIOR_REGION,
        _ => (p.population.max(1) as f64).log10() + if p.capital { BONUS_CAPITAL } else { 0.0 },
    };
    if p.country
        .as_ref()
        .is_some_and(|c| ctx.countries.contains(c))
    {
        s += BONUS_CONTEXT_COUNTRY;
    }
    let near = ctx
        .points
        .iter()
        .map(|&(la, lo)| haversine_km(p.lat, p.lon, la, lo))
        .fold(f64::INFINITY, f64::min);
    if near < NEAR_KM {
        s += BONUS_NEAR * (1.0 - near / NEAR_KM);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::get()
    }

    /// The gazetteer read back from what build.rs compiled is the one
    /// compiled from the text at run time, down to every form and lookup.
    #[test]
    fn embedded_index_is_the_one_built_from_the_text() {
        let fast = Gazetteer::load();
        let slow =
            Gazetteer::build_from_text(GAZETTEER_TSV, BORDERS_TSV, muster_lexicon::DATA_FILES);
        assert_eq!(fast.places().len(), slow.places().len());
        assert_eq!(fast.n_forms(), slow.n_forms());
        assert_eq!(fast.data.warnings, slow.data.warnings);
        assert!(fast.data.places == slow.data.places, "places differ");
        assert!(fast.data.arena == slow.data.arena, "form texts differ");
        assert_eq!(fast.data.offs, slow.data.offs);
        assert_eq!(fast.data.index, slow.data.index);
        assert_eq!(fast.data.max_len, slow.data.max_len);
        assert_eq!(fast.data.forms, slow.data.forms);
        assert_eq!(fast.data.form_places, slow.data.form_places);
        assert!(fast.data.borders == slow.data.borders, "boundaries differ");
        let names = [
            "Brest",
            "Брест",
            "Бресте",
            "布列斯特",
            "Baltic Sea",
            "Kaliningrad",
            "Калининград",
            "加里宁格勒",
            "Paris",
            "Brześciu",
            "Польша",
            "Nowhere-on-Earth",
        ];
        let contexts: [&[&str]; 4] = [&[], &["BY", "PL"], &["FR"], &["Brittany"]];
        for name in names {
            assert_eq!(fast.lookup(name), slow.lookup(name), "{name}");
            for ctx in contexts {
                assert_eq!(fast.resolve(name, ctx), slow.resolve(name, ctx), "{name}");
                let ids = |g: &Gazetteer| -> Vec<(f64, String)> {
                    g.candidates(name, ctx)
                        .into_iter()
                        .map(|(s, p)| (s, p.id.clone()))
                        .collect()
                };
                assert_eq!(ids(&fast), ids(&slow), "{name}");
            }
        }
        for t in [
            "Учения прошли под Брестом и в Гродно, nice weather in Nice.",
            "俄军在加里宁格勒演习。北约在波兰的演习",
            "Exercise near Brest, Kaliningrad and the Baltic Sea; manœuvres à Paris.",
        ] {
            let n = Norm::new(t);
            assert_eq!(fast.find_in(&n, t), slow.find_in(&n, t), "{t}");
        }
        assert_eq!(
            fast.distance_to_alliance(52.1, 23.7, "NATO", "2024-01-01"),
            slow.distance_to_alliance(52.1, 23.7, "NATO", "2024-01-01")
        );
        // and the binary form reads back exactly what was written
        let compiled = compile::compile(GAZETTEER_TSV, BORDERS_TSV, muster_lexicon::DATA_FILES);
        let (bin, text) = compile::encode(&compiled);
        assert!(compile::decode(&bin, &text) == Some(compiled));
        assert!(compile::decode(&bin[..bin.len() - 1], &text).is_none());
    }

    #[test]
    fn loads_without_warnings() {
        let g = g();
        assert!(g.warnings().is_empty(), "{:?}", g.warnings());
        assert!(g.places().len() > 35_000);
        assert!(g.borders().countries().len() > 200);
    }

    #[test]
    fn brest_follows_its_context() {
        let by = g().resolve("Brest", &["BY", "PL"]).unwrap();
        assert_eq!(by.country.as_deref(), Some("BY"));
        assert_eq!(by.kind, Kind::City);
        let fr = g().resolve("Brest", &["FR"]).unwrap();
        assert_eq!(fr.country.as_deref(), Some("FR"));
        assert_eq!(fr.kind, Kind::City);
        // a region as context: Brittany is in France, and Brest near it
        let br = g().resolve("Brest", &["Brittany"]).unwrap();
        assert_eq!(br.country.as_deref(), Some("FR"));
        // no context: the larger one
        let none = g().resolve("Brest", &[]).unwrap();
        assert_eq!(none.country.as_deref(), Some("BY"));
    }

    #[test]
    fn brest_is_within_10_km_of_poland() {
        let by = g().resolve("Brest", &["BY"]).unwrap();
        let d = g().distance_to_country_km(by.lat, by.lon, "PL").unwrap();
        assert!(d < 10.0, "{d}");
        assert!(d > 0.5, "{d}");
        let own = g().distance_to_country(by.lat, by.lon, "BY").unwrap();
        assert!(own.inside);
        let pl = g().distance_to_country(by.lat, by.lon, "PL").unwrap();
        assert!(!pl.inside);
    }

    #[test]
    fn capitals_win_without_context() {
        let r = g().resolve("Paris", &[]).unwrap();
        assert_eq!(r.country.as_deref(), Some("FR"));
        assert!(r.capital);
        let r = g().resolve("Paris", &["US"]).unwrap();
        assert_eq!(r.country.as_deref(), Some("US"));
    }

    #[test]
    fn seas_have_no_country_and_countries_resolve() {
        let r = g().resolve("Baltic Sea", &[]).unwrap();
        assert_eq!(r.kind, Kind::Sea);
        assert_eq!(r.country, None);
        let r = g().resolve("Польша", &[]).unwrap();
        assert_eq!(r.kind, Kind::Country);
        assert_eq!(r.country.as_deref(), Some("PL"));
    }

    #[test]
    fn finds_names_in_text_with_case_endings_and_capitals() {
        let t = "Учения прошли под Брестом и в Гродно, nice weather in Nice.";
        let n = Norm::new(t);
        let hits = g().find_in(&n, t);
        let found: Vec<&str> = hits
            .iter()
            .map(|h| {
                let (s, e) = n.orig_range(h.start, h.end);
                &t[s..e]
            })
            .collect();
        assert!(found.contains(&"Брестом"), "{found:?}");
        assert!(found.contains(&"Гродно"), "{found:?}");
        assert!(found.contains(&"Nice"), "{found:?}");
        assert!(!found.contains(&"nice"), "{found:?}");
        let t = "北约在波兰的演习";
        let n = Norm::new(t);
        assert!(!g().find_in(&n, t).is_empty());
    }

    #[test]
    fn alliance_border_moves_with_membership() {
        // Helsinki: outside NATO in 2020, inside after April 2023
        let (lat, lon) = (60.17, 24.94);
        let before = g()
            .distance_to_alliance(lat, lon, "NATO", "2020-01-01")
            .unwrap();
        let after = g()
            .distance_to_alliance(lat, lon, "NATO", "2024-01-01")
            .unwrap();
        assert!(!before.inside);
        assert!(after.inside);
        // borders between members are inside NATO: from Frankfurt the
        // nearest outer border is Switzerland's, not France's
        let fra = g()
            .distance_to_alliance(50.11, 8.68, "NATO", "2024-01-01")
            .unwrap();
        let de = g().distance_to_country_km(50.11, 8.68, "DE").unwrap();
        assert!(de < 150.0, "{de}");
        assert!(fra.km > 200.0, "{}", fra.km);
        assert_eq!(fra.nearest_member.as_deref(), Some("DE"));
        assert!(g().membership("FI", "NATO", "2022-06-01").is_none());
        assert_eq!(
            g().membership("FI", "nato", "2023-05")
                .map(|m| m.from.as_str()),
            Some("2023-04-04")
        );
    }
}
