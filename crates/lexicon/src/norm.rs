//! The matching view of a text: lower-cased, accents folded (Latin, Greek,
//! Cyrillic), dashes as spaces, whitespace collapsed, quotes and apostrophes
//! unified, local digits as ASCII. Every byte of the view maps back to a byte
//! of the original, so a match in the view is a span in the original.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

#[derive(Debug, Clone, Default)]
pub struct Norm {
    pub text: String,
    /// `map[i]` is the original byte offset of normalized byte `i`;
    /// `map[text.len()]` is the original length.
    map: Vec<usize>,
}

impl Norm {
    pub fn new(orig: &str) -> Norm {
        let mut text = String::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len() + 1);
        let mut buf = String::new();
        for (i, c) in orig.char_indices() {
            if c.is_ascii() {
                let b = fold_ascii(c);
                if b == ' ' && (text.is_empty() || text.ends_with(' ')) {
                    continue;
                }
                text.push(b);
                map.push(i);
                continue;
            }
            buf.clear();
            fold_char(c, &mut buf);
            for b in buf.chars() {
                if b == ' ' && (text.is_empty() || text.ends_with(' ')) {
                    continue;
                }
                let before = text.len();
                text.push(b);
                map.extend(std::iter::repeat_n(i, text.len() - before));
            }
        }
        map.push(orig.len());
        Norm { text, map }
    }

    /// Original byte offset of a normalized byte offset.
    pub fn orig(&self, i: usize) -> usize {
        self.map
            .get(i)
            .copied()
            .unwrap_or_else(|| *self.map.last().unwrap_or(&0))
    }

    /// First normalized byte whose original offset is at or after `orig`.
    pub fn norm_of(&self, orig: usize) -> usize {
        self.map.partition_point(|&m| m < orig).min(self.text.len())
    }

    /// Original byte range of a normalized range, trimmed of the trailing
    /// whitespace that collapsing may have pulled in.
    pub fn orig_range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.orig(start), self.orig(end))
    }
}

/// The text of at most `back` characters before `end`, never starting
/// before `floor` and never cutting a character.
pub fn before(text: &str, floor: usize, end: usize, back: usize) -> &str {
    let mut end = end.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut floor = floor.min(end);
    while floor < end && !text.is_char_boundary(floor) {
        floor += 1;
    }
    let seg = &text[floor..end];
    let skip = seg.chars().count().saturating_sub(back);
    let start = seg
        .char_indices()
        .nth(skip)
        .map(|(i, _)| i)
        .unwrap_or(seg.len());
    &seg[start..]
}

/// Number of characters of `text` between two byte offsets.
pub fn chars_between(text: &str, a: usize, b: usize) -> usize {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let mut a = a.min(text.len());
    while a < text.len() && !text.is_char_boundary(a) {
        a += 1;
    }
    let mut b = b.min(text.len()).max(a);
    while b > a && !text.is_char_boundary(b) {
        b -= 1;
    }
    text[a..b].chars().count()
}

/// A lower-case id made of `s`'s letters and digits (any script) joined by
/// single hyphens: "Vostok-2022" → "vostok-2022", "Щит Союза" → "щит-союза".
pub fn slug(s: &str) -> String {
    let n = norm_str(s);
    let mut out = String::new();
    for c in n.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Normalizes a lexicon entry the same way as a text (no offsets needed).
pub fn norm_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_into(s, &mut out);
    out
}

/// Appends the normalized, trimmed form of `s` to `out` (the text of
/// [`Norm::new`] without its offset map: for loading large name lists).
pub fn norm_into(s: &str, out: &mut String) {
    let base = out.len();
    let mut buf = String::new();
    for c in s.chars() {
        if c.is_ascii() {
            let b = fold_ascii(c);
            if !(b == ' ' && (out.len() == base || out.ends_with(' '))) {
                out.push(b);
            }
            continue;
        }
        buf.clear();
        fold_char(c, &mut buf);
        for b in buf.chars() {
            if b == ' ' && (out.len() == base || out.ends_with(' ')) {
                continue;
            }
            out.push(b);
        }
    }
    let end = out[base..].trim_end().len();
    out.truncate(base + end);
}

fn is_foldable_script(c: char) -> bool {
    let u = c as u32;
    u < 0x0250 // Latin, Latin-1, Latin Extended A/B
        || (0x0370..0x0530).contains(&u) // Greek, Cyrillic
        || (0x1E00..0x1F00).contains(&u) // Latin Extended Additional
}

fn local_digit(c: char) -> Option<char> {
    let u = c as u32;
    let base = [
        0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
        0x0E50, 0xFF10,
    ];
    for b in base {
        if (b..b + 10).contains(&u) {
            return char::from_digit(u - b, 10);
        }
    }
    None
}

/// What [`fold_char`] makes of an ASCII character (one character, no
/// buffer: most text is ASCII).
fn fold_ascii(c: char) -> char {
    match c {
        '-' => ' ',
        '`' => '\'',
        c if c.is_whitespace() => ' ',
        c => c.to_ascii_lowercase(),
    }
}

