//! The pipeline: one raw document in, one document record out.
//!
//! `clean` → `sentences` + languages → `extract`. This crate only wires the
//! stages; each lives in its own crate and knows nothing of the others.

use muster_core::{CharOffsets, CleanDoc, DocRecord, RawDoc, Sentence, SentenceOut};
use muster_lexicon::Lexicon;

/// Options that change what is written, never what is found.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Add the cleaned text and the sentences to the record.
    pub with_text: bool,
}

/// Everything the pipeline made of one document.
pub struct Processed {
    pub clean: CleanDoc,
    pub sentences: Vec<Sentence>,
    pub record: DocRecord,
}

/// Runs every stage on one document.
pub fn process(raw: &RawDoc, opts: Options) -> Processed {
    let lex = Lexicon::get();
    let clean = muster_clean::clean(raw, lex);
    let spans = muster_lang::sentences(&clean.text, lex);
    let (sentences, main_lang, present) = muster_lang::detect(&clean.text, &spans, clean.lang_hint.as_deref(), lex);
    let langs = lex.langs_for(&present);
    let dateline = muster_clean::find_dateline(&clean, lex);
    let ex = muster_extract::extract(&clean, &sentences, &langs, lex, dateline);
    let offsets = CharOffsets::new(&clean.text);
    let record = DocRecord {
        id: clean.id.clone(),
        label: ex.label,
        lang: Some(main_lang),
        pub_date: ex.pub_date,
        pub_date_source: ex.pub_date_source,
        title: clean.title.map(|t| t.slice(&clean.text).to_string()),
        url: clean.url.clone(),
        paywalled: clean.paywalled,
        exercises: ex.exercises,
        clean_text: opts.with_text.then(|| clean.text.clone()),
        sentences: opts.with_text.then(|| {
            sentences
                .iter()
                .map(|s| {
                    let c = offsets.span(s.span);
                    SentenceOut { start: c.start, end: c.end, lang: s.lang.clone() }
                })
                .collect()
        }),
        notes: None,
    };
    Processed { clean, sentences, record }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_deterministic_and_spans_point_into_the_text() {
        let raw = RawDoc {
            id: "t".into(),
            source: "t".into(),
            text: "Navies of Japan and India begin joint drills\n\nJapan and India began a five-day naval exercise called “JIMEX” on Monday, June 3, 2024, near Visakhapatnam.".into(),
            ..Default::default()
        };
        let a = process(&raw, Options { with_text: true });
        let b = process(&raw, Options { with_text: true });
        let ja = serde_json::to_string(&a.record).unwrap();
        assert_eq!(ja, serde_json::to_string(&b.record).unwrap());
        let text = a.record.clean_text.clone().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let ex = &a.record.exercises[0];
        for (field, spans) in &ex.evidence {
            for s in spans {
                assert!(s.start < s.end && s.end <= chars.len(), "{field}: {s:?}");
            }
        }
        let name: String = chars[ex.evidence["name"][0].start..ex.evidence["name"][0].end].iter().collect();
        assert_eq!(name, "JIMEX");
        assert_eq!(ex.start_date.as_deref(), Some("2024-06-03"));
        assert_eq!(ex.duration_days, Some(5.0));
    }
}
