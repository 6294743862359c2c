//! How merged records are shown: the `records` table line, the `show`
//! view with evidence quoted from the stored texts, and the region filter.

use anyhow::{bail, Result};
use muster_core::{ExerciseRecord, SourceRef};
use muster_store::Store;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;

/// Article text made safe for a terminal: control characters (escape
/// sequences included) become spaces.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => clean(s),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(o) => {
            let name = o.get("name").and_then(|x| x.as_str());
            let country = o.get("country").and_then(|x| x.as_str());
            let km = o.get("km").and_then(|x| x.as_f64());
            match (name, country, km) {
                (Some(n), Some(c), _) => format!("{} ({c})", clean(n)),
                (Some(n), None, _) => clean(n),
                (None, Some(c), Some(k)) => format!("{c} {k} km"),
                (None, Some(c), None) => c.to_string(),
                _ => String::new(),
            }
        }
        Value::Null => "-".into(),
        Value::Bool(b) => b.to_string(),
    }
}

/// One line of `muster records`.
pub fn line(r: &ExerciseRecord) -> String {
    let chosen = |f: &str| {
        r.field(f)
            .and_then(|x| x.chosen.as_ref())
            .map(value_text)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "-".into())
    };
    let sources: std::collections::BTreeSet<&str> =
        r.mentions.iter().map(|m| m.doc.as_str()).collect();
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{} sources",
        r.id,
        r.name.as_deref().map(clean).unwrap_or_else(|| "-".into()),
        chosen("start_date"),
        chosen("host"),
        chosen("participants"),
        chosen("location"),
        sources.len()
    )
}

/// Stored documents read once each: text (as characters) and title.
type Texts = HashMap<String, (Vec<char>, Option<String>)>;

fn text_of<'t>(
    texts: &'t mut Texts,
    store: &Store,
    doc: &str,
) -> Result<&'t (Vec<char>, Option<String>)> {
    if !texts.contains_key(doc) {
        let (t, title) = store.text(doc)?.unwrap_or_default();
        texts.insert(doc.to_string(), (t.chars().collect(), title));
    }
    Ok(&texts[doc])
}

/// Quotes the evidence of `src` from its document's text.
fn quotes(texts: &mut Texts, store: &Store, src: &SourceRef) -> Result<Vec<String>> {
    let chars = &text_of(texts, store, &src.doc)?.0;
    Ok(src
        .evidence
        .iter()
        .filter(|s| s.start < s.end && s.end <= chars.len())
        .map(|s| clean(&chars[s.start..s.end].iter().collect::<String>()))
        .collect())
}

/// The record as JSON, each source's evidence quoted under `quote`.
pub fn with_quotes(store: &Store, r: &ExerciseRecord) -> Result<Value> {
    let mut texts = HashMap::new();
    let mut v = serde_json::to_value(r)?;
    for (name, f) in &r.fields {
        for (vi, rep) in f.values.iter().enumerate() {
            for (si, src) in rep.sources.iter().enumerate() {
                let q = quotes(&mut texts, store, src)?;
                if let Some(slot) = v
                    .pointer_mut(&format!("/fields/{name}/values/{vi}/sources/{si}"))
                    .and_then(|x| x.as_object_mut())
                {
                    slot.insert("quote".into(), Value::from(q));
                }
            }
        }
    }
    Ok(v)
}

