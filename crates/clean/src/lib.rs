//! Clean: from scraped text to the immutable cleaned text.
//!
//! Each line is tested against the boilerplate rules of every language
//! (`[boilerplate]` in `data/lang/*/lexicon.toml`): related-story links,
//! share prompts, navigation, comment forms, cookie banners, photo captions
//! and paywall notices are dropped and recorded with the rule that caught
//! them. A paywall notice also flags the document. Then the title is chosen
//! among the headline-like lines at the top ([`choose_title`]), and a
//! publication-date line near the top is remembered ([`find_dateline`]).
//! The cleaned text is never edited afterwards: later stages annotate it
//! with spans.

use muster_core::{CleanDoc, RawDoc, Removed, Span};
use muster_lexicon::norm::Norm;
use muster_lexicon::Lexicon;

/// A kept line of the cleaned text.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// Blank lines before it in the source (paragraph break).
    gap: bool,
}

/// Cleans one raw document.
pub fn clean(raw: &RawDoc, lex: &Lexicon) -> CleanDoc {
    let mut removed = Vec::new();
    let mut paywalled = false;
    let mut lines: Vec<Line> = Vec::new();
    let mut gap = false;
    // a leading "date 2024-10-14" (how some archives prefix a page) is a
    // date line of its own, even when the article runs on after it
    let (prefix_date, body) = leading_iso_date(&raw.text);
    if let Some((line, _)) = &prefix_date {
        lines.push(Line {
            text: line.clone(),
            gap: false,
        });
        gap = true;
    }
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            gap = true;
            continue;
        }
        if let Some(rule) = boilerplate_rule(t, lex) {
            if rule == "paywall" {
                paywalled = true;
            }
            removed.push(Removed {
                rule,
                line: t.to_string(),
            });
            continue;
        }
        match lines.last_mut() {
            Some(prev) if !gap && wraps_into(&prev.text, t, lex) => {
                prev.text.push(' ');
                prev.text.push_str(t);
            }
            _ => lines.push(Line {
                text: t.to_string(),
                gap,
            }),
        }
        gap = false;
    }
    // date lines stay in the text but are never the title
    let datelines: Vec<bool> = lines.iter().map(|l| is_dateline(&l.text, lex)).collect();
    let candidates: Vec<&str> = lines
        .iter()
        .zip(&datelines)
        .filter(|(_, d)| !**d)
        .map(|(l, _)| l.text.as_str())
        .collect();
    let title_idx = choose_title(&candidates).map(|k| {
        // index among all lines of the k-th non-date line
        datelines
            .iter()
            .enumerate()
            .filter(|(_, d)| !**d)
            .nth(k)
            .map(|(i, _)| i)
            .unwrap_or(k)
    });
    let mut title_line = title_idx;
    if let Some(i) = title_idx {
        let mut kept = Vec::new();
        for (k, l) in lines.drain(..).enumerate() {
            if k < i && !datelines[k] {
                removed.push(Removed {
                    rule: "related-headline".into(),
                    line: l.text,
                });
            } else {
                kept.push(l);
            }
        }
        title_line = Some(i - (0..i).filter(|&k| !datelines[k]).count());
        lines = kept;
    }
    // A metadata title that the text does not repeat goes first.
    let mut text = String::new();
    let mut title = None;
    if let Some(t) = raw
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let repeated = lines.first().is_some_and(|l| l.text == t);
        if !repeated {
            text.push_str(t);
            title = Some(Span::new(0, text.len()));
            text.push_str("\n\n");
        }
    }
    let mut spans = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            text.push_str(if l.gap { "\n\n" } else { "\n" });
        }
        let start = text.len();
        text.push_str(&l.text);
        spans.push(Span::new(start, text.len()));
    }
    if title.is_none() {
        if let Some(i) = title_line {
            title = spans.get(i).copied();
        }
    }
    CleanDoc {
        id: raw.id.clone(),
        source: raw.source.clone(),
        text,
        title,
        url: raw.url.clone(),
        pub_date: raw
            .date
            .clone()
            .or_else(|| prefix_date.as_ref().map(|p| p.1.clone())),
        pub_date_source: if raw.date.is_some() {
            Some("metadata".to_string())
        } else {
            prefix_date.as_ref().map(|_| "dateline".to_string())
        },
        lang_hint: raw.lang.clone(),
        provenance: raw.provenance.clone(),
        paywalled,
        removed,
    }
}

