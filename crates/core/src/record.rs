//! The per-document output: the GOLD-FORMAT shape plus evidence.

use crate::CharSpan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Relevance of a document (GOLD-FORMAT `label`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Exercise,
    MentionOnly,
    #[default]
    Negative,
}

impl Label {
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::Exercise => "exercise",
            Label::MentionOnly => "mention_only",
            Label::Negative => "negative",
        }
    }
}

/// One document as muster reports it; also the shape of a gold line.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct DocRecord {
    pub id: String,
    #[serde(default)]
    pub label: Label,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub pub_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_date_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The archive record or feed item the document was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<crate::Provenance>,
    #[serde(default)]
    pub paywalled: bool,
    #[serde(default)]
    pub exercises: Vec<Exercise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clean_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SentenceOut>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SentenceOut {
    pub start: usize,
    pub end: usize,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Location {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Coordinates and kind (city, region, sea, range, country) when the
    /// place was resolved in the gazetteer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Distances from the place to the outer borders of military
    /// alliances on the exercise's date (computed, not stated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alliances: Vec<AllianceDistance>,
}

/// How far a located exercise is from an alliance's outer border.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct AllianceDistance {
    /// Alliance code ("NATO", "CSTO").
    pub org: String,
    /// The date membership was taken on.
    pub on: String,
    pub km: f64,
    /// The place lies inside a member's territory.
    pub inside: bool,
}

/// What an official said about an exercise, with who said it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Claim {
    /// The person, or the body when no person is named.
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// The quoted words, as written.
    pub quote: String,
    /// Span of the quote in the cleaned text (code points).
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Near {
    pub country: String,
    /// The distance the text states.
    #[serde(default)]
    pub km: Option<f64>,
    /// The great-circle distance from the exercise's located place to the
    /// country's border (gazetteer and Natural Earth borders), for
    /// comparison with the stated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_km: Option<f64>,
}

/// One exercise found in a document. Every field of the gold format, plus
/// `role`, `year_reason`, `evidence` (field name → spans in code points into
/// the cleaned text) and `confidence`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Exercise {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub participants: Option<Vec<String>>,
    #[serde(default)]
    pub participants_open: Option<bool>,
    #[serde(default)]
    pub observers: Option<Vec<String>>,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub year_inferred: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_reason: Option<String>,
    #[serde(default)]
    pub duration_days: Option<f64>,
    #[serde(default)]
    pub duration_hours: Option<f64>,
    #[serde(default)]
    pub scenario: Option<Vec<String>>,
    #[serde(default)]
    pub troops: Option<f64>,
    #[serde(default)]
    pub aircraft: Option<f64>,
    #[serde(default)]
    pub ships: Option<f64>,
    #[serde(default)]
    pub vehicles: Option<f64>,
    #[serde(default)]
    pub near: Option<Vec<Near>>,
    /// The stated purpose, as written (evidence under `purpose`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Officials' quoted claims about the exercise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, Vec<CharSpan>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The merged record this exercise joined (`muster extract --merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_line_parses_with_nulls() {
        let line = r#"{"id":"x","label":"mention_only","lang":"fr","pub_date":null,
          "exercises":[{"key":"k","name":null,"aliases":[],"host":null,"participants":["CN","RU"],
          "participants_open":false,"observers":[],"location":{"name":null,"country":null},
          "start_date":"2022-05","end_date":null,"year_inferred":true,"duration_days":null,
          "duration_hours":13,"scenario":null,"troops":null,"aircraft":null,"ships":null,
          "vehicles":null,"near":[{"country":"JP","km":null}],"notes":"n"}],"notes":"t"}"#;
        let d: DocRecord = serde_json::from_str(line).unwrap();
        assert_eq!(d.label, Label::MentionOnly);
        let e = &d.exercises[0];
        assert_eq!(e.duration_hours, Some(13.0));
        assert_eq!(e.scenario, None);
        assert_eq!(e.near.as_ref().unwrap()[0].km, None);
    }
}
