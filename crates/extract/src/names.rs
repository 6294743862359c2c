//! Exercise names: series aliases from the series table, quoted names next
//! to a trigger ("exercises «Vostok»", "called “Eagle Assault”"), names after
//! a naming verb ("dubbed Northern Thunder"), and capitalised names with an
//! edition year ("Sea Breeze-2021").

use muster_lexicon::norm::{norm_str, Norm};
use muster_lexicon::Lexicon;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub struct NameHit {
    /// Normalized byte range of the name as written (quotes excluded).
    pub start: usize,
    pub end: usize,
    /// Canonical name without the year (series name when known).
    pub name: String,
    /// Verbatim form in the text.
    pub written: String,
    pub series: Option<usize>,
    /// Edition year written with the name ("Vostok-2022", "Zapad-21").
    pub year: Option<i32>,
}

impl NameHit {
    /// A name as written: its edition year split off, and its series (and
    /// so its canonical name) looked up in the table.
    fn from_written(start: usize, end: usize, written: String, lex: &Lexicon) -> NameHit {
        let (base, year) = strip_year(&written);
        // "Zapad (Batı)": a gloss in parentheses is not part of the name
        let base = match base.find(" (") {
            Some(i) if base.ends_with(')') && i > 0 => base[..i].to_string(),
            _ => base,
        };
        let series = series_of(&base, lex);
        let name = series.map(|i| lex.series[i].name.clone()).unwrap_or(base);
        NameHit {
            start,
            end,
            name,
            written,
            series,
            year,
        }
    }
}

const OPEN_QUOTES: &[char] = &['“', '«', '"', '„', '‘', '‹', '「', '『'];
const CLOSE_QUOTES: &[char] = &['”', '»', '"', '“', '’', '›', '」', '』'];

/// Quoted spans `(orig_start, orig_end)` of content inside quotes in `[from, to)`.
pub fn quoted_spans(orig: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(seg) = orig.get(from..to) else {
        return out;
    };
    let mut it = seg.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !OPEN_QUOTES.contains(&c) {
            continue;
        }
        let start = i + c.len_utf8();
        let rest = &seg[start..];
        // each opening mark has its own closing marks ("China’s" is no close)
        let closers: &[char] = match c {
            '“' => &['”', '“'],
            '«' => &['»'],
            '"' => &['"', '”'],
            '„' => &['“', '”'],
            '‘' => &['’'],
            '‹' => &['›'],
            '「' => &['」'],
            '『' => &['』'],
            _ => CLOSE_QUOTES,
        };
        let close = rest
            .char_indices()
            .take_while(|(k, _)| *k < 400)
            .find(|(_, d)| closers.contains(d));
        if let Some((k, d)) = close {
            out.push((from + start, from + start + k));
            // skip past the closing quote
            while let Some(&(j, _)) = it.peek() {
                if j >= start + k + d.len_utf8() {
                    break;
                }
                it.next();
            }
        }
    }
    out
}

fn year_suffix(norm: &str, at: usize) -> Option<(usize, i32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^ ?((?:19|20)[0-9]{2}|[0-9]{2})\b").expect("regex"));
    if !norm.is_char_boundary(at.min(norm.len())) {
        return None;
    }
    let c = re.captures(norm.get(at..)?)?;
    let y = c.get(1)?;
    let v: i32 = y.as_str().parse().ok()?;
    let year = if y.as_str().len() == 2 { 2000 + v } else { v };
    Some((at + c.get(0)?.end(), year))
}

fn local_digit_of(c: char) -> Option<char> {
    let n = muster_lexicon::norm::norm_str(&c.to_string());
    n.chars().next().filter(|d| d.is_ascii_digit())
}

/// Looks up a form in the series table (strong or weak aliases, whole form).
pub fn series_of(form: &str, lex: &Lexicon) -> Option<usize> {
    let n = Norm::new(form);
    let whole = |hits: Vec<muster_lexicon::matcher::Hit<usize>>| {
        hits.into_iter()
            .find(|h| h.start == 0 && h.end >= n.text.trim_end().len())
            .map(|h| h.value)
    };
    whole(lex.series_strong.find(&n, form)).or_else(|| whole(lex.series_weak.find(&n, form)))
}

