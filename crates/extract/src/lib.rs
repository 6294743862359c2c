//! Extract: the exercises of one document, every field with its evidence.
//!
//! The flow inside one document:
//! 1. [`Analysis`]: country mentions, trigger words (military sense only),
//!    names, dates, quantities and clause roles, per sentence.
//! 2. Mentions: a sentence with a trigger or a name is a mention of an
//!    exercise, with the values its own clauses give.
//! 3. Grouping ([`group`]): named mentions make exercises; unnamed ones join
//!    the exercise their dates fit, or the one being discussed.
//! 4. Fields: values are merged per exercise; years are inferred
//!    ([`years`]) with the reason kept; every value keeps its spans.
//!
//! Nothing here does I/O: all knowledge comes from the [`Lexicon`].

pub mod alliances;
pub mod claims;
pub mod dates;
pub mod names;
pub mod numbers;
pub mod places;
pub mod years;

mod analysis;
mod group;

pub use analysis::Analysis;

use muster_core::{CharOffsets, CleanDoc, Exercise, Label, Sentence, Span};
use muster_lexicon::{Lang, Lexicon};

/// What extraction says about one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub label: Label,
    pub exercises: Vec<Exercise>,
    pub pub_date: Option<String>,
    pub pub_date_source: Option<String>,
}

/// Extracts the exercises of a cleaned document.
pub fn extract(
    doc: &CleanDoc,
    sents: &[Sentence],
    langs: &[&Lang],
    lex: &Lexicon,
    dateline: Option<Span>,
) -> Extraction {
    let a = Analysis::new(doc, sents, langs, lex, dateline);
    if std::env::var_os("MUSTER_DEBUG").is_some() {
        a.debug_dump();
    }
    let offsets = CharOffsets::new(&doc.text);
    let mut exercises = group::build(&a, &offsets);
    exercises.retain(is_specific);
    let label = if exercises.iter().any(|e| e.role.as_deref() == Some("main")) {
        Label::Exercise
    } else if exercises.is_empty() {
        Label::Negative
    } else {
        Label::MentionOnly
    };
    Extraction {
        label,
        exercises,
        pub_date: a.pub_date.and_then(|d| d.iso()),
        pub_date_source: a.pub_date_source.clone(),
    }
}

/// An exercise the text pins down by at least one fact: a name, a
/// participant, a date, a place or a figure. Sentences that speak of
/// exercises in general ("regular naval drills keep the region safe", a
/// glossary page defining the word) give mentions with none of these, and
/// they do not make a document about an exercise.
fn is_specific(e: &Exercise) -> bool {
    e.name.is_some()
        || e.participants.as_ref().is_some_and(|p| !p.is_empty())
        || e.start_date.is_some()
        || e.location.is_some()
        || [e.troops, e.aircraft, e.ships, e.vehicles]
            .iter()
            .any(Option::is_some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exercise_with_no_fact_is_not_specific() {
        let mut e = Exercise::default();
        assert!(!is_specific(&e));
        e.troops = Some(500.0);
        assert!(is_specific(&e));
        let e = Exercise {
            participants: Some(vec!["FR".into()]),
            ..Default::default()
        };
        assert!(is_specific(&e));
        let e = Exercise {
            participants: Some(vec![]),
            ..Default::default()
        };
        assert!(!is_specific(&e));
    }
}
