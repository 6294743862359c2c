//! The toponym development set (`tests/devset/geo/toponyms.jsonl`): place
//! names in our own sentences, in all of muster's languages, each with the
//! country it must resolve to. A mention is first looked for in its
//! sentence with `find_in` (as the extractor will); when the matcher misses
//! it (an inflected form), the mention is resolved on its own.

use muster_geo::Gazetteer;
use muster_lexicon::norm::Norm;
use serde_json::Value;
use std::collections::BTreeSet;

const DEVSET: &str = include_str!("../../../tests/devset/geo/toponyms.jsonl");

struct Row {
    sentence: String,
    lang: String,
    mention: String,
    context: Vec<String>,
    expected: Option<String>,
}

fn rows() -> Vec<Row> {
    DEVSET
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("devset line is JSON");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Row {
                sentence: s("sentence"),
                lang: s("lang"),
                mention: s("mention"),
                context: v["context"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                expected: v["expected_country"].as_str().map(String::from),
            }
        })
        .collect()
}

#[test]
fn toponym_devset_accuracy() {
    let g = Gazetteer::get();
    let rows = rows();
    let langs: BTreeSet<&str> = rows.iter().map(|r| r.lang.as_str()).collect();
    assert!(rows.len() >= 150, "only {} rows", rows.len());
    assert_eq!(langs.len(), 25, "languages: {langs:?}");

    let (mut right, mut found, mut ambiguous, mut ambiguous_right) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for r in &rows {
        assert!(r.sentence.contains(&r.mention), "{:?}", r.mention);
        let ctx: Vec<&str> = r.context.iter().map(String::as_str).collect();
        // the mention's span in the normalized sentence
        let norm = Norm::new(&r.sentence);
        let at = r.sentence.find(&r.mention).unwrap_or(0);
        let (ms, me) = (norm.norm_of(at), norm.norm_of(at + r.mention.len()));
        let hit = g
            .find_in(&norm, &r.sentence)
            .into_iter()
            .find(|h| h.start < me && h.end > ms);
        let resolved = match &hit {
            Some(h) => {
                found += 1;
                g.resolve_hit(h, &ctx)
            }
            None => g.resolve(&r.mention, &ctx),
        };
        // ambiguous: the name may mean places in several countries
        let countries: BTreeSet<Option<String>> = g
            .candidates(&r.mention, &[])
            .into_iter()
            .map(|(_, p)| p.country.clone())
            .collect();
        let is_ambiguous = countries.len() > 1;
        ambiguous += usize::from(is_ambiguous);
        let got = resolved.as_ref().map(|x| x.country.clone());
        if got.as_ref() == Some(&r.expected) {
            right += 1;
            ambiguous_right += usize::from(is_ambiguous);
        } else {
            misses.push(format!(
                "{} {:?} ctx {:?}: expected {:?}, got {:?}{}",
                r.lang,
                r.mention,
                r.context,
                r.expected,
                got,
                if hit.is_none() {
                    " (not found in text)"
                } else {
                    ""
                }
            ));
        }
    }
    let n = rows.len();
    let acc = right as f64 / n as f64;
    println!(
        "toponyms: {right}/{n} resolved right, accuracy {acc:.3}; ambiguous names {ambiguous_right}/{ambiguous}; \
         found in the sentence by find_in {found}/{n}"
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(ambiguous >= 30, "only {ambiguous} ambiguous mentions");
    assert!(acc >= 0.95, "accuracy {acc:.3} < 0.95");
}