/// Strips a trailing edition year ("Vostok-2022" → "Vostok").
pub fn strip_year(name: &str) -> (String, Option<i32>) {
    // local digits ("२०१८", "۲۰۲۲") read as ASCII
    let folded: String = name
        .chars()
        .map(|c| {
            if c.is_numeric() && !c.is_ascii_digit() {
                c.to_digit(10)
                    .and_then(|d| char::from_digit(d, 10))
                    .or_else(|| local_digit_of(c))
                    .unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    let name = folded.as_str();
    static RE: OnceLock<Regex> = OnceLock::new();
    // "Zapad-2021", "Iron Defender 25", "Balance Piston 22-1" (the second
    // part of a year's series), "キーン・ソード23" (glued in scripts without
    // spaces)
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(.*?(?:\S[\s\-–‑―—－]+|[\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}・ー]))((?:19|20)[0-9]{2}|[0-9]{2})(?:[\-–‑/][0-9]|[A-Z])?$",
        )
        .expect("regex")
    });
    match re.captures(name.trim()) {
        Some(c) => {
            let y = &c[2];
            let v: i32 = y.parse().unwrap_or(0);
            (
                c[1].trim_end_matches(|ch: char| ch.is_whitespace() || "-–‑―—－".contains(ch))
                    .to_string(),
                Some(if y.len() == 2 { 2000 + v } else { v }),
            )
        }
        None => (name.trim().to_string(), None),
    }
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    // beyond two words, a name is in title case but for short function words
    let lower_long = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase) && w.chars().count() > 3)
        .count();
    if words.len() > 2 && lower_long > 0 {
        return false;
    }
    let first = s.trim().chars().next().unwrap_or(' ');
    let upper_start = first.is_uppercase()
        || (first.is_alphabetic() && !first.is_lowercase())
        || first.is_numeric();
    upper_start
        && !s.contains(['.', '!', '?', ';', ':'])
        && s.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// Where a sentence's triggers, naming verbs and name blockers are
/// (normalized byte ranges).
pub struct Cues<'c> {
    pub triggers: &'c [(usize, usize)],
    pub naming: &'c [(usize, usize)],
    pub blockers: &'c [(usize, usize)],
    /// Country mentions of the sentence: never part of a name.
    pub countries: &'c [(usize, usize)],
    /// The document speaks of armed forces or exercises somewhere.
    pub doc_military: bool,
}

/// Capitalised words right after `at` in the original text ("exercise
/// Dynamic Mariner 2025"): up to four, an edition year allowed at the end.
fn capitalised_run(orig: &str, at: usize, end: usize) -> Option<(usize, usize)> {
    let seg = orig.get(at..end)?;
    let lead = seg.len() - seg.trim_start_matches([' ', ':', '\u{a0}']).len();
    let mut pos = at + lead;
    let start = pos;
    let mut words = 0;
    for token in orig.get(pos..end)?.split(' ') {
        // "Dynamic Mariner/Flotex-25": a slash starts another name
        let w = token.split('/').next().unwrap_or(token);
        let core = w.trim_end_matches([',', '.', ';', ':', ')', '»', '"', '”']);
        let first = core.chars().next().unwrap_or(' ');
        let is_year = core.len() == 4 && core.chars().all(|c| c.is_ascii_digit());
        if words < 4
            && (first.is_uppercase() || (words > 0 && is_year))
            && core.chars().count() >= 2
        {
            pos += core.len();
            words += 1;
            if core.len() != token.len() || is_year {
                break;
            }
            pos += 1;
        } else {
            break;
        }
    }
    let stop = orig.get(start..pos)?.trim_end().len() + start;
    (words > 0).then_some((start, stop))
}

/// The word before `at` (quotes and spaces skipped) is a model designation:
/// letters and digits with at least one digit and one capital ("P-3C",
/// "Su-34", "F/A-18E").
fn after_model_code(orig: &str, at: usize) -> bool {
    let Some(head) = orig.get(..at) else {
        return false;
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || OPEN_QUOTES.contains(&c));
    let word = head.rsplit(char::is_whitespace).next().unwrap_or("");
    let shaped = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-/".contains(c));
    shaped
        && word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_uppercase())
        && !word.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// The name of a series alias found in the text, with the edition year
