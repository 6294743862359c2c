//! Sentences and languages.
//!
//! [`sentences`] splits the cleaned text into sentences (lines first, then
//! sentence punctuation, minding the abbreviations listed in each
//! language's data). [`detect`] gives each sentence a language: the
//! stopword lists of `data/lang/*/lexicon.toml` decide when they have
//! enough evidence, whatlang's trigram model otherwise; the document gets
//! its main language, or `mixed` when two languages share it, as in
//! code-mixed text.

use muster_core::{Sentence, Span};
use muster_lexicon::norm::Norm;
use muster_lexicon::Lexicon;
use std::collections::{BTreeMap, HashSet};

/// Splits a cleaned text into sentence spans with their paragraph index.
pub fn sentences(text: &str, lex: &Lexicon) -> Vec<(Span, usize)> {
    let abbrevs = &lex.abbreviations;
    let ordinal_before = &lex.ordinal_before;
    let mut out = Vec::new();
    let mut paragraph = 0usize;
    let mut offset = 0usize;
    let mut prev_blank = false;
    for line in text.split('\n') {
        let line_start = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            if !prev_blank && !out.is_empty() {
                paragraph += 1;
            }
            prev_blank = true;
            continue;
        }
        prev_blank = false;
        let mut start = 0usize;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let ends = match c {
                '。' | '！' | '？' | '।' | '॥' | '؟' | '۔' => true,
                '.' | '!' | '?' | '…' => {
                    let next = chars.get(k + 1).map(|x| x.1);
                    let after = chars.get(k + 2).map(|x| x.1);
                    let spaced = next.is_some_and(char::is_whitespace);
                    let opens = after.is_some_and(|a| {
                        // a capital, a digit, an opening mark, or a letter of a
                        // script without case (Hangul, Arabic, Devanagari ...)
                        a.is_uppercase()
                            || a.is_numeric()
                            || "«“\"'‘(¿¡[".contains(a)
                            || (a.is_alphabetic() && !a.is_lowercase())
                            || !a.is_alphabetic() && !a.is_whitespace()
                    });
                    spaced
                        && opens
                        && !(c == '.'
                            && (is_abbreviation(&line[start..i + 1], abbrevs)
                                || is_ordinal(&line[start..i], ordinal_before)))
                }
                _ => false,
            };
            if ends {
                let end = i + c.len_utf8();
                push_trimmed(&mut out, line, line_start, start, end, paragraph);
                start = end;
            }
        }
        push_trimmed(&mut out, line, line_start, start, line.len(), paragraph);
    }
    out
}

fn push_trimmed(
    out: &mut Vec<(Span, usize)>,
    line: &str,
    base: usize,
    s: usize,
    e: usize,
    para: usize,
) {
    let seg = &line[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    if seg.trim().is_empty() {
        return;
    }
    out.push((Span::new(base + s + lead, base + e - trail), para));
}

fn is_abbreviation(upto: &str, abbrevs: &HashSet<String>) -> bool {
    let last = upto.split_whitespace().last().unwrap_or("");
    let word = last
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    // single initials ("J.") and listed abbreviations do not end a sentence
    word.chars().filter(|c| c.is_alphabetic()).count() == 1 && word.len() <= 3
        || abbrevs.contains(word.as_str())
}

/// A number of one to three digits right after a word that announces an
/// ordinal ("zum 53.", "den 3."): its period does not end the sentence.
fn is_ordinal(upto: &str, before: &HashSet<String>) -> bool {
    let mut words = upto.split_whitespace().rev();
    let (Some(num), Some(prev)) = (words.next(), words.next()) else {
        return false;
    };
    (1..=3).contains(&num.len())
        && num.chars().all(|c| c.is_ascii_digit())
        && before.contains(prev.to_lowercase().as_str())
}

/// Stopword hits per language code in a text.
fn stopword_hits(text: &str, lex: &Lexicon) -> BTreeMap<String, usize> {
    let n = Norm::new(text);
    let mut hits = BTreeMap::new();
    for w in n.text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if w.is_empty() {
            continue;
        }
        if let Some(owner) = lex.stopword_owner.get(w) {
            *hits.entry(owner.clone()).or_insert(0) += 1;
        }
    }
    hits
}

/// ISO 639-1 code of whatlang's guess, or `und`.
fn whatlang_code(text: &str) -> String {
    let Some(info) = whatlang::detect(text) else {
        return "und".into();
    };
    let code = info.lang().code();
    iso639_1(code).unwrap_or("und").to_string()
}