fn fold_char(c: char, out: &mut String) {
    match c {
        c if c.is_whitespace() => out.push(' '),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{00AD}' => out.push(' '),
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' | '\u{2032}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2039}'
        | '\u{203A}' | '\u{300C}' | '\u{300D}' => out.push('"'),
        '\u{0153}' | '\u{0152}' => out.push_str("oe"),
        '\u{00E6}' | '\u{00C6}' => out.push_str("ae"),
        '\u{00DF}' => out.push_str("ss"),
        '\u{0131}' => out.push('i'),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
        c => {
            let c = indic_short(c);
            if let Some(d) = local_digit(c) {
                out.push(d);
                return;
            }
            if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                // full-width ASCII
                let a = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
                out.extend(a.to_lowercase());
                return;
            }
            if is_foldable_script(c) {
                let mut any = false;
                decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        out.extend(d.to_lowercase());
                        any = true;
                    }
                });
                if !any {
                    out.extend(c.to_lowercase());
                }
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// Long vowels of Devanagari, Bengali and Tamil as their short forms
/// (signs and letters: ी → ि, ূ → ু, ஈ → இ), since transliterated names
/// are written either way ("সম্প্রীতি" / "সম্প্রিতি"); any other character
/// as itself.
pub fn indic_short(c: char) -> char {
    match c {
        // Devanagari
        '\u{0940}' => '\u{093F}',
        '\u{0942}' => '\u{0941}',
        '\u{0908}' => '\u{0907}',
        '\u{090A}' => '\u{0909}',
        // Bengali
        '\u{09C0}' => '\u{09BF}',
        '\u{09C2}' => '\u{09C1}',
        '\u{0988}' => '\u{0987}',
        '\u{098A}' => '\u{0989}',
        // Tamil
        '\u{0BC0}' => '\u{0BBF}',
        '\u{0BC2}' => '\u{0BC1}',
        '\u{0B88}' => '\u{0B87}',
        '\u{0B8A}' => '\u{0B89}',
        c => c,
    }
}

/// A regular expression to run on the normalized view, with its literal
/// characters folded as the view folds them (only the folds that cannot
/// touch regex syntax: Indic vowel length).
pub fn fold_pattern(src: &str) -> String {
    src.chars().map(indic_short).collect()
}

/// Whether a character belongs to a script written without spaces between
/// words, where matches need no word boundary.
pub fn is_unspaced(c: char) -> bool {
    let u = c as u32;
    (0x3040..0x3100).contains(&u) // kana
        || (0x3400..0xA000).contains(&u) // CJK
        || (0xAC00..0xD7B0).contains(&u) // Hangul syllables (particles attach)
        || (0x0E00..0x0E80).contains(&u) // Thai
        || (0xF900..0xFB00).contains(&u)
}

/// True when `c` continues a word (so a match may not end or start beside it).
pub fn is_word_char(c: char) -> bool {
    // combining marks (virama, nukta, matras) are inside words
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_unspaced(c) || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folds_as_fold_char_does() {
        for c in (0u8..128).map(char::from) {
            let mut s = String::new();
            fold_char(c, &mut s);
            assert_eq!(s, fold_ascii(c).to_string(), "{c:?}");
        }
    }

    #[test]
    fn folds_case_accents_dashes_and_quotes() {
        let n = Norm::new("Manœuvres  près du «Vostok» – Biélorussie");
        assert_eq!(
            n.text,
            "manoeuvres pres du \"vostok\" biélorussie".replace('é', "e")
        );
    }

    #[test]
    fn indic_vowel_length_is_folded() {
        assert_eq!(norm_str("সম্প্রীতি"), norm_str("সম্প্রিতি"));
        assert_eq!(norm_str("अभ्यास पूरा"), norm_str("अभ्यास पुरा"));
        assert_eq!(norm_str("வீரர்"), norm_str("விரர்"));
        // the view keeps its offsets into the original
        let n = Norm::new("মৈত্রী অভ্যাস");
        assert_eq!(n.text.len(), "মৈত্রী অভ্যাস".len());
        assert_eq!(n.orig(n.text.len()), "মৈত্রী অভ্যাস".len());
        assert_eq!(fold_pattern(r"(?:ी|\d+)"), r"(?:ि|\d+)");
    }

    #[test]
    fn norm_str_is_the_trimmed_text_of_norm() {
        for t in [
            "  Manœuvres  près – du «Vostok»  ",
            "ＡＢＣ ١٢ Straße",
            "",
            " - ",
        ] {
            assert_eq!(norm_str(t), Norm::new(t).text.trim());
        }
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let orig = "L’Inde, la Biélorussie";
        let n = Norm::new(orig);
        let i = n.text.find("bielorussie").unwrap();
        let (s, e) = n.orig_range(i, i + "bielorussie".len());
        assert_eq!(&orig[s..e], "Biélorussie");
    }

    #[test]
    fn local_digits_become_ascii() {
        assert_eq!(Norm::new("٢٠٢٤ ２０２４ २०२४").text, "2024 2024 2024");
    }

    #[test]
    fn cyrillic_short_i_folds_consistently() {
        assert_eq!(norm_str("Учений"), norm_str("учении"));
    }

    #[test]
    fn before_never_cuts_a_character() {
        let t = "ab東方cd";
        assert_eq!(before(t, 0, 5, 2), "b東");
        assert_eq!(before(t, 0, 8, 1), "方");
        assert_eq!(before(t, 2, 8, 99), "東方");
        assert_eq!(before(t, 3, 8, 99), "方");
        assert_eq!(chars_between(t, 0, 8), 4);
    }

    #[test]
    fn cjk_is_unspaced() {
        assert!(is_unspaced('东'));
        assert!(!is_word_char('东'));
        assert!(is_word_char('a'));
    }
}
