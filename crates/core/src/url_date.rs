//! The date a page's address gives away: `/2019/11/19/`, `-2021-06-03-`,
//! `/20220315/`, `/24-08-2019/`, a timestamped id (`news-20230319111106`), or only the
//! month (`/2018/06/slug`, `nachrichten-2024-06/`). Shared by ingest (an
//! HTML page without a date in its markup) and extraction (a text that
//! comes with its URL and no date).

/// The ISO date (`2019-11-19`, or `2019-11` when the address gives only the
/// month) written in a URL's path, if any.
pub fn date_in_url(url: &str) -> Option<String> {
    let path = url.split("://").nth(1).unwrap_or(url);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    // the host never dates a page
    let path = path.split_once('/').map_or("", |(_, p)| p);
    let parts: Vec<&str> = path.split(['/', '_', '.']).collect();
    for w in parts.windows(3) {
        if let (Some(y), Some(mo), Some(d)) = (
            number(w[0], 4),
            number(w[1], 2),
            number(w[2].get(..2).unwrap_or(""), 2),
        ) {
            if w[2].len() == 2 || !w[2].as_bytes()[2].is_ascii_digit() {
                if let Some(iso) = ymd(y, mo, d) {
                    return Some(iso);
                }
            }
        }
    }
    for p in &parts {
        let pieces: Vec<&str> = p.split('-').collect();
        for piece in pieces.windows(3) {
            if let (Some(y), Some(mo), Some(d)) = (
                number(piece[0], 4),
                number(piece[1], 2),
                number(piece[2], 2),
            ) {
                if let Some(iso) = ymd(y, mo, d) {
                    return Some(iso);
                }
            }
            // day first (`/24-08-2019/`), only where the day cannot be
            // the month: `05-08-2019` could be either
            if let (Some(d), Some(mo), Some(y)) = (
                number(piece[0], 2),
                number(piece[1], 2),
                number(piece[2], 4),
            ) {
                if let Some(iso) = ymd(y, mo, d).filter(|_| d > 12) {
                    return Some(iso);
                }
            }
        }
        // `20220315`, or a timestamp opening an id: `20230319111106`
        for piece in &pieces {
            if (8..=16).contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_digit()) {
                if let (Some(y), Some(mo), Some(d)) = (
                    number(&piece[..4], 4),
                    number(&piece[4..6], 2),
                    number(&piece[6..8], 2),
                ) {
                    if let Some(iso) = ymd(y, mo, d) {
                        return Some(iso);
                    }
                }
            }
        }
    }
    // the month alone: `/2018/06/slug`, `nachrichten-2024-06/`
    let month = |y: &str, m: &str| {
        let (y, m) = (number(y, 4)?, number(m, 2)?);
        ymd(y, m, 1).map(|iso| iso[..7].to_string())
    };
    for (i, w) in parts.windows(2).enumerate() {
        // a folder, not the last piece of the address ("/2019/11" could be
        // a page numbered 11 of a year's index)
        if i + 2 < parts.len() {
            if let Some(iso) = month(w[0], w[1]) {
                return Some(iso);
            }
        }
    }
    for p in &parts {
        let pieces: Vec<&str> = p.split('-').collect();
        if let [.., y, m] = pieces.as_slice() {
            if let Some(iso) = month(y, m) {
                return Some(iso);
            }
        }
    }
    None
}

/// `s` as a number when it is exactly `len` ASCII digits.
pub fn number(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` for a plausible date of a news page (1990–2100).
pub fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::date_in_url;

    fn d(url: &str) -> Option<String> {
        date_in_url(url)
    }

    #[test]
    fn full_dates_in_paths() {
        assert_eq!(
            d("https://a.example/2019/11/19/x").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            d("https://a.example/news/drill-2021-06-03-story").as_deref(),
            Some("2021-06-03")
        );
        assert_eq!(
            d("https://a.example/a/20220315/x.html").as_deref(),
            Some("2022-03-15")
        );
        assert_eq!(
            d("https://a.example/old/2023/20230615_2.html").as_deref(),
            Some("2023-06-15")
        );
    }

    #[test]
    fn a_day_written_first_counts_when_it_cannot_be_a_month() {
        assert_eq!(
            d("http://urdu.example/24-08-2019/drill-begins").as_deref(),
            Some("2019-08-24")
        );
        assert_eq!(d("http://urdu.example/05-08-2019/drill-begins"), None);
    }

    #[test]
    fn a_timestamp_opening_an_id_dates_the_page() {
        assert_eq!(
            d("https://a.example/breaking/news-20230319111106").as_deref(),
            Some("2023-03-19")
        );
        assert_eq!(
            d("https://a.example/amp/1994021901381").as_deref(),
            Some("1994-02-19")
        );
        // a number that is no date
        assert_eq!(d("https://a.example/story/12345678901"), None);
        assert_eq!(d("https://a.example/story/20231345"), None);
    }

    #[test]
    fn the_month_alone_when_no_day_is_written() {
        assert_eq!(
            d("http://blog.example/2018/06/exercises-at-sea.html").as_deref(),
            Some("2018-06")
        );
        assert_eq!(
            d("https://a.example/nachrichten-2024-06/62436063-manoever.htm").as_deref(),
            Some("2024-06")
        );
        // the last piece of a path may be a page number
        assert_eq!(d("https://a.example/2019/11"), None);
        assert_eq!(d("https://a.example/nordic-response-2024"), None);
    }

    #[test]
    fn the_host_is_no_date() {
        assert_eq!(d("https://2019.11.19.example/x"), None);
        assert_eq!(d("no address at all"), None);
    }
}
