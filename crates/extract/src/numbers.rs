//! Quantities: a number (digits in any grouping, or number words of any
//! active language, with multipliers such as "thousand" or "тыс.") followed
//! within two words by a unit of the lexicon (troops, ships, days, km ...).

use muster_lexicon::norm::Norm;
use muster_lexicon::{Lang, Unit};

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Normalized byte range of number and unit.
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub unit: Unit,
    /// Byte offset where the number itself starts.
    pub num_start: usize,
}

/// A parsed number: (start, end, value) in normalized bytes.
fn numbers_in(
    norm: &Norm,
    orig: &str,
    from: usize,
    to: usize,
    langs: &[&Lang],
) -> Vec<(usize, usize, f64)> {
    let text = &norm.text;
    let mut out: Vec<(usize, usize, f64)> = Vec::new();
    // digits: 50,000 / 50.000 / 12 000 / 1,5 / 1.5
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        if bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric())) {
            let start = i;
            let mut j = i;
            let mut raw = String::new();
            while j < to {
                let c = bytes[j];
                if c.is_ascii_digit() {
                    raw.push(c as char);
                    j += 1;
                } else if (c == b',' || c == b'.' || c == b' ')
                    && j + 1 < to
                    && bytes[j + 1].is_ascii_digit()
                {
                    // a separator followed by exactly three digits groups thousands
                    let run = bytes[j + 1..to]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    if run == 3 {
                        j += 1;
                    } else if c != b' ' {
                        raw.push('.');
                        j += 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            if let Ok(v) = raw.parse::<f64>() {
                out.push((start, j, v));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    // number words, adjacent ones combined ("twenty five", "dix huit")
    let mut words: Vec<(usize, usize, f64)> = Vec::new();
    for l in langs {
        for h in l.number_words.find_in(norm, orig, from, to) {
            words.push((h.start, h.end, h.value));
        }
    }
    words.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    words.dedup_by(|b, a| b.0 < a.1);
    let mut k = 0;
    while k < words.len() {
        let (s, mut e, mut v) = words[k];
        let mut n = k + 1;
        while n < words.len()
            && text[e..words[n].0].trim().is_empty()
            && words[n].2 < v
            && v >= 20.0
        {
            v += words[n].2;
            e = words[n].1;
            n += 1;
        }
        if !out.iter().any(|o| s < o.1 && o.0 < e) {
            out.push((s, e, v));
        }
        k = n;
    }
    out.sort_by_key(|o| o.0);
    // multipliers right after a number
    let mut mults: Vec<(usize, usize, f64)> = Vec::new();
    for l in langs {
        for h in l.multipliers.find_in(norm, orig, from, to) {
            mults.push((h.start, h.end, h.value));
        }
    }
    for o in out.iter_mut() {
        if let Some(m) = mults
            .iter()
            .find(|m| m.0 >= o.1 && text[o.1..m.0].trim_matches([' ', '.']).is_empty())
        {
            if m.0 != o.0 {
                o.2 *= m.2;
                o.1 = m.1;
                if text[o.1..].starts_with('.') {
                    o.1 += 1;
                }
            }
        }
    }
    // "two hundred": the multiplier word is no number of its own
    let spans: Vec<(usize, usize)> = out.iter().map(|o| (o.0, o.1)).collect();
    out.retain(|o| {
        !spans
            .iter()
            .any(|s| s.0 <= o.0 && o.1 <= s.1 && (s.1 - s.0) > (o.1 - o.0))
    });
    out
}

/// Every number followed (within two words) by a unit word.
pub fn quantities(
    norm: &Norm,
    orig: &str,
    from: usize,
    to: usize,
    langs: &[&Lang],
) -> Vec<Quantity> {
    let text = &norm.text;
    let nums = numbers_in(norm, orig, from, to, langs);
    // a word for "one" ("a week", "une semaine") must touch its unit:
    // "a few days" is no count
    let is_article =
        |s: usize, e: usize, v: f64| v == 1.0 && !text[s..e].bytes().all(|b| b.is_ascii_digit());
    let mut units = Vec::new();
    for l in langs {
        units.extend(l.units.find_in(norm, orig, from, to));
    }
    units.sort_by_key(|u| u.start);
    let mut out = Vec::new();
    for (s, e, v) in nums {
        let next = units.iter().find(|u| {
            u.start >= e && {
                let gap = text[e..u.start].trim();
                (gap.is_empty() || !is_article(s, e, v))
                    && gap.split_whitespace().count() <= 2
                    && !gap.contains([',', ';', '.', '(', ')', '%'])
                    && !gap
                        .split_whitespace()
                        .any(|w| langs.iter().any(|l| l.stopwords.contains(w)))
            }
        });
        // a word for "one" only counts time ("a week"): "a" is also a word
        // of other languages ("a pojazdy")
        let one_word = is_article(s, e, v);
        if let Some(u) =
            next.filter(|u| !one_word || matches!(u.value, Unit::Days | Unit::Weeks | Unit::Hours))
        {
            out.push(Quantity {
                start: s,
                end: u.end,
                value: v,
                unit: u.value,
                num_start: s,
            });
        }
    }
    // one unit, one number: the nearest ("a five-day drill" is 5 days)
    let mut kept: Vec<Quantity> = Vec::new();
    for q in out {
        if let Some(last) = kept.last_mut() {
            if last.end == q.end {
                *last = q;
                continue;
            }
        }
        kept.push(q);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_lexicon::Lexicon;

    fn q(t: &str, codes: &[&str]) -> Vec<(f64, Unit)> {
        let lex = Lexicon::get();
        let langs: Vec<&Lang> = codes.iter().map(|c| lex.lang(c).unwrap()).collect();
        let n = Norm::new(t);
        quantities(&n, t, 0, n.text.len(), &langs)
            .into_iter()
            .map(|x| (x.value, x.unit))
            .collect()
    }

    #[test]
    fn digits_words_and_multipliers() {
        assert_eq!(
            q("more than 50,000 troops", &["en"]),
            vec![(50000.0, Unit::Troops)]
        );
        assert_eq!(
            q("140 aircraft and 60 warships", &["en"]),
            vec![(140.0, Unit::Aircraft), (60.0, Unit::Ships)]
        );
        assert_eq!(
            q("scheduled to last eleven days", &["en"]),
            vec![(11.0, Unit::Days)]
        );
        assert_eq!(
            q("pendant thirteen heures", &["en", "fr"]),
            vec![(13.0, Unit::Hours)]
        );
        assert_eq!(
            q("just 5 kilometers from the border", &["en"]),
            vec![(5.0, Unit::Km)]
        );
        assert_eq!(
            q("some 1.5 million soldiers", &["en"]),
            vec![(1_500_000.0, Unit::Troops)]
        );
        assert_eq!(q("twenty five ships", &["en"]), vec![(25.0, Unit::Ships)]);
        assert_eq!(
            q("two hundred troops", &["en"]),
            vec![(200.0, Unit::Troops)]
        );
        assert_eq!(q("a five-day drill", &["en"]), vec![(5.0, Unit::Days)]);
        assert_eq!(q("a week", &["en"]), vec![(1.0, Unit::Weeks)]);
        assert!(q("a few days after", &["en"]).is_empty());
        assert_eq!(
            q("12 000 militaires", &["fr"]),
            vec![(12000.0, Unit::Troops)]
        );
    }

    #[test]
    fn percentages_and_years_are_not_counts() {
        assert!(q("62.18% of this article", &["en"]).is_empty());
        assert!(q("in 2023 the ships", &["en"]).is_empty());
    }
}