/// A hard-wrapped sentence goes on in the next line: the line ends without
/// closing punctuation and either the next opens in lower case, or the line
/// ends on a comma or on a short function word no sentence ends with
/// ("…de los\nEEUU (USN) se realizará…"). A headline over its text ends on
/// a content word ("…en plena crisis con Ucrania\nSoldados rusos…").
pub fn wraps_into(prev: &str, next: &str, lex: &Lexicon) -> bool {
    let Some(last) = prev.chars().next_back() else {
        return false;
    };
    if ".!?:;…\"”»)]|。！？".contains(last) || last.is_numeric() {
        return false;
    }
    let first = next.chars().next().unwrap_or(' ');
    let last_word = prev.rsplit(' ').next().unwrap_or("");
    let w = muster_lexicon::norm::norm_str(last_word);
    let function_word =
        w.chars().count() <= 4 && lex.langs.values().any(|l| l.stopwords.contains(&w));
    first.is_lowercase() || last == ',' || (function_word && first.is_alphanumeric())
}

/// Splits a leading ISO date ("date 2024-10-14 …", "Published: 2022-12 …")
/// off a text: ((the date line, the ISO date), the rest).
pub fn leading_iso_date(text: &str) -> (Option<(String, String)>, &str) {
    let t = text.trim_start();
    let lead = t.split_whitespace().next().unwrap_or("");
    let label = lead.trim_end_matches(':').to_ascii_lowercase();
    let (words, rest) = if matches!(label.as_str(), "date" | "published" | "updated" | "posted") {
        (lead.len(), t[lead.len()..].trim_start())
    } else {
        (0, t)
    };
    let date: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let b = date.as_bytes();
    let iso = (date.len() == 10 || date.len() == 7)
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && (b[0] == b'1' && b[1] == b'9' || b[0] == b'2' && b[1] == b'0');
    if !iso || (words == 0 && !rest[date.len()..].starts_with(char::is_whitespace)) {
        return (None, text);
    }
    let line_len = t.len() - rest.len() + date.len();
    (
        Some((t[..line_len].trim().to_string(), date)),
        &t[line_len..],
    )
}

/// The name of the boilerplate rule that catches a line, if any.
pub fn boilerplate_rule(line: &str, lex: &Lexicon) -> Option<String> {
    if line.chars().count() > 400 {
        return None;
    }
    if lex.boilerplate_exact.first_match(line).is_some() {
        return Some("navigation".into());
    }
    let n = Norm::new(line);
    lex.boilerplate.first_match(n.text.trim()).cloned()
}

/// True when a line reads like a headline: short, several words, no final
/// sentence punctuation.
pub fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.trim_end().chars().last().unwrap_or('.');
    (3..=30).contains(&words)
        && !matches!(last, '.' | '!' | '?' | ';' | ':' | ',' | '»' | '"' | '”')
}

/// Picks the title among the headline-like lines before the body. When two
/// or more precede the first body line (a related-story link above the real
/// headline), the one sharing most words with the body wins and the lines
/// above it are dropped. Returns the index of the title line.
pub fn choose_title(lines: &[&str]) -> Option<usize> {
    let heads: Vec<usize> = lines
        .iter()
        .take(3)
        .take_while(|l| is_headline(l))
        .enumerate()
        .map(|(i, _)| i)
        .collect();
    match heads.len() {
        0 => None,
        1 => Some(0),
        _ => {
            let body: Vec<String> = lines[heads.len()..]
                .iter()
                .flat_map(|l| content_words(l))
                .collect();
            let score = |i: usize| {
                let w = content_words(lines[i]);
                let hits = w.iter().filter(|x| body.contains(x)).count();
                hits as f64 / (w.len().max(1) as f64).sqrt()
            };
            let mut best = 0;
            for &i in &heads[1..] {
                if score(i) > score(best) {
                    best = i;
                }
            }
            Some(best)
        }
    }
}

fn content_words(line: &str) -> Vec<String> {
    Norm::new(line)
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(String::from)
        .collect()
}

