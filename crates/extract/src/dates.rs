//! Date expressions: found with each language's templates (`[dates]` in the
//! lexicon), read into partial dates, and given a year when none is written.

use jiff::civil::Date;
use muster_lexicon::norm::Norm;
use muster_lexicon::{Lang, MonthPart};

/// A date as precise as the text: a missing year, day or month is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// ISO 8601 at the known precision (`2024-07-08`, `2022-05`, `--08-30`, `--05`).
    pub fn iso(&self) -> Option<String> {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
            (Some(y), None, _) => Some(format!("{y:04}")),
            (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
            (None, Some(m), None) => Some(format!("--{m:02}")),
            _ => None,
        }
    }

    /// Parses the ISO forms [`PartialDate::iso`] writes (and full timestamps).
    pub fn parse_iso(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("--") {
            let mut it = rest.split('-');
            let month = it.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
            let day = it.next().and_then(|d| d.parse().ok());
            return Some(PartialDate {
                year: None,
                month: Some(month),
                day,
            });
        }
        let head: String = s.chars().take(10).collect();
        let mut it = head.split('-');
        let year: i32 = it.next()?.parse().ok()?;
        let month = it
            .next()
            .and_then(|m| m.parse().ok())
            .filter(|m| (1..=12).contains(m));
        let day = it
            .next()
            .and_then(|d| d.get(..2).unwrap_or(d).parse().ok())
            .filter(|d| (1..=31).contains(d));
        Some(PartialDate {
            year: Some(year),
            month,
            day,
        })
    }

    pub fn to_date(self) -> Option<Date> {
        Date::new(self.year? as i16, self.month? as i8, self.day? as i8).ok()
    }
}

/// One date expression in a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DateExpr {
    /// Normalized byte range.
    pub start: usize,
    pub end: usize,
    pub from: PartialDate,
    pub to: Option<PartialDate>,
    pub weekday: Option<u32>,
    pub part: Option<MonthPart>,
    /// "this year" (0), "last year" (-1): relative to the document's year.
    pub rel_year: Option<i32>,
    /// "yesterday" (-1): relative to the publication date, or with
    /// `narrative`, to `anchor`.
    pub rel_day: Option<i32>,
    /// "the day before", "la veille", "전날": `rel_day` counts from
    /// `anchor`, the last date with a day written before it that is no
    /// such phrase itself (the publication date when there is none); a
    /// run of them adds up ("the day before" twice is two days back).
    pub narrative: bool,
    pub anchor: Option<Box<DateExpr>>,
    /// A bare weekday ("on Wednesday"), with -1/+1 for last/next cues.
    pub bare_weekday: Option<(u32, i32)>,
    /// A day of the month without its month ("9일", "오는 28일"), with
    /// -1/+1 for last/next cues: resolved against the publication date.
    /// Only a language whose templates have a day-only pattern yields it.
    pub bare_day: Option<(u32, i32)>,
    /// The text says this is when something ends ("until July 18").
    pub is_end: bool,
    /// A year continuing a list begun by the date before it ("in 2009,
    /// 2013 and 2017"): it belongs to whatever that first year belongs to.
    pub listed: bool,
}

impl DateExpr {
    /// A weekday, a day of the month alone, or a day counted ("yesterday",
    /// "the day before"): a day only once resolved against another date.
    pub fn is_relative(&self) -> bool {
        self.bare_weekday.is_some() || self.rel_day.is_some() || self.bare_day.is_some()
    }

    /// How precise the expression is: a range 5, a day 4, a part of a
    /// month 3, a month 2, a year alone 1, nothing (a bare weekday) 0.
    pub fn precision(&self) -> u32 {
        match (
            self.to.is_some(),
            self.from.day.is_some(),
            self.part.is_some(),
            self.from.month.is_some(),
            self.from.year.is_some(),
        ) {
            (true, _, _, _, _) => 5,
            (_, true, _, _, _) => 4,
            (_, _, true, _, _) => 3,
            (_, _, _, true, _) => 2,
            (_, _, _, _, true) => 1,
            _ => 0,
        }
    }
}