/// written after it (`year`: its end and value), if any.
fn series_hit(
    norm: &Norm,
    orig: &str,
    h: &muster_lexicon::matcher::Hit<usize>,
    year: Option<(usize, i32)>,
    lex: &Lexicon,
) -> Option<NameHit> {
    let end = year.map(|y| y.0).unwrap_or(h.end);
    let written = orig.get(norm.orig(h.start)..norm.orig(end))?.trim();
    (!written.is_empty()).then(|| NameHit {
        start: h.start,
        end,
        name: lex.series[h.value].name.clone(),
        written: strip_year(written).0,
        series: Some(h.value),
        year: year.map(|y| y.1),
    })
}

/// A trigger or a military word of any language ("Exercise", "Naval").
fn military_word(w: &str, lex: &Lexicon) -> bool {
    let n = Norm::new(w);
    lex.langs
        .values()
        .any(|l| !l.military.find(&n, w).is_empty() || !l.triggers.find(&n, w).is_empty())
}

/// A one-word series alias followed by another capitalised word is the
/// start of a longer name ("Bastion Lion" is not "Bastion"): the word after
/// it is capitalised, plain, and no country, month, stopword or trigger.
fn longer_name_follows(
    norm: &Norm,
    orig: &str,
    end: usize,
    to: usize,
    cues: &Cues,
    lex: &Lexicon,
) -> bool {
    let oe = norm.orig(end);
    let Some(rest) = orig.get(oe..norm.orig(to)) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let w = rest.split(' ').next().unwrap_or("");
    let w = w.trim_end_matches(|c: char| ",.;:)»\"”".contains(c));
    let first = w.chars().next().unwrap_or(' ');
    // an edition in Roman numerals ("UNITAS LXV") is no longer name
    let roman = w.chars().all(|c| "IVXLCDM".contains(c));
    if roman
        || !first.is_uppercase()
        || !w.chars().all(char::is_alphabetic)
        || w.chars().count() < 3
    {
        return false;
    }
    let nw = norm_str(w);
    let (ws, we) = (end + 1, end + 1 + nw.len());
    let known = military_word(w, lex)
        || lex.langs.values().any(|l| {
            l.month_forms.contains_key(&nw)
                || l.weekday_forms.contains_key(&nw)
                || l.stopwords.contains(&nw)
        });
    !known && !cues.countries.iter().any(|c| c.0 < we && ws < c.1)
}

