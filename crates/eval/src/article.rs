//! Scores article-body extraction the way the article-extraction bench
//! does (`shared/bench/article-extraction/score.py`): texts become `\w+`
//! tokens, tokens become a multiset of 4-token shingles (1–3 tokens make
//! one shorter shingle), and each page's tp/fp/fn are multiset overlaps
//! normalised to sum to 1. Precision and recall are means over pages
//! (precision over pages with any output, recall over pages with any
//! gold), F1 their harmonic mean, accuracy the share of pages whose tokens
//! equal the gold's. The bootstrap deviations of `score.py` are left out.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct ArticleScores {
    pub pages: usize,
    /// Gold pages without a prediction (scored as empty output).
    pub missing: usize,
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
    pub accuracy: f64,
}

/// `\w+` tokens: letters, digits and `_` (Python's `\w` on `str`).
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks.to_vec(), 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// Normalised (tp, fp, fn) of one page.
fn page_counts(gold: &[&str], pred: &[&str]) -> (f64, f64, f64) {
    let g = shingles(gold);
    let p = shingles(pred);
    let mut tp = 0;
    let mut fp = 0;
    for (k, &n) in &p {
        let in_gold = g.get(k).copied().unwrap_or(0);
        tp += n.min(in_gold);
        fp += n.saturating_sub(in_gold);
    }
    let gold_total: usize = g.values().sum();
    let fn_ = gold_total - tp;
    let total = (tp + fp + fn_) as f64;
    if total > 0.0 {
        (tp as f64 / total, fp as f64 / total, fn_ as f64 / total)
    } else {
        (0.0, 0.0, 0.0)
    }
}

/// Scores predictions (page id → text) against gold (page id → text).
pub fn score_articles(
    gold: &BTreeMap<String, String>,
    preds: &BTreeMap<String, String>,
) -> ArticleScores {
    let (mut precs, mut recs) = (Vec::new(), Vec::new());
    let mut exact = 0usize;
    for (id, g) in gold {
        let gt = tokens(g);
        let pt = tokens(preds.get(id).map(String::as_str).unwrap_or(""));
        let (tp, fp, fn_) = page_counts(&gt, &pt);
        if tp + fp > 0.0 {
            precs.push(tp / (tp + fp));
        }
        if tp + fn_ > 0.0 {
            recs.push(tp / (tp + fn_));
        }
        exact += (gt == pt) as usize;
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (p, r) = (mean(&precs), mean(&recs));
    ArticleScores {
        pages: gold.len(),
        missing: gold.keys().filter(|k| !preds.contains_key(*k)).count(),
        f1: if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
        precision: p,
        recall: r,
        accuracy: if gold.is_empty() {
            0.0
        } else {
            exact as f64 / gold.len() as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn tokens_are_word_runs_in_any_script() {
        assert_eq!(
            tokens("Ships, 3 of_them — учения 演習!"),
            ["Ships", "3", "of_them", "учения", "演習"]
        );
    }

    #[test]
    fn perfect_partial_and_empty_pages() {
        let gold = map(&[
            ("a", "one two three four five"),
            ("b", "six seven eight nine ten"),
            ("c", "short"),
        ]);
        let preds = map(&[("a", "one two three four five"), ("b", "")]);
        let s = score_articles(&gold, &preds);
        // a: perfect; b: empty output (no precision term, recall 0); c: missing.
        assert_eq!(s.missing, 1);
        assert!((s.precision - 1.0).abs() < 1e-9);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.f1 - 0.5).abs() < 1e-9);
        assert!((s.accuracy - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn extra_text_lowers_precision_only() {
        let gold = map(&[("a", "w1 w2 w3 w4 w5 w6")]);
        let preds = map(&[("a", "w1 w2 w3 w4 w5 w6 x1 x2 x3 x4")]);
        let s = score_articles(&gold, &preds);
        // gold shingles 3, pred 7, shared 3: tp 3, fp 4, fn 0.
        assert!((s.precision - 3.0 / 7.0).abs() < 1e-9);
        assert!((s.recall - 1.0).abs() < 1e-9);
    }
}
