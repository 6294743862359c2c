//! "All 31 allies take part": a count of an alliance's members that
//! matches its membership on the document's date names every member.

use crate::analysis::{Analysis, SentInfo};
use muster_lexicon::norm::chars_between;

/// How far (in characters) the member word or the alliance's name may
/// stand after the count ("alle 31 Bündnisländer", "32 NATO allies").
const REACH: usize = 25;

/// The members of an alliance that a sentence says all take part, with
/// the normalized span of the count and its member word.
pub fn all_members(a: &Analysis, s: &SentInfo) -> Option<(Vec<String>, usize, usize)> {
    let text = a.norm.text.get(s.ns..s.ne)?;
    let found = counts(text);
    if found.is_empty() || a.alliances.is_empty() {
        return None;
    }
    let years = doc_years(a);
    // which alliance: one named in the sentence, else the text's most named
    let mut order: Vec<usize> = a
        .alliances
        .iter()
        .filter(|x| x.1 >= s.ns && x.2 <= s.ne)
        .map(|x| x.0)
        .collect();
    let mut counted: Vec<(usize, usize)> = Vec::new();
    for x in &a.alliances {
        match counted.iter_mut().find(|c| c.0 == x.0) {
            Some(c) => c.1 += 1,
            None => counted.push((x.0, 1)),
        }
    }
    counted.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    order.extend(counted.into_iter().map(|c| c.0));
    for (k, n) in found {
        let (cs, ce) = (s.ns + k, s.ns + k + n.to_string().len());
        // the member word or the alliance's name right after the count
        let word_end = a
            .langs
            .iter()
            .flat_map(|l| l.alliance_members.find_in(&a.norm, a.text, ce, s.ne))
            .map(|h| (h.start, h.end))
            .chain(
                a.alliances
                    .iter()
                    .filter(|x| x.1 >= ce && x.2 <= s.ne)
                    .map(|x| (x.1, x.2)),
            )
            .filter(|&(hs, _)| chars_between(&a.norm.text, ce, hs) <= REACH)
            .map(|(_, he)| he)
            .min();
        let Some(we) = word_end else { continue };
        for &ai in &order {
            let al = &a.lex.alliances[ai];
            for day in &years {
                let members = al.members_on(day);
                if members.len() == n as usize {
                    return Some((members, cs, we));
                }
            }
            // a text without a publication date whose years are all older
            // (a look back at 1988): the count itself may say when, if the
            // alliance had that many members during one period only, and
            // that period is not older than the text's latest year
            if a.pub_date.is_none() {
                if let Some((since, members)) = only_period_with(al, n as usize) {
                    let latest = years.first().and_then(|d| d.get(..4)).unwrap_or("0000");
                    if since.get(..4).unwrap_or("") >= latest {
                        return Some((members, cs, we));
                    }
                }
            }
        }
    }
    None
}

/// The members during the one period when the alliance had `n` of them
/// (NATO had 31 only from Finland's accession to Sweden's), if only one.
fn only_period_with(
    al: &muster_lexicon::reference::Alliance,
    n: usize,
) -> Option<(String, Vec<String>)> {
    let mut days: Vec<&str> = al
        .members
        .iter()
        .flat_map(|m| std::iter::once(m.from.as_str()).chain(m.to.as_deref()))
        .collect();
    days.sort();
    days.dedup();
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for d in days {
        let members = al.members_on(d);
        if members.len() == n && !found.iter().any(|f| f.1 == members) {
            found.push((d.to_string(), members));
        }
    }
    (found.len() == 1).then(|| found.remove(0))
}

/// Days that may stand for the text's "now": the publication date, else
/// the first and last day of the latest year it writes.
fn doc_years(a: &Analysis) -> Vec<String> {
    if let Some(d) = a.pub_date.and_then(|d| d.iso()) {
        if d.len() == 10 {
            return vec![d];
        }
    }
    let year = a.pub_date.and_then(|d| d.year).or_else(|| {
        a.sents
            .iter()
            .flat_map(|s| {
                let dated = s.dates.iter().filter_map(|(d, _)| d.from.year);
                dated.chain(s.names.iter().filter_map(|n| n.year))
            })
            .max()
    });
    year.map(|y| vec![format!("{y}-01-01"), format!("{y}-12-31")])
        .unwrap_or_default()
}

/// Whole numbers of two digits in a normalized text, with their offsets.
fn counts(text: &str) -> Vec<(usize, u32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let glued = |c: u8| c == b'.' || c == b',' || c.is_ascii_alphabetic();
            let before_ok = s == 0 || !glued(b[s - 1]);
            // "31st", "31.5", "31,000" are no count of members
            let after_ok = i >= b.len()
                || !(b[i].is_ascii_alphabetic()
                    || (glued(b[i]) && b.get(i + 1).is_some_and(u8::is_ascii_digit)));
            if i - s == 2 && before_ok && after_ok {
                if let Ok(n) = text[s..i].parse() {
                    out.push((s, n));
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn counts_are_two_digit_whole_numbers() {
        assert_eq!(counts("all 31 allies"), vec![(4, 31)]);
        assert_eq!(counts("31个成员国"), vec![(0, 31)]);
        assert!(counts("1,31 million, 2024, 3.31").is_empty());
        assert!(counts("the 31st member").is_empty());
    }
}