/// The human view of one record.
pub fn print(store: &Store, r: &ExerciseRecord, out: &mut dyn Write) -> Result<()> {
    let mut texts = HashMap::new();
    writeln!(out, "{}", r.id)?;
    if let Some(n) = &r.name {
        write!(out, "  name: {}", clean(n))?;
        if let Some(s) = &r.series {
            write!(out, " (series {})", clean(s))?;
        }
        writeln!(out)?;
    }
    if let Some(y) = r.year {
        writeln!(
            out,
            "  year: {y} ({})",
            r.year_reason.as_deref().map(clean).unwrap_or_default()
        )?;
    }
    for (name, f) in &r.fields {
        let chosen = f
            .chosen
            .as_ref()
            .map(value_text)
            .unwrap_or_else(|| "-".into());
        writeln!(out, "  {name}: {chosen}   [{}]", f.rule)?;
        let mut quoted: Vec<(&str, String)> = Vec::new();
        for rep in &f.values {
            let docs: Vec<String> = rep
                .sources
                .iter()
                .map(|s| match &s.pub_date {
                    Some(d) => format!("{} ({d})", clean(&s.doc)),
                    None => clean(&s.doc),
                })
                .collect();
            writeln!(out, "    {}  ← {}", value_text(&rep.value), docs.join(", "))?;
            for src in &rep.sources {
                for q in quotes(&mut texts, store, src)? {
                    if !quoted.iter().any(|(d, x)| *d == src.doc && *x == q) {
                        quoted.push((src.doc.as_str(), q));
                    }
                }
            }
        }
        for (doc, q) in quoted {
            writeln!(out, "        {}: «{}»", clean(doc), q)?;
        }
    }
    writeln!(out, "  sources ({}):", r.mentions.len())?;
    for m in &r.mentions {
        let title = text_of(&mut texts, store, &m.doc)?
            .1
            .clone()
            .unwrap_or_default();
        writeln!(
            out,
            "    {} #{} {} [{}] {} — joined by {}",
            clean(&m.doc),
            m.exercise,
            m.pub_date.as_deref().unwrap_or("-"),
            m.lang.as_deref().unwrap_or("-"),
            clean(&title),
            m.joined_by
        )?;
    }
    Ok(())
}

/// Where a record is: its located place, else its host.
pub enum Region {
    Country(String),
    Alliance(&'static muster_lexicon::reference::Alliance),
    Box {
        south: f64,
        west: f64,
        north: f64,
        east: f64,
    },
}

impl Region {
    pub fn parse(s: &str) -> Result<Region> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.len() == 4 {
            let n: Vec<f64> = parts
                .iter()
                .map(|p| p.parse::<f64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| {
                    anyhow::anyhow!("--region box must be SOUTH,WEST,NORTH,EAST in degrees")
                })?;
            return Ok(Region::Box {
                south: n[0],
                west: n[1],
                north: n[2],
                east: n[3],
            });
        }
        let lex = muster_lexicon::Lexicon::get();
        if let Some(a) = lex.alliances.iter().find(|a| a.matches(s)) {
            return Ok(Region::Alliance(a));
        }
        if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            return Ok(Region::Country(s.to_uppercase()));
        }
        bail!("--region {s:?}: give a country code (PL), an alliance (NATO, CSTO, EU ...) or SOUTH,WEST,NORTH,EAST")
    }

    pub fn contains(&self, r: &ExerciseRecord) -> bool {
        let loc = r.field("location").and_then(|f| f.chosen.as_ref());
        let country = loc
            .and_then(|l| l.get("country"))
            .and_then(|c| c.as_str())
            .or_else(|| r.chosen_str("host"));
        match self {
            Region::Country(c) => country == Some(c.as_str()),
            Region::Alliance(a) => {
                let on = r
                    .chosen_str("start_date")
                    .map(String::from)
                    .or_else(|| r.year.map(|y| y.to_string()));
                match (country, on) {
                    (Some(c), Some(on)) => a.members_on(&on).iter().any(|m| m == c),
                    _ => false,
                }
            }
            Region::Box {
                south,
                west,
                north,
                east,
            } => {
                let (Some(lat), Some(lon)) = (
                    loc.and_then(|l| l.get("lat")).and_then(|x| x.as_f64()),
                    loc.and_then(|l| l.get("lon")).and_then(|x| x.as_f64()),
                ) else {
                    return false;
                };
                let in_lon = if west <= east {
                    lon >= *west && lon <= *east
                } else {
                    lon >= *west || lon <= *east
                };
                lat >= *south && lat <= *north && in_lon
            }
        }
    }
}