/// Maps the ISO 639-3 codes whatlang uses to ISO 639-1.
pub fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en",
        "fra" => "fr",
        "spa" => "es",
        "por" => "pt",
        "deu" => "de",
        "ita" => "it",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "srp" => "sr",
        "hrv" => "hr",
        "tur" => "tr",
        "ara" => "ar",
        "pes" => "fa",
        "urd" => "ur",
        "hin" => "hi",
        "ben" => "bn",
        "mar" => "mr",
        "tam" => "ta",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "ind" => "id",
        "tgl" => "tl",
        "nob" => "nb",
        "nld" => "nl",
        "bel" => "be",
        "bul" => "bg",
        "ces" => "cs",
        "ron" => "ro",
        "swe" => "sv",
        "dan" => "da",
        "fin" => "fi",
        "ell" => "el",
        "heb" => "he",
        "vie" => "vi",
        "tha" => "th",
        _ => return None,
    })
}

/// Language of one sentence: the language with the most stopwords, when
/// it has two or more and more than any other, or when it is the only one
/// with any (one stopword of one language settles a short line: on the
/// bench pages whatlang's trigrams overruled such a line 240 times in 1,042,
/// mostly English headings called French, German or Tagalog); else
/// whatlang, which costs about 50 µs a sentence.
pub fn sentence_lang(text: &str, lex: &Lexicon) -> String {
    sentence_lang_in(text, lex, None)
}

/// [`sentence_lang`] inside a document whose language is `doc_lang`: a
/// short line (twelve words at most) with no stopword at all, written in
/// one of that language's scripts, is in that language ("Home", a byline, a
/// caption: whatlang's trigrams guess at random on a few words).
fn sentence_lang_in(text: &str, lex: &Lexicon, doc_lang: Option<&str>) -> String {
    let hits = stopword_hits(text, lex);
    if hits.is_empty() && text.split_whitespace().nth(12).is_none() {
        let doc = doc_lang.and_then(|l| lex.lang(l).map(|x| (l, x)));
        if let (Some((code, l)), Some(script)) = (doc, whatlang::detect_script(text)) {
            if l.data.detect.scripts.iter().any(|s| s == script.name()) {
                return code.to_string();
            }
        }
    }
    let mut best: Vec<(&String, &usize)> = hits.iter().collect();
    best.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    match best.as_slice() {
        [(l, n), rest @ ..] if **n >= 2 && rest.first().is_none_or(|(_, m)| *m < *n) => {
            (*l).clone()
        }
        [(l, _)] => (*l).clone(),
        _ if !text.chars().any(char::is_alphabetic) => "und".into(),
        _ => whatlang_code(text),
    }
}