fn group_num(c: &regex::Captures, name: &str) -> Option<u32> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn month_of(lang: &Lang, c: &regex::Captures, name: &str, num: &str) -> Option<u32> {
    if let Some(m) = c.name(name) {
        let key = m.as_str().trim_end_matches('.');
        return lang.month_forms.get(key).copied();
    }
    group_num(c, num)
}

/// +1 when a "next" cue ("next", "오는") stands just before `at`, -1 for a
/// "last" cue, else 0.
fn direction(text: &str, from: usize, at: usize, lang: &Lang) -> i32 {
    let before = muster_lexicon::norm::before(text, from, at, 12);
    let n = Norm::new(before);
    if lang.next_cues.find(&n, before).last().is_some() {
        1
    } else if lang.last_cues.find(&n, before).last().is_some() {
        -1
    } else {
        0
    }
}

/// Finds the date expressions of `[from, to)` in a normalized text.
pub fn find_dates(
    norm: &Norm,
    orig: &str,
    from: usize,
    to: usize,
    langs: &[&Lang],
) -> Vec<DateExpr> {
    let text = &norm.text;
    let to = to.min(text.len());
    let mut found: Vec<DateExpr> = Vec::new();
    let Some(hay) = text.get(from..to) else {
        return found;
    };
    let ascii = muster_lexicon::lazy::ascii_like(hay);
    // most templates need a day or a year: a sentence without a digit
    // skips them
    let digit = muster_lexicon::lazy::has_digit(hay);
    for lang in langs {
        let patterns = lang.date_patterns.iter().filter(|r| r.may_match(digit));
        for re in patterns.filter_map(|r| r.for_ascii(ascii)) {
            for c in re.captures_iter(hay) {
                let m = c.get(0).expect("group 0");
                let (s, e) = (from + m.start(), from + m.end());
                if lang.data.dates.capitalized {
                    let upper_ok = ["m", "m2", "w", "w2"].iter().all(|g| {
                        c.name(g).is_none_or(|x| {
                            let o = norm.orig(from + x.start());
                            orig.get(o..)
                                .and_then(|r| r.chars().next())
                                .is_some_and(|ch| !ch.is_lowercase())
                        })
                    });
                    if !upper_ok {
                        continue;
                    }
                }
                let month = month_of(lang, &c, "m", "mn");
                let month2 = month_of(lang, &c, "m2", "mn2");
                let d = group_num(&c, "d");
                let d2 = group_num(&c, "d2");
                let y = group_num(&c, "y").map(|v| v as i32);
                let y2 = group_num(&c, "y2").map(|v| v as i32);
                let weekday = c.name("w").and_then(|w| {
                    lang.weekday_forms
                        .get(w.as_str().trim_end_matches('.'))
                        .copied()
                });
                let part = c
                    .name("p")
                    .and_then(|p| lang.part_forms.get(p.as_str()).copied());
                // a range "from 9 to 11 July" names its month once, at the end
                let end_month = month2.or(month);
                // "29日から8月4日": a first day above the last one lies in
                // the month before
                let wraps = month.is_none() && matches!((d, d2), (Some(a), Some(b)) if a > b);
                let start_month = match (month, month2) {
                    (None, Some(m2)) if wraps => Some(if m2 == 1 { 12 } else { m2 - 1 }),
                    _ => month.or(month2),
                };
                if start_month.is_none() && y.is_none() {
                    // a day alone (or with its weekday: "segunda-feira (14)"):
                    // the data opted in with a day-only template
                    if let (Some(day), None) = (d, d2) {
                        found.push(DateExpr {
                            start: s,
                            end: e,
                            from: PartialDate {
                                day: Some(day),
                                ..Default::default()
                            },
                            bare_day: Some((day, direction(text, from, s, lang))),
                            ..Default::default()
                        });
                    }
                    continue;
                }
                let from_d = PartialDate {
                    year: if wraps && month2 == Some(1) {
                        y.or(y2).map(|v| v - 1)
                    } else {
                        y.or(y2)
                    },
                    month: start_month,
                    day: d,
                };
                let to_d = d2.map(|dd| PartialDate {
                    year: y2.or(y),
                    month: end_month,
                    day: Some(dd),
                });
                if !valid(&from_d) || to_d.is_some_and(|t| !valid(&t)) {
                    continue;
                }
                found.push(DateExpr {
                    start: s,
                    end: e,
                    from: from_d,
                    to: to_d,
                    weekday,
                    part,
                    ..Default::default()
                });
            }
        }
        for h in lang.relative_years.find_in(norm, orig, from, to) {
            found.push(DateExpr {
                start: h.start,
                end: h.end,
                rel_year: Some(h.value),
                ..Default::default()
            });
        }
        for h in lang.relative_days.find_in(norm, orig, from, to) {
            found.push(DateExpr {
                start: h.start,
                end: h.end,
                rel_day: Some(h.value),
                ..Default::default()
            });
        }
        for h in lang.narrative_days.find_in(norm, orig, from, to) {
            found.push(DateExpr {
                start: h.start,
                end: h.end,
                rel_day: Some(h.value),
                narrative: true,
                ..Default::default()
            });
        }
        for h in lang.weekdays.find_in(norm, orig, from, to) {
            let dir = direction(text, from, h.start, lang);
            found.push(DateExpr {
                start: h.start,
                end: h.end,
                weekday: Some(h.value),
                bare_weekday: Some((h.value, dir)),
                ..Default::default()
            });
        }
    }
    // most precise first, then longest, then leftmost; drop overlaps
    let rank = |d: &DateExpr| d.precision() as usize * 10_000 + (d.end - d.start);
    found.sort_by(|a, b| rank(b).cmp(&rank(a)).then(a.start.cmp(&b.start)));
    let mut chosen: Vec<DateExpr> = Vec::new();
    for f in found {
        if chosen.iter().all(|c| f.end <= c.start || f.start >= c.end) {
            chosen.push(f);
        }
    }
    chosen.sort_by_key(|d| d.start);
    extend_year_lists(text, to, langs, &mut chosen);
    // an end cue just before the date, or one or two words before it
    // ("hasta el próximo 15 de septiembre", "fino al prossimo 27 ottobre")
    for d in &mut chosen {
        let before = muster_lexicon::norm::before(text, from, d.start, 30);
        let bn = Norm::new(before);
        d.is_end = d.to.is_none()
            && langs.iter().any(|l| {
                l.end_cues.find(&bn, before).last().is_some_and(|h| {
                    bn.text
                        .get(h.end..)
                        .is_some_and(|rest| rest.split_whitespace().count() <= 2)
                })
            });
    }
    chosen
}