/// Names in one sentence `[from, to)` (normalized offsets).
pub fn find_names(
    norm: &Norm,
    orig: &str,
    (from, to): (usize, usize),
    cues: &Cues,
    lex: &Lexicon,
) -> Vec<NameHit> {
    let (triggers, naming, blockers, doc_military) =
        (cues.triggers, cues.naming, cues.blockers, cues.doc_military);
    let mut out: Vec<NameHit> = Vec::new();
    // reach in characters, whatever the script's bytes per letter
    let gap = |a: usize, b: usize| muster_lexicon::norm::chars_between(&norm.text, a, b);
    let near_trigger = |s: usize, e: usize, reach: usize| {
        triggers
            .iter()
            .chain(naming)
            .any(|&(ts, te)| (te <= s && gap(te, s) <= reach) || (ts >= e && gap(e, ts) <= reach))
    };
    // 1. quoted names next to a trigger or naming verb
    let (ofrom, oto) = (norm.orig(from), norm.orig(to));
    for (qs, qe) in quoted_spans(orig, ofrom, oto) {
        let content = orig[qs..qe].trim();
        let (ns, ne) = (norm.norm_of(qs), norm.norm_of(qe));
        if !looks_like_name(content) || !near_trigger(ns.saturating_sub(1), ne + 1, 28) {
            continue;
        }
        // a ship's or a paper's name: "the frigate «Admiral Kasatonov»"
        // ... or a unit's: "unter dem Namen „Brigade Litauen“"
        let opens_with_blocker = blockers.iter().any(|&(bs, _)| bs >= ns && bs <= ns + 3);
        if opens_with_blocker || blockers.iter().any(|&(_, be)| be <= ns && ns - be <= 3) {
            continue;
        }
        // a quoted country or force ("「東部戦区」") is no exercise, nor the
        // name right after one ("the IRGC commander “...”")
        if cues
            .countries
            .iter()
            .any(|&(cs, ce)| (cs <= ns && ce >= ne) || (ce <= ns && gap(ce, ns) <= 3))
        {
            continue;
        }
        // an aircraft's or a missile's nickname: P-3C "Orion", Su-34 «Fullback»
        if after_model_code(orig, qs) {
            continue;
        }
        out.push(NameHit::from_written(ns, ne, content.to_string(), lex));
    }
    // 2. series aliases (capitalised) near a trigger, or with an edition
    //    year, or anywhere in a military text when the alias is distinctive
    //    (several words, or written in capitals like "BALTOPS")
    for h in lex.series_strong.find_in(norm, orig, from, to) {
        if out.iter().any(|o| h.start < o.end && o.start < h.end) {
            continue;
        }
        let o = norm.orig(h.start);
        let cap = orig
            .get(o..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| !c.is_lowercase());
        let year = year_suffix(&norm.text[..to], h.end);
        let form = orig.get(o..norm.orig(h.end)).unwrap_or("");
        let distinctive = form.split_whitespace().count() >= 2
            || (form.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !form.chars().any(char::is_lowercase));
        if !cap
            || !(near_trigger(h.start, h.end, 40)
                || year.is_some()
                || (doc_military && distinctive))
        {
            continue;
        }
        if after_model_code(orig, o)
            || (year.is_none() && longer_name_follows(norm, orig, h.end, to, cues, lex))
        {
            continue;
        }
        out.extend(series_hit(norm, orig, &h, year, lex));
    }
    // 2b. an ordinary-word alias taken as a name: capitalised with an
    //     edition year ("Aurora 17", "Запад-2021"); written in capitals near
    //     a trigger ("PANAMAX"); or, in a script without capitals, right
    //     beside a trigger ("سالانہ شاہین فضائی مشقوں", "مشق امن 2025")
    for h in lex.series_weak.find_in(norm, orig, from, to) {
        if out.iter().any(|o| h.start < o.end && o.start < h.end) {
            continue;
        }
        let o = norm.orig(h.start);
        let first = orig.get(o..).and_then(|r| r.chars().next()).unwrap_or(' ');
        let caseless = first.is_alphabetic() && !first.is_uppercase() && !first.is_lowercase();
        let year = year_suffix(&norm.text[..to], h.end);
        let beside = triggers.iter().any(|&(ts, te)| {
            (te <= h.start && gap(te, h.start) <= 8) || (ts >= h.end && gap(h.end, ts) <= 8)
        });
        let form = orig.get(o..norm.orig(h.end)).unwrap_or("");
        let letters = form.chars().filter(|c| c.is_alphabetic()).count();
        let all_caps = letters >= 4 && !form.chars().any(char::is_lowercase) && !caseless;
        // the year must be written like an edition: four digits, or two
        // joined by a hyphen ("Запад-21"); "Este 24 de marzo" is a date,
        // and a capital opening the sentence says nothing
        let after = orig.get(norm.orig(h.end)..).and_then(|r| r.chars().next());
        let edition = year.is_some_and(|(ye, _)| {
            let digits = norm.text[h.end..ye].trim().len();
            // "24 de marzo", "24 March": a day, not an edition
            let next: Vec<&str> = norm.text[ye..to].split_whitespace().take(2).collect();
            let month_follows = next.iter().any(|w| {
                lex.langs
                    .values()
                    .any(|l| l.month_forms.contains_key(w.trim_end_matches([',', '.'])))
            });
            digits == 4 || after.is_some_and(|c| "-‑–".contains(c)) || !month_follows
        });
        let opens_sentence = orig[norm.orig(from)..o].trim().is_empty();
        let taken = (first.is_uppercase() && edition && !opens_sentence && doc_military)
            || (all_caps && near_trigger(h.start, h.end, 40))
            || (caseless && beside);
        if taken {
            out.extend(series_hit(norm, orig, &h, year, lex));
        }
    }
    // 3b. capitalised words right after a trigger ("el ejercicio Dynamic
    //     Mariner", "Exercise Talisman Sabre"), when they are no country,
    //     month or weekday and not the start of a new sentence
    let calendar = |w: &str| {
        let n = norm_str(w);
        lex.langs.values().any(|l| {
            l.month_forms.contains_key(&n)
                || l.weekday_forms.contains_key(&n)
                || l.stopwords.contains(&n)
        })
    };
    for &(_, te) in triggers {
        // an apposition is allowed: "el mayor ejercicio militar de 2025, Dynamic Mariner"
        let mut at = norm.orig(te);
        if let Some(tail) = orig.get(at..norm.orig(to)) {
            if let Some(comma) = tail.find(',') {
                let head = &tail[..comma];
                if comma <= 40
                    && !head
                        .chars()
                        .any(|c| c.is_uppercase() || ".;:\"«»“”".contains(c))
                {
                    at += comma + 1;
                }
            }
        }
        let Some((os, oe)) = capitalised_run(orig, at, norm.orig(to)) else {
            continue;
        };
        let (s, e) = (norm.norm_of(os), norm.norm_of(oe));
        let written = orig[os..oe].to_string();
        let first_word = written.split_whitespace().next().unwrap_or("");
        // the run must end the phrase ("Dynamic Mariner, ...", "(...)"), and a
        // single word must look like a code name (capitals, or an edition)
        let after = orig[oe..].trim_start_matches(' ').chars().next();
        let ends_phrase = after.is_none_or(|c| ",/().;:»\"”-–".contains(c) || c.is_ascii_digit());
        let single = written.split_whitespace().count() == 1;
        let code_like =
            !written.chars().any(char::is_lowercase) || written.chars().any(|c| c.is_ascii_digit());
        if os > at + 2
            || !ends_phrase
            || (single && !code_like)
            || calendar(first_word)
            || cues.countries.iter().any(|c| c.0 < e && s < c.1)
            || out.iter().any(|o| s < o.end && o.start < e)
            || !looks_like_name(&written)
        {
            continue;
        }
        out.push(NameHit::from_written(s, e, written, lex));
    }
    // 3c. capitalised words right before a trigger ("the Bastion Lion
    //     exercise", "de Zebra Sword-oefening"): two to four of them, none a
    //     country, month, stopword or military word, in a sentence that is
    //     not written in title case
    let (ofrom_s, _) = (norm.orig(from), ());
    let sentence = orig.get(ofrom_s..norm.orig(to)).unwrap_or("");
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let title_case = words.len() >= 4
        && words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count()
            * 2
            > words.len();
    for &(ts, _) in triggers.iter().filter(|_| !title_case) {
        let ots = norm.orig(ts);
        let Some(head) = orig.get(ofrom_s..ots) else {
            continue;
        };
        // "Zebra Sword-oefening": the run may be glued to the trigger by a hyphen
        let head = head.strip_suffix(['-', '‑']).unwrap_or(head);
        if !head.ends_with(' ') && head.len() == orig.get(ofrom_s..ots).map_or(0, str::len) {
            continue;
        }
        let mut head = head.trim_end();
        // "Bastion Lion, de grootste landmachtoefening", "Zebra Sword: een
        // grootschalige oefening": an apposition of a few lower-case words
        // between the name and its trigger
        let mut apposition = false;
        if let Some(comma) = head.rfind([',', ':', '–', '—']) {
            let between = &head[comma + head[comma..].chars().next().map_or(1, char::len_utf8)..];
            if (1..=3).contains(&between.split_whitespace().count())
                && !between
                    .chars()
                    .any(|c| c.is_uppercase() || c.is_ascii_digit())
            {
                head = head[..comma].trim_end();
                apposition = true;
            }
        }
        // walk back word by word
        let mut start = head.len();
        let mut count = 0;
        let mut word_end = head.len();
        while count < 4 {
            let ws = head[..word_end].rfind(' ').map_or(0, |i| i + 1);
            let w = &head[ws..word_end];
            let first = w.chars().next().unwrap_or(' ');
            let plain = w.chars().all(|c| c.is_alphanumeric() || c == '-');
            if !first.is_uppercase()
                || !plain
                || calendar(w)
                || military_word(w, lex)
                || w.chars().count() < 2
            {
                break;
            }
            start = ws;
            count += 1;
            if ws == 0 {
                break;
            }
            word_end = ws - 1;
        }
        // the run may not open the sentence: a capital there says nothing
        if count < 2 || (start == 0 && !apposition) {
            continue;
        }
        // a capitalised word just before the run that could not join it
        // ("Admiral Samuel Paparo, ...") makes it a person's title and name
        let before_run = head[..start].trim_end().rsplit(' ').next().unwrap_or("");
        if before_run.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let (os, oe) = (ofrom_s + start, ofrom_s + head.len());
        let (s, e) = (norm.norm_of(os), norm.norm_of(oe));
        let written = orig[os..oe].to_string();
        if cues.countries.iter().any(|c| c.0 < e && s < c.1)
            || out.iter().any(|o| s < o.end && o.start < e)
            || !looks_like_name(&written)
        {
            continue;
        }
        out.push(NameHit::from_written(s, e, written, lex));
    }
    // 3. capitalised words after a naming verb ("dubbed Northern Thunder")
    for &(_, ne) in naming {
        let os = norm.orig(ne);
        let Some(rest0) = orig.get(os..norm.orig(to)) else {
            continue;
        };
        let rest = rest0.trim_start();
        let skip = rest0.len() - rest.len();
        if rest.starts_with(OPEN_QUOTES) {
            continue;
        }
        let mut end = 0;
        let mut words = 0;
        for w in rest.split(' ') {
            let first = w.chars().next().unwrap_or(' ');
            if words < 4 && (first.is_uppercase() || (words > 0 && first.is_numeric())) {
                end += w.len() + 1;
                words += 1;
            } else {
                break;
            }
        }
        if words == 0 {
            continue;
        }
        let written = muster_lexicon::norm::before(rest, 0, end.saturating_sub(1), usize::MAX)
            .trim_end_matches([',', '.', ';', ':', ')'])
            .to_string();
        let s = norm.norm_of(os + skip);
        let e = norm.norm_of(os + skip + written.len());
        if out.iter().any(|o| s < o.end && o.start < e) || !looks_like_name(&written) {
            continue;
        }
        out.push(NameHit::from_written(s, e, written, lex));
    }
    // 4. a parenthesised quoted alias right after a name: «Vostok» (« Est », ...)
    let mut aliases = Vec::new();
    for n in &out {
        let after = norm.orig(n.end);
        let Some(tail) = orig.get(after..norm.orig(to)) else {
            continue;
        };
        let lead = tail.len()
            - tail
                .trim_start_matches(['»', '”', '"', ' ', '\u{a0}', '('])
                .len();
        if lead == 0 || !tail[..lead].contains('(') {
            continue;
        }
        if let Some(&(qs, qe)) = quoted_spans(orig, after, norm.orig(to)).first() {
            if qs <= after + lead + 3 {
                let content = orig[qs..qe].trim();
                if looks_like_name(content) {
                    aliases.push(NameHit {
                        start: norm.norm_of(qs),
                        end: norm.norm_of(qe),
                        name: n.name.clone(),
                        written: content.to_string(),
                        series: n.series,
                        year: n.year,
                    });
                }
            }
        }
    }
    for a in aliases {
        if let Some(existing) = out.iter_mut().find(|o| o.start == a.start) {
            existing.name = a.name;
            existing.series = a.series;
        } else {
            out.push(a);
        }
    }
    out.sort_by_key(|n| n.start);
    out.dedup_by(|b, a| b.start < a.end);
    // "«Mer conjointe-2021» (Joint Sea-2021)": side by side, one exercise;
    // the series table's name wins
    for i in 1..out.len() {
        let gap = norm.text.get(out[i - 1].end..out[i].start).unwrap_or("x");
        if gap.trim_matches([' ', '"', '(', ')', ',', '/']).is_empty() && gap.contains(['(', '/']) {
            let (a, b) = (out[i - 1].clone(), out[i].clone());
            let (name, series) = if b.series.is_some() && a.series.is_none() {
                (b.name, b.series)
            } else {
                (a.name, a.series)
            };
            let year = a.year.or(b.year);
            for k in [i - 1, i] {
                out[k].name = name.clone();
                out[k].series = series;
                out[k].year = year;
            }
        }
    }
    // "the 1988 Reforger drill", "the 2021 Zapad exercise": an edition year
    // written right before the name, unless it opens a run ("since 2012")
    for n in out.iter_mut().filter(|n| n.year.is_none()) {
        if let Some(y) = year_before(norm, orig, n.start, from, lex) {
            n.year = Some(y);
        }
    }
    let _ = norm_str;
    out
}

