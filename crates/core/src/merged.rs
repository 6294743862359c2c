//! The merged view: one `ExerciseRecord` per real-world exercise, built
//! from the exercises of many documents (`muster-merge`). Every field keeps
//! every value reported, each with its sources, beside the chosen value and
//! the rule that chose it.

use crate::CharSpan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One exercise of one document, as it joined a record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MentionRef {
    /// Document id.
    pub doc: String,
    /// Index of the exercise in the document's `exercises`.
    pub exercise: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Why this mention belongs to the record ("series and edition",
    /// "name and year", "participants and dates", "first mention").
    pub joined_by: String,
}

/// Where one reported value comes from: the document, the exercise in it,
/// its publication date and the evidence spans (code points into the
/// document's cleaned text).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceRef {
    pub doc: String,
    pub exercise: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<CharSpan>,
}

/// One value of a field and every source that reported it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reported {
    pub value: serde_json::Value,
    pub sources: Vec<SourceRef>,
}

/// A record field: the chosen value, the rule that chose it, and all the
/// values reported (conflicting ones side by side).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Field {
    pub chosen: Option<serde_json::Value>,
    pub rule: String,
    pub values: Vec<Reported>,
}

impl Field {
    /// The chosen value as a string, when it is one.
    pub fn chosen_str(&self) -> Option<&str> {
        self.chosen.as_ref().and_then(|v| v.as_str())
    }

    /// The chosen value as a list of strings (participants, scenario).
    pub fn chosen_strs(&self) -> Vec<String> {
        match &self.chosen {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// One real-world exercise, merged across documents and languages.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ExerciseRecord {
    /// Stable id: `name-year` for a named edition, `x-` + participants and
    /// date for an unnamed one.
    pub id: String,
    /// Name as the extractor reports it (English form where known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The series table's name, when the name is a known series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// The edition's year and how it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_reason: Option<String>,
    /// Field name → its values, sources and choice.
    pub fields: BTreeMap<String, Field>,
    /// Every document exercise merged here, in (document, index) order.
    pub mentions: Vec<MentionRef>,
}

impl ExerciseRecord {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }

    pub fn chosen_str(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(|f| f.chosen_str())
    }
}