/// Years listed after a bare year ("w 2009, 2013 i 2017 roku", "in 2018
/// and 2019"): each becomes a year-only date marked `listed`. Only commas,
/// spaces and the languages' list joiners may stand between them.
fn extend_year_lists(text: &str, to: usize, langs: &[&Lang], dates: &mut Vec<DateExpr>) {
    let joiners: Vec<&str> = langs
        .iter()
        .flat_map(|l| l.list_joiners.iter().map(String::as_str))
        .collect();
    let mut added = Vec::new();
    for d in dates.iter() {
        let year_only = d.from.month.is_none() && d.from.year.is_some() && d.to.is_none();
        if !year_only || d.rel_year.is_some() {
            continue;
        }
        let mut at = d.end;
        while let Some(rest) = text.get(at..to) {
            let gap_len = rest
                .find(|c: char| c.is_ascii_digit())
                .filter(|&g| g <= 16)
                .unwrap_or(usize::MAX);
            let Some(gap) = rest.get(..gap_len) else {
                break;
            };
            let gap_ok = gap.contains(|c: char| c == ',' || !c.is_whitespace())
                && gap
                    .replace(',', " , ")
                    .split_whitespace()
                    .all(|tok| joiners.contains(&tok));
            let digits: String = rest[gap_len..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let after = rest[gap_len + digits.len()..].chars().next();
            let year = digits
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2100).contains(y));
            let (true, 4, Some(y), false) = (
                gap_ok,
                digits.len(),
                year,
                after.is_some_and(muster_lexicon::norm::is_word_char),
            ) else {
                break;
            };
            let start = at + gap_len;
            let end = start + 4;
            if dates.iter().any(|o| o.start < end && start < o.end) {
                break;
            }
            added.push(DateExpr {
                start,
                end,
                from: PartialDate {
                    year: Some(y),
                    month: None,
                    day: None,
                },
                listed: true,
                ..Default::default()
            });
            at = end;
        }
    }
    dates.extend(added);
    dates.sort_by_key(|d| d.start);
}

