//! Reference knowledge that is not tied to one language: exercise series,
//! dated reference events, places, armed forces. Loaded from
//! `data/reference/` and `data/forces.tsv`.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Series {
    pub name: String,
    pub aliases: Vec<String>,
    /// Ordinary words that are names only when quoted or introduced.
    pub weak_aliases: Vec<String>,
    pub host: Option<String>,
    pub periodicity_years: Option<u32>,
    pub editions: Vec<i32>,
    pub months: Vec<u32>,
    pub domain: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct SeriesFile {
    pub series: Vec<Series>,
}

/// One country's membership of an alliance: ISO dates, `to` when it left.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Membership {
    pub c: String,
    pub from: String,
    pub to: Option<String>,
}

/// An alliance or organisation with its membership over time.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Alliance {
    pub code: String,
    pub name: String,
    pub names: Vec<String>,
    pub members: Vec<Membership>,
    pub source: String,
}

impl Alliance {
    /// Members on an ISO date (`YYYY-MM-DD`, or a shorter prefix read as
    /// its last day), in the order of the file.
    /// Whether `org` names this alliance: its code (any case) or one of
    /// its names in any language ("NATO", "OTAN", "ОДКБ").
    pub fn matches(&self, org: &str) -> bool {
        let n = crate::norm::norm_str(org);
        self.code.eq_ignore_ascii_case(org.trim())
            || crate::norm::norm_str(&self.name) == n
            || self.names.iter().any(|x| crate::norm::norm_str(x) == n)
    }

    pub fn members_on(&self, date: &str) -> Vec<String> {
        let day = match date.len() {
            4 => format!("{date}-12-31"),
            7 => format!("{date}-31"),
            _ => date.to_string(),
        };
        self.members
            .iter()
            .filter(|m| m.from.as_str() <= day.as_str())
            .filter(|m| m.to.as_deref().is_none_or(|t| t >= day.as_str()))
            .map(|m| m.c.clone())
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct AllianceFile {
    pub alliance: Vec<Alliance>,
}

/// A dated event that fixes the time of a text that mentions it.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Event {
    pub id: String,
    pub label: String,
    /// `point` (a summit, a visit) or `period` (a presidency, a war).
    pub kind: String,
    pub start: String,
    pub end: Option<String>,
    /// A war, an attack, a strike: the countries named in its words are
    /// its parties, not the parties of an exercise in the same sentence.
    pub hostilities: bool,
    /// Groups of forms: one form of every group must occur in a sentence.
    pub all_of: Vec<Vec<String>>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct EventFile {
    pub event: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub kind: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub aliases: Vec<String>,
}

/// Parses `data/reference/places.tsv`: NAME, COUNTRY, KIND, LAT, LON, ALIASES.
pub fn parse_places(text: &str) -> Vec<Place> {
    tsv_rows(text)
        .filter(|r| !r.is_empty() && !r[0].is_empty())
        .map(|r| {
            let col = |i: usize| r.get(i).map(|s| s.trim()).unwrap_or("");
            Place {
                name: col(0).to_string(),
                country: Some(col(1).to_uppercase()).filter(|c| c.len() == 2),
                kind: col(2).to_string(),
                lat: col(3).parse().ok(),
                lon: col(4).parse().ok(),
                aliases: col(5)
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            }
        })
        .collect()
}

/// Rows of a TSV file, skipping blank lines and `#` comments.
pub fn tsv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_parse_with_empty_country_for_seas() {
        let p = parse_places("# c\nBaltic Sea\t\tsea\t58\t20\tBaltique|Балтийское море\nBrest\tBY\tcity\t52.1\t23.7\t\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].country, None);
        assert_eq!(p[0].aliases.len(), 2);
        assert_eq!(p[1].country.as_deref(), Some("BY"));
    }
}