/// A year of four digits right before normalized offset `at` ("1988 "),
/// not glued to other digits, and not after a start cue.
fn year_before(norm: &Norm, orig: &str, at: usize, floor: usize, lex: &Lexicon) -> Option<i32> {
    let head = norm.text.get(floor..at)?.strip_suffix(' ')?;
    let digits = head.get(head.len().checked_sub(4)?..)?;
    let y: i32 = digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()?;
    if !(1900..=2099).contains(&y) {
        return None;
    }
    let rest = &head[..head.len() - 4];
    if rest.ends_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let ys = floor + rest.len();
    let back = muster_lexicon::norm::before(&norm.text, floor, ys, 16);
    let since = lex.langs.values().any(|l| {
        l.start_cues
            .find_in(norm, orig, ys - back.len(), ys)
            .iter()
            .any(|h| h.end + 1 >= ys)
    });
    (!since).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_paired() {
        let t = "exercises «Vostok» (« Est », en français) and “Eagle Assault”";
        let q: Vec<&str> = quoted_spans(t, 0, t.len())
            .iter()
            .map(|&(s, e)| t[s..e].trim())
            .collect();
        assert_eq!(q, vec!["Vostok", "Est", "Eagle Assault"]);
    }

    #[test]
    fn years_are_stripped_from_names() {
        assert_eq!(
            strip_year("Vostok-2022"),
            ("Vostok".to_string(), Some(2022))
        );
        assert_eq!(strip_year("Zapad 21"), ("Zapad".to_string(), Some(2021)));
        assert_eq!(
            strip_year("Eagle Assault"),
            ("Eagle Assault".to_string(), None)
        );
        let y = |s: &str| strip_year(s);
        assert_eq!(
            y("Balance Piston 22-1"),
            ("Balance Piston".into(), Some(2022))
        );
        assert_eq!(y("キーン・ソード23"), ("キーン・ソード".into(), Some(2023)));
        assert_eq!(y("Flotex-25"), ("Flotex".into(), Some(2025)));
        // digits glued to a Latin word are part of the name
        assert_eq!(y("F16"), ("F16".into(), None));
        assert_eq!(y("Red Flag 2023-3"), ("Red Flag".into(), Some(2023)));
        // full-width digits after a long dash; a lettered edition of a year
        assert_eq!(y("正義使命―２０２５"), ("正義使命".into(), Some(2025)));
        assert_eq!(y("联合利剑-2024A"), ("联合利剑".into(), Some(2024)));
    }

    #[test]
    fn name_shapes() {
        assert!(looks_like_name("Eagle Assault"));
        assert!(looks_like_name("Shoulder to Shoulder"));
        assert!(!looks_like_name("Vorbereitung auf einen Konflikt"));
        assert!(!looks_like_name(
            "hostage releases and counter-terrorism operations"
        ));
        assert!(!looks_like_name(
            "It is a way of threatening the West, by showing. Yes"
        ));
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    fn names_in(text: &str, lang: &str) -> Vec<String> {
        hits_in(text, lang).into_iter().map(|h| h.name).collect()
    }

    fn hits_in(text: &str, lang: &str) -> Vec<NameHit> {
        let lex = Lexicon::get();
        let l = lex.lang(lang).unwrap();
        let n = Norm::new(text);
        let triggers: Vec<(usize, usize)> = l
            .triggers
            .find(&n, text)
            .into_iter()
            .map(|h| (h.start, h.end))
            .collect();
        let naming: Vec<(usize, usize)> = l
            .naming
            .find(&n, text)
            .into_iter()
            .map(|h| (h.start, h.end))
            .collect();
        let cues = Cues {
            triggers: &triggers,
            naming: &naming,
            blockers: &[],
            countries: &[],
            doc_military: true,
        };
        find_names(&n, text, (0, n.text.len()), &cues, lex)
    }

    #[test]
    fn unknown_names_after_a_trigger_or_its_apposition() {
        assert_eq!(
            names_in("iniciaron el mayor ejercicio militar de 2025, Dynamic Mariner/Flotex-25, que durará", "es"),
            vec!["Dynamic Mariner"]
        );
        assert_eq!(
            names_in("Troops began exercise Iron Falcon, officials said.", "en"),
            vec!["Iron Falcon"]
        );
    }

    #[test]
    fn an_edition_year_before_a_name() {
        let year = |t: &str, l: &str| hits_in(t, l).first().and_then(|h| h.year);
        assert_eq!(
            year("the biggest since the 1988 Reforger drill", "en"),
            Some(1988)
        );
        assert_eq!(
            year("held every year since 2012 Joint Sea drills", "en"),
            None
        );
        assert_eq!(year("unit 12021 Reforger", "en"), None);
    }

    #[test]
    fn names_before_a_trigger_or_its_apposition() {
        assert_eq!(
            names_in(
                "Dutch troops began the Bastion Lion exercise in Germany.",
                "en"
            ),
            vec!["Bastion Lion"]
        );
        assert_eq!(
            names_in(
                "Bastion Lion, de grootste landmachtoefening van dit jaar, traint",
                "nl"
            ),
            vec!["Bastion Lion"]
        );
        assert_eq!(
            names_in(
                "Drie brigades doen mee aan Zebra Sword: een grootschalige oefening in Nederland.",
                "nl"
            ),
            vec!["Zebra Sword"]
        );
        // a person with a title is no name, nor a name right before a trigger
        // that opens another phrase
        assert!(names_in(
            "Kata Laksamana Samuel Paparo, menekankan bahwa latihan ini",
            "id"
        )
        .is_empty());
        assert!(names_in("la visita di Nancy Pelosi, manovre definite gravi", "it").is_empty());
        // a title-case headline or a run opening the sentence is no name
        assert!(names_in("Russia Launches Massive Snap Exercise Near Border", "en").is_empty());
        assert!(names_in("Army Units began an exercise.", "en").is_empty());
    }

    #[test]
    fn ordinary_word_aliases_need_a_year_capitals_or_a_trigger_beside_them() {
        assert_eq!(
            names_in("Die letzte Ausgabe, Aurora 17, war groß", "de"),
            vec!["Aurora"]
        );
        assert_eq!(
            names_in("چین سالانہ شاہین فضائی مشقوں کی میزبانی", "ur"),
            vec!["Shaheen"]
        );
        // the ordinary word alone is no name, nor a capitalised one opening
        // the sentence, nor one before a day of a month
        assert!(names_in("The aurora lit the sky over the exercise area.", "en").is_empty());
        assert!(names_in("Este 24 de marzo empezó el ejercicio naval", "es").is_empty());
        assert!(names_in("Ayer, Este 24 de marzo empezó el ejercicio naval", "es").is_empty());
    }

    #[test]
    fn model_nicknames_and_glosses() {
        assert!(names_in(
            "An der Übung nimmt ein Seefernaufklärer P-3C \"Orion\" teil.",
            "de"
        )
        .is_empty());
        assert_eq!(
            names_in(
                "ortak stratejik tatbikatı \"Zapad (Batı)-2025\" başladı",
                "tr"
            ),
            vec!["Zapad"]
        );
    }

    #[test]
    fn a_series_alias_inside_a_longer_name_is_not_the_series() {
        // "Bastión" (Cuba) is a series, "Bastion Lion" another exercise
        let n = names_in("the Bastion Lion exercise", "en");
        assert_eq!(n, vec!["Bastion Lion"]);
        // a Roman-numeral edition does not lengthen the name
        assert_eq!(
            names_in("the exercise UNITAS LXV began", "en"),
            vec!["UNITAS"]
        );
    }

    #[test]
    fn a_person_or_a_verb_after_a_trigger_is_no_name() {
        assert!(names_in("It was a large drill, Lukashenko said.", "en").is_empty());
        assert!(names_in("The exercise Started on Monday with tanks.", "en").is_empty());
    }

    #[test]
    fn series_aliases_resolve_to_one_name() {
        assert_eq!(
            names_in("China will join the exercises «Vostok» in Russia", "en"),
            vec!["Vostok"]
        );
        assert_eq!(
            names_in("учения «Запад-2021» начались", "ru"),
            vec!["Zapad"]
        );
    }
}