fn valid(d: &PartialDate) -> bool {
    match (d.month, d.day) {
        (Some(m), Some(day)) => {
            (1..=12).contains(&m) && day >= 1 && day <= days_in_month(d.year.unwrap_or(2024), m)
        }
        (Some(m), None) => (1..=12).contains(&m),
        _ => true,
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    Date::new(year as i16, month as i8, 1)
        .map(|d| d.days_in_month() as u32)
        .unwrap_or(31)
}

/// ISO weekday (Monday = 1) of a date.
pub fn weekday_of(y: i32, m: u32, d: u32) -> Option<u32> {
    Date::new(y as i16, m as i8, d as i8)
        .ok()
        .map(|dt| dt.weekday().to_monday_one_offset() as u32)
}

/// The day range a partial date covers within its month (ignoring year).
pub fn day_range(d: &PartialDate, part: Option<MonthPart>) -> Option<(u32, u32)> {
    let m = d.month?;
    let key = |day: u32| m * 100 + day;
    Some(match (d.day, part) {
        (Some(day), _) => (key(day), key(day)),
        (None, Some(MonthPart::Early)) => (key(1), key(10)),
        (None, Some(MonthPart::Mid)) => (key(10), key(20)),
        (None, Some(MonthPart::Late)) => (key(20), key(31)),
        (None, None) => (key(1), key(31)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_lexicon::Lexicon;

    fn dates(t: &str, codes: &[&str]) -> Vec<DateExpr> {
        let lex = Lexicon::get();
        let langs: Vec<&Lang> = codes.iter().map(|c| lex.lang(c).unwrap()).collect();
        let n = Norm::new(t);
        find_dates(&n, t, 0, n.text.len(), &langs)
    }

    #[test]
    fn english_forms() {
        let d = dates("exercises since Monday, July 8, near Brest", &["en"]);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].from,
            PartialDate {
                year: None,
                month: Some(7),
                day: Some(8)
            }
        );
        assert_eq!(d[0].weekday, Some(1));
        let d = dates("held in Washington from July 9 to 11.", &["en"]);
        assert_eq!(d[0].to.unwrap().day, Some(11));
        assert_eq!(d[0].to.unwrap().month, Some(7));
        let d = dates("The exercise runs until June 24, officials said", &["en"]);
        assert_eq!(d[0].from.day, Some(24));
        assert!(d[0].is_end);
        let d = dates("troops arrive at the end of August", &["en"]);
        assert_eq!(d[0].part, Some(MonthPart::Late));
        assert_eq!(d[0].from.month, Some(8));
        let d = dates(
            "It may rain. In May, they drilled. 3 September 2021",
            &["en"],
        );
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[1].from,
            PartialDate {
                year: Some(2021),
                month: Some(9),
                day: Some(3)
            }
        );
    }

    #[test]
    fn french_ranges_and_relative_years() {
        let d = dates(
            "prévus pour se tenir du 30 août au 5 septembre, selon Moscou",
            &["fr"],
        );
        assert_eq!(
            d[0].from,
            PartialDate {
                year: None,
                month: Some(8),
                day: Some(30)
            }
        );
        assert_eq!(
            d[0].to.unwrap(),
            PartialDate {
                year: None,
                month: Some(9),
                day: Some(5)
            }
        );
        let d = dates("menés conjointement cette année", &["fr"]);
        assert_eq!(d[0].rel_year, Some(0));
        let d = dates("du 12 au 19 mai 2023", &["fr"]);
        assert_eq!(
            d[0].from,
            PartialDate {
                year: Some(2023),
                month: Some(5),
                day: Some(12)
            }
        );
    }

    #[test]
    fn a_range_naming_only_its_last_month() {
        let d = dates("リムパックに29日から8月4日の日程で参加", &["ja"]);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].from.month, d[0].from.day), (Some(7), Some(29)));
        let to = d[0].to.expect("an end");
        assert_eq!((to.month, to.day), (Some(8), Some(4)));
        let d = dates("3日から8月14日まで", &["ja"]);
        assert_eq!((d[0].from.month, d[0].from.day), (Some(8), Some(3)));
    }

    #[test]
    fn web_timestamps_and_korean_days_alone() {
        // a page stamp without "de": "11 feb, 2022 14:17"
        let d = dates("11 feb, 2022 14:17", &["es"]);
        assert_eq!(d[0].from.iso().as_deref(), Some("2022-02-11"));
        let d = dates("publicado 3 fev. 2023", &["pt"]);
        assert_eq!(d[0].from.iso().as_deref(), Some("2023-02-03"));
        // "9일" is a day read against the publication date; "9일간" (nine
        // days) is not a date; "오는 28일" looks forward
        let d = dates("중국과 러시아 군용기들이 9일 동해 상공에서", &["ko"]);
        assert_eq!(d[0].bare_day, Some((9, 0)));
        assert!(dates("훈련은 9일간 진행된다", &["ko"]).is_empty());
        let d = dates("오는 28일까지", &["ko"]);
        assert_eq!(d[0].bare_day, Some((28, 1)));
        // Japanese and Chinese days alone, but not "3日間" (three days) or
        // a day inside a longer number
        let d = dates("防衛省によると、9日午前から午後にかけて飛行した", &["ja"]);
        assert_eq!(d[0].bare_day, Some((9, 0)), "{d:?}");
        assert!(dates("訓練は3日間続く", &["ja"]).is_empty());
        let d = dates("中俄两国空军29日在日本海上空", &["zh"]);
        assert_eq!(d[0].bare_day, Some((29, 0)), "{d:?}");
        assert!(dates("编号129日", &["zh"])
            .iter()
            .all(|d| d.bare_day != Some((29, 0))));
        let d = dates("2025年12月29日开始", &["zh"]);
        assert_eq!(d[0].from.iso().as_deref(), Some("2025-12-29"));
        // a weekday with its day alone: "nesta segunda-feira (14)"
        let d = dates("mobilizou navios nesta segunda-feira (14)", &["pt"]);
        assert!(d.iter().any(|d| d.bare_day == Some((14, 0))), "{d:?}");
        // inside a sentence too, where a space follows the parenthesis
        let d = dates(
            "mobilizou navios nesta segunda-feira (14) para cercar",
            &["pt"],
        );
        assert!(d.iter().any(|d| d.bare_day == Some((14, 0))), "{d:?}");
    }

    #[test]
    fn seasons_of_a_year() {
        let d = dates("øvelsen finner sted vinteren 2024", &["nb"]);
        assert_eq!(d[0].from.year, Some(2024));
        let d = dates("drills held in the winter of 2024", &["en"]);
        assert_eq!(d[0].from.year, Some(2024));
    }

    #[test]
    fn lists_of_years_continue_the_first() {
        let years = |t: &str, l: &str| -> Vec<(i32, bool)> {
            dates(t, &[l])
                .iter()
                .map(|d| (d.from.year.unwrap_or(0), d.listed))
                .collect()
        };
        assert_eq!(
            years("held in 2009, 2013 and 2017 as well", "en"),
            [(2009, false), (2013, true), (2017, true)]
        );
        assert_eq!(
            years("miały miejsce w 2009, 2013 i 2017 roku", "pl"),
            [(2009, false), (2013, true), (2017, true)]
        );
        // a count after a year is not a year, nor is a longer number
        assert_eq!(years("in 2018, 300 ships", "en"), [(2018, false)]);
        assert_eq!(years("in 2018 and 20190", "en"), [(2018, false)]);
        assert_eq!(years("in 2018 then 2019", "en"), [(2018, false)]);
    }

    #[test]
    fn impossible_dates_are_dropped() {
        assert!(dates("on February 30", &["en"])
            .iter()
            .all(|d| d.from.day != Some(30)));
    }

    #[test]
    fn iso_round_trip_and_weekdays() {
        for s in ["2024-07-08", "2022-05", "--08-30", "--05", "2022"] {
            assert_eq!(PartialDate::parse_iso(s).unwrap().iso().unwrap(), s);
        }
        assert_eq!(weekday_of(2024, 7, 8), Some(1));
    }
}
