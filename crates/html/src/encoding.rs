//! Bytes → text. The order follows what browsers do: a byte-order mark,
//! then a `<meta charset>` or `http-equiv` declaration near the top, then a
//! guess from the bytes themselves (`chardetng`).

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// How far into the page a `<meta charset>` is looked for. The standard
/// says 1024 bytes; real pages put it later, after long comments or scripts.
const PRESCAN_BYTES: usize = 8192;

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Meta,
    Sniffed,
}

/// Decodes a page; returns the text (borrowed when the bytes are already
/// UTF-8), the encoding's name and how it was chosen.
pub fn decode_page<'a>(
    bytes: &'a [u8],
    url: Option<&str>,
) -> (Cow<'a, str>, &'static str, EncodingSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc.name(), EncodingSource::Bom);
    }
    if let Some(enc) = declared_encoding(bytes) {
        let enc = utf8_beats_latin_label(enc, bytes);
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text, enc.name(), EncodingSource::Meta);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), UTF_8.name(), EncodingSource::Sniffed);
    }
    let enc = sniff(bytes, url);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc.name(), EncodingSource::Sniffed)
}

/// A page labelled with a single-byte Western encoding whose bytes are
/// valid UTF-8 with non-ASCII characters was saved as UTF-8 and mislabelled
/// (a common CMS slip); valid UTF-8 of any length is almost never chance.
fn utf8_beats_latin_label(declared: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    let latin = declared == encoding_rs::WINDOWS_1252 || declared.name() == "ISO-8859-15";
    if latin && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        declared
    }
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` names in the first bytes of the page.
/// UTF-16 labels are read as UTF-8, as the standard asks (a page that got
/// this far without a UTF-16 byte-order mark is not UTF-16).
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = memchr::memchr(b'>', &lower[start..])
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .take_while(|&&b| !(b.is_ascii_whitespace() || b"\"';/>".contains(&b)))
                    .count();
                if let Some(enc) = Encoding::for_label(&rest[..len]) {
                    return Some(
                        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                            UTF_8
                        } else {
                            enc
                        },
                    );
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Guesses the encoding from the bytes; the URL's top-level domain helps
/// choose between encodings that share byte ranges.
fn sniff(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let tld = url.and_then(top_level_domain);
    det.guess(tld.as_deref().map(str::as_bytes), true)
}

fn top_level_domain(url: &str) -> Option<String> {
    let host = url
        .split("://")
        .nth(1)?
        .split(['/', '?', '#', ':'])
        .next()?;
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, bad) = enc.encode(s);
        assert!(!bad, "{} cannot write the test text", enc.name());
        b.into_owned()
    }

    /// A page in our own words, long enough for the detector to judge.
    fn page(meta: &str, body: &str) -> String {
        format!("<html><head>{meta}<title>t</title></head><body><p>{body}</p><p>{body}</p><p>{body}</p></body></html>")
    }

    const RUSSIAN: &str =
        "Учения флота начались в понедельник у побережья, в них участвуют корабли и самолёты.";
    const CHINESE: &str = "海军演习于星期一开始，多艘舰艇和飞机参加了这次联合训练，持续五天。";
    const JAPANESE: &str = "海上自衛隊の訓練は月曜日に始まり、艦艇と航空機が参加して五日間続いた。";
    const KOREAN: &str = "해군 훈련은 월요일에 시작되었으며 여러 척의 함정과 항공기가 참가하여 닷새 동안 계속되었다.";

    #[test]
    fn meta_charset_is_read() {
        for (enc, label, text) in [
            (encoding_rs::WINDOWS_1251, "windows-1251", RUSSIAN),
            (encoding_rs::GB18030, "gb18030", CHINESE),
            (encoding_rs::SHIFT_JIS, "shift_jis", JAPANESE),
            (encoding_rs::EUC_KR, "euc-kr", KOREAN),
        ] {
            let html = page(&format!("<meta charset=\"{label}\">"), text);
            let bytes = encode(enc, &html);
            let (decoded, name, source) = decode_page(&bytes, None);
            assert_eq!(source, EncodingSource::Meta);
            assert_eq!(name, enc.name());
            assert!(decoded.contains(text), "{label}");
        }
    }

    #[test]
    fn http_equiv_content_type_is_read() {
        let html = page(
            "<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Shift_JIS'>",
            JAPANESE,
        );
        let bytes = encode(encoding_rs::SHIFT_JIS, &html);
        let (decoded, name, _) = decode_page(&bytes, None);
        assert_eq!(name, "Shift_JIS");
        assert!(decoded.contains(JAPANESE));
    }

    #[test]
    fn undeclared_pages_are_sniffed() {
        for (enc, text, url) in [
            (encoding_rs::WINDOWS_1251, RUSSIAN, "https://example.ru/a"),
            (encoding_rs::GBK, CHINESE, "https://example.cn/a"),
            (encoding_rs::SHIFT_JIS, JAPANESE, "https://example.jp/a"),
            (encoding_rs::EUC_KR, KOREAN, "https://example.kr/a"),
        ] {
            let html = page("", text);
            let bytes = encode(enc, &html);
            let (decoded, _, source) = decode_page(&bytes, Some(url));
            assert_eq!(source, EncodingSource::Sniffed);
            assert!(decoded.contains(text), "{}", enc.name());
        }
    }

    #[test]
    fn byte_order_mark_wins_over_meta() {
        let html = page("<meta charset=windows-1251>", "naïve café");
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(html.as_bytes());
        let (decoded, name, source) = decode_page(&bytes, None);
        assert_eq!((name, source), ("UTF-8", EncodingSource::Bom));
        assert!(decoded.starts_with("<html>") && decoded.contains("naïve café"));
        let mut le = vec![0xFF, 0xFE];
        for u in "<p>été</p>".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_page(&le, None).0, "<p>été</p>");
    }

    #[test]
    fn latin_label_on_utf8_bytes_is_read_as_utf8() {
        let html = page("<meta charset=iso-8859-1>", "Manœuvres navales à Brest");
        let (decoded, name, _) = decode_page(html.as_bytes(), None);
        assert_eq!(name, "UTF-8");
        assert!(decoded.contains("Manœuvres navales à Brest"));
        let latin = encode(
            encoding_rs::WINDOWS_1252,
            &page("<meta charset=iso-8859-1>", "à Brest"),
        );
        assert!(decode_page(&latin, None).0.contains("à Brest"));
    }
}