/// The span of a publication-date line near the top: a line of at most 12
/// words within the first six that starts with a dateline cue of any
/// language ("Published", "Mis à jour le") or holds a four-digit year; or
/// the dateline that opens a paragraph ("Dhaka, 7 February 2020 (Friday) ঃ
/// …", "KYIV, March 3, 2024 — …").
pub fn find_dateline(doc: &CleanDoc, lex: &Lexicon) -> Option<Span> {
    let mut offset = 0;
    for (i, line) in doc.text.split('\n').enumerate() {
        let span = Span::new(offset, offset + line.len());
        offset += line.len() + 1;
        if i >= 8 {
            break;
        }
        if is_dateline(line, lex) {
            return Some(span);
        }
        if let Some(len) = opening_dateline(line, lex) {
            return Some(Span::new(span.start, span.start + len));
        }
    }
    None
}

/// The length of a dateline opening a longer line: a place, a comma and a
/// date (with its weekday or agency in parentheses), up to the first
/// separator (a dash, a colon, "ঃ") within the first 100 bytes.
pub fn opening_dateline(line: &str, lex: &Lexicon) -> Option<usize> {
    let head = muster_lexicon::norm::before(line, 0, 100, usize::MAX);
    let cut = [" — ", " – ", " - ", " ঃ", "ঃ ", ": ", " —", " –"]
        .iter()
        .filter_map(|sep| head.find(sep))
        .min()?;
    let prefix = line[..cut].trim_end();
    let comma = prefix.find(',')?;
    // the place before the comma is a word or two, not a clause
    let place_words = prefix[..comma].split_whitespace().count();
    (place_words <= 3 && prefix.len() < line.trim_end().len() && is_dateline(prefix, lex))
        .then_some(prefix.len())
}