/// Detects sentence languages and the document's main language.
/// Returns (sentences, main language, languages present by weight).
pub fn detect(
    text: &str,
    spans: &[(Span, usize)],
    hint: Option<&str>,
    lex: &Lexicon,
) -> (Vec<Sentence>, String, Vec<String>) {
    // document: stopword tokens over the whole text, then characters by sentence language
    let hits = stopword_hits(text, lex);
    let mut ranked: Vec<(String, usize)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let doc_lang = hint.filter(|h| !h.is_empty()).or(ranked
        .first()
        .filter(|(_, n)| *n >= 3)
        .map(|(l, _)| l.as_str()));
    let mut sents = Vec::with_capacity(spans.len());
    for &(span, paragraph) in spans {
        let s = span.slice(text);
        sents.push(Sentence {
            span,
            lang: sentence_lang_in(s, lex, doc_lang),
            paragraph,
        });
    }
    let mut weight: BTreeMap<String, usize> = BTreeMap::new();
    for s in &sents {
        *weight.entry(s.lang.clone()).or_insert(0) += s.span.len();
    }
    let main = if let Some(h) = hint.filter(|h| !h.is_empty()) {
        h.to_string()
    } else if ranked.len() >= 2
        && ranked[0].1 >= 8
        && ranked[1].1 * 10 >= (ranked[0].1 + ranked[1].1) * 3
    {
        "mixed".to_string()
    } else if let Some((l, n)) = ranked.first().filter(|(_, n)| *n >= 3) {
        let _ = n;
        l.clone()
    } else {
        weight
            .iter()
            .filter(|(l, _)| l.as_str() != "und")
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(l, _)| l.clone())
            .unwrap_or_else(|| "und".into())
    };
    // languages present: those with a real share of stopwords or sentences
    let total_hits: usize = ranked.iter().map(|r| r.1).sum();
    let mut present: Vec<String> = ranked
        .iter()
        .filter(|(_, n)| *n * 10 >= total_hits.max(1) && *n >= 2)
        .map(|(l, _)| l.clone())
        .collect();
    for (l, _) in weight
        .iter()
        .filter(|(l, w)| l.as_str() != "und" && **w * 5 >= text.len())
    {
        if !present.contains(l) {
            present.push(l.clone());
        }
    }
    if let Some(h) = hint {
        if !present.iter().any(|p| p == h) {
            present.insert(0, h.to_string());
        }
    }
    if present.is_empty() && main != "mixed" && main != "und" {
        present.push(main.clone());
    }
    (sents, main, present)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_sentence_ends_but_not_abbreviations() {
        let lex = Lexicon::get();
        let t = "Gen. Smith met Lt. Col. Jones in the U.S. Army base. Troops arrived.\nA new line here\n\nNew paragraph. Last one!";
        let s: Vec<&str> = sentences(t, lex)
            .iter()
            .map(|(sp, _)| sp.slice(t))
            .collect();
        assert_eq!(
            s,
            vec![
                "Gen. Smith met Lt. Col. Jones in the U.S. Army base.",
                "Troops arrived.",
                "A new line here",
                "New paragraph.",
                "Last one!"
            ]
        );
        let paras: Vec<usize> = sentences(t, lex).iter().map(|x| x.1).collect();
        assert_eq!(paras, vec![0, 0, 0, 1, 1]);
        // an ordinal after its cue word ("zum 53. Mal") is not an end; a
        // count at the end of a sentence is
        let t = "Vom 7. bis 20. Juni findet zum 53. Mal BALTOPS statt. Es kamen 40. Danach Ruhe.";
        let s: Vec<&str> = sentences(t, lex)
            .iter()
            .map(|(sp, _)| sp.slice(t))
            .collect();
        assert_eq!(
            s,
            vec![
                "Vom 7. bis 20. Juni findet zum 53. Mal BALTOPS statt.",
                "Es kamen 40.",
                "Danach Ruhe."
            ]
        );
    }

    #[test]
    fn sentence_languages_and_mixed_documents() {
        let lex = Lexicon::get();
        assert_eq!(
            sentence_lang(
                "The troops of the two countries will train together in the north.",
                lex
            ),
            "en"
        );
        assert_eq!(
            sentence_lang(
                "Les soldats des deux pays vont s'entraîner ensemble dans le nord.",
                lex
            ),
            "fr"
        );
        // one stopword of one language settles a short line ("the"), where
        // trigrams of six words guess German
        assert_eq!(sentence_lang("Marines storm the beach at dawn", lex), "en");
        assert_eq!(sentence_lang("12:30 / 14.05.2024", lex), "und");
        // a short line with no stopword takes the document's language when
        // written in its script
        let doc = "The navy said the drills would start on Monday and last for a week in the Baltic Sea.\n\nWorkout Supplement\n\nВоенно-морские учения";
        let (sents, main, _) = detect(doc, &sentences(doc, lex), None, lex);
        assert_eq!(main, "en");
        let langs: Vec<&str> = sents.iter().map(|s| s.lang.as_str()).collect();
        assert_eq!(langs[..2], ["en", "en"]);
        assert_ne!(langs[2], "en");
        let mixed = "China will participate in the exercises with the army. Les deux pays ont organisé des manœuvres dans la mer du Japon. The objective is to deepen the cooperation with the armies. La Chine et la Russie sont des alliés et les exercices sont prévus pour la fin du mois.";
        let spans = sentences(mixed, lex);
        let (_, main, present) = detect(mixed, &spans, None, lex);
        assert_eq!(main, "mixed");
        assert!(present.contains(&"en".to_string()) && present.contains(&"fr".to_string()));
        let en =
            "The navy said the drills would start on Monday and last for a week in the Baltic Sea.";
        let (_, main, _) = detect(en, &sentences(en, lex), None, lex);
        assert_eq!(main, "en");
    }

    #[test]
    fn every_language_names_scripts_whatlang_knows() {
        let lex = Lexicon::get();
        let known: Vec<&str> = whatlang::Script::all().iter().map(|s| s.name()).collect();
        for (code, l) in &lex.langs {
            assert!(!l.data.detect.scripts.is_empty(), "{code}: no scripts");
            for s in &l.data.detect.scripts {
                assert!(known.contains(&s.as_str()), "{code}: unknown script {s}");
            }
        }
    }

    #[test]
    fn caseless_scripts_split_after_a_period() {
        let lex = Lexicon::get();
        assert_eq!(
            sentences("한미 연합훈련이 시작됐다. 군은 밝혔다.", lex).len(),
            2
        );
        assert_eq!(
            sentences("भारत और अमेरिका का अभ्यास शुरू हुआ। सेना ने कहा।", lex).len(),
            2
        );
        // the Urdu full stop ends a sentence even with no space after it
        assert_eq!(
            sentences(
                "دونوں ملکوں کی مشقیں شروع ہوگئی ہیں ۔ان مشقوں کا مقصد تربیت ہے ۔",
                lex
            )
            .len(),
            2
        );
    }

    #[test]
    fn cjk_sentences_split_on_full_stops() {
        let lex = Lexicon::get();
        let t = "中俄举行联合演习。演习持续五天。";
        assert_eq!(sentences(t, lex).len(), 2);
    }
}