/// A short line that starts with a dateline cue of any language
/// ("Published", "Mis à jour le", "Stand:") or is little more than a date.
pub fn is_dateline(line: &str, lex: &Lexicon) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    if t.is_empty() || words > 16 {
        return false;
    }
    let n = Norm::new(t).text;
    let cue = lex.langs.values().any(|l| {
        l.dateline.iter().any(|c| {
            !c.is_empty() && n.starts_with(c.as_str()) && n[c.len()..].starts_with([' ', ':', ','])
        })
    });
    let has_year = n.as_bytes().windows(4).any(|w| {
        w.iter().all(u8::is_ascii_digit)
            && (w[0] == b'1' && w[1] == b'9' || w[0] == b'2' && w[1] == b'0')
    });
    let digits = n.chars().filter(|c| c.is_ascii_digit()).count();
    has_year
        && ((cue && (words <= 8 || digits >= 6))
            || (words <= 6 && digits >= 4)
            || (words <= 9 && digits >= 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawDoc {
        RawDoc {
            id: "t".into(),
            source: "t".into(),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn hard_wrapped_lines_are_joined_and_headlines_are_not() {
        let lex = Lexicon::get();
        let d = clean(
            &raw("En lo que probablemente sea una indicación más de su\n\
                  creciente complejidad, el ejercicio naval trilateral que involucra a la Armada\n\
                  india, la Fuerza de Autodefensa Marítima de Japón (JMSDF) y la Marina de los\n\
                  EEUU (USN) se realizará en aguas de Guam por primera vez."),
            lex,
        );
        assert_eq!(d.text.lines().count(), 1, "{}", d.text);
        // a short headline over its text stays a line of its own
        let d = clean(
            &raw("Navies drill near Guam\nThe navies of India and Japan met."),
            lex,
        );
        assert_eq!(
            d.text.lines().filter(|l| !l.is_empty()).count(),
            2,
            "{}",
            d.text
        );
        assert!(!wraps_into("It ended.", "then more", lex));
        let title = "Rusia inició ejercicios militares en Bielorrusia en plena crisis con Ucrania";
        assert!(!wraps_into(
            title,
            "Soldados rusos y bielorrusos comenzaron el jueves",
            lex
        ));
    }

    #[test]
    fn a_dateline_opening_a_paragraph_is_found() {
        let lex = Lexicon::get();
        let line = "ঢাকা, ০৭ ফেব্রুয়ারি ২০২০ (শুক্রবার) ঃ বাংলাদেশে ও ভারতের যৌথ সামরিক মহড়া শুরু হয়েছে।";
        let n = opening_dateline(line, lex).expect("a dateline");
        assert!(line[..n].ends_with("(শুক্রবার)"), "{}", &line[..n]);
        let line = "KYIV, March 3, 2024 — Ukrainian and Polish troops began a joint drill.";
        assert_eq!(
            opening_dateline(line, lex).map(|n| &line[..n]),
            Some("KYIV, March 3, 2024")
        );
        // a sentence with a comma and a year is no dateline
        let line =
            "In the end, the 2024 drills were the largest since the Cold War - officials said.";
        assert_eq!(opening_dateline(line, lex), None);
    }

    #[test]
    fn boilerplate_rules_catch_what_they_name_and_spare_prose() {
        let lex = Lexicon::get();
        let cases = [
            ("Read also | Article reserved for our subscribers Why NATO worries", Some("related")),
            ("See also  Vladimir Putin reporte son discours", Some("related")),
            ("Add to your selections", Some("share")),
            ("You have 62.18% of this article left to read. The rest is reserved for subscribers.", Some("paywall")),
            ("PREV Egypt hosts conference on Sudan", Some("navigation")),
            ("Leave a Reply", Some("comments")),
            ("Your email address will not be published. Required fields are marked *", Some("comments")),
            ("Polish soldiers patrol the border, August 30, 2023. KUBA STEZYCKI / REUTERS", Some("caption")),
            ("Il vous reste 70 % de cet article à lire.", Some("paywall")),
            ("Lire aussi : la Chine et la Russie", Some("related")),
            ("The minister told Reuters the drills would go on.", None),
            ("China and Belarus held joint drills near Brest, officials said.", None),
            ("Next week the navies will sail together.", None),
        ];
        for (line, want) in cases {
            assert_eq!(boilerplate_rule(line, lex).as_deref(), want, "{line}");
        }
    }

    #[test]
    fn paywall_flags_and_lines_are_recorded() {
        let d = clean(&raw("Title of the story here\n\nBody text.\n\nYou have 40% of this article left to read."), Lexicon::get());
        assert!(d.paywalled);
        assert_eq!(d.removed.len(), 1);
        assert!(!d.text.contains("left to read"));
        assert_eq!(
            d.title.map(|s| s.slice(&d.text)),
            Some("Title of the story here")
        );
    }

    #[test]
    fn related_headline_above_the_title_is_dropped() {
        let text = "Russia deploys hypersonic missiles in Kaliningrad\n\nChina will join military exercises in Russia\n\nBeijing will send troops to Russia to join joint military exercises in August.";
        let d = clean(&raw(text), Lexicon::get());
        assert!(d.text.starts_with("China will join"));
        assert_eq!(d.removed[0].rule, "related-headline");
    }

    #[test]
    fn a_single_headline_is_the_title_and_prose_is_not() {
        assert_eq!(
            choose_title(&["Drills begin near Brest", "Troops arrived on Monday."]),
            Some(0)
        );
        assert_eq!(
            choose_title(&["Troops arrived on Monday.", "More text."]),
            None
        );
    }

    #[test]
    fn leading_iso_dates_become_date_lines() {
        let (d, rest) = leading_iso_date(" date 2024-10-14 \"On October 14, the PLA");
        assert_eq!(
            d,
            Some(("date 2024-10-14".to_string(), "2024-10-14".to_string()))
        );
        assert!(rest.trim_start().starts_with("\"On"));
        assert_eq!(
            leading_iso_date("date 2022-12 Du 21 au 27").0.unwrap().1,
            "2022-12"
        );
        assert!(leading_iso_date("2024 was a year").0.is_none());
        assert!(leading_iso_date("Dates of the drill").0.is_none());
        let c = clean(
            &raw(" date 2020-06 Actualidade\n\nPortugal vai participar."),
            Lexicon::get(),
        );
        assert_eq!(c.pub_date.as_deref(), Some("2020-06"));
        assert!(c.text.starts_with("date 2020-06\n"));
    }

    #[test]
    fn dateline_is_found_near_the_top() {
        let lex = Lexicon::get();
        let d = clean(
            &raw("Published 12 June 2023\nNavies drill in the Baltic\n\nShips sailed."),
            lex,
        );
        let s = find_dateline(&d, lex).unwrap();
        assert_eq!(s.slice(&d.text), "Published 12 June 2023");
        assert_eq!(
            d.title.map(|t| t.slice(&d.text)),
            Some("Navies drill in the Baltic")
        );
        let d = clean(
            &raw("Navies drill in the Baltic\n\nShips sailed on Monday."),
            lex,
        );
        assert_eq!(find_dateline(&d, lex), None);
        assert!(!is_dateline(
            "Published works of 2023 authors were reviewed by the committee on Monday",
            lex
        ));
    }
}
