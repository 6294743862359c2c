//! Year inference for dates written without a year.
//!
//! In order of trust: a year written in the exercise's name; the
//! publication date (the nearest year that puts the date close to it);
//! otherwise the candidate years that agree with every clue in the text:
//! the weekday written with the date, the periods of reference events the
//! text mentions (a presidency, a war), the known editions and periodicity
//! of the series, and the years of dated events it mentions (a summit).

use crate::dates::{weekday_of, PartialDate};
use muster_lexicon::reference::{Event, Series};

/// Clues about "when" a document is, gathered from its text.
#[derive(Debug, Clone, Default)]
pub struct YearContext {
    pub pub_date: Option<PartialDate>,
    /// (first year, last year, label) of period events mentioned.
    pub periods: Vec<(i32, i32, String)>,
    /// (year, label) of point events mentioned.
    pub anchors: Vec<(i32, String)>,
}

impl YearContext {
    pub fn add_event(&mut self, e: &Event) {
        let y = |s: &str| PartialDate::parse_iso(s).and_then(|d| d.year);
        let Some(start) = y(&e.start) else { return };
        let end = e.end.as_deref().and_then(y);
        if e.kind == "period" {
            let label = format!(
                "{} ({}–{})",
                e.label,
                e.start,
                e.end.clone().unwrap_or_default()
            );
            if !self.periods.iter().any(|p| p.2 == label) {
                self.periods.push((start, end.unwrap_or(2100), label));
            }
        } else {
            let label = format!("{} ({})", e.label, e.start);
            if !self.anchors.iter().any(|a| a.1 == label) {
                self.anchors.push((start, label));
            }
        }
    }
}

/// A year and the reason for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    pub year: i32,
    pub reason: String,
}

fn series_fits(s: &Series, y: i32) -> bool {
    if s.editions.contains(&y) {
        return true;
    }
    match (s.periodicity_years, s.editions.iter().max()) {
        (Some(p), Some(&last)) if p > 0 => (y - last).rem_euclid(p as i32) == 0,
        _ => s.editions.is_empty(),
    }
}

/// Infers the year of `date` (month known, year missing).
pub fn infer(
    date: PartialDate,
    weekday: Option<u32>,
    series: Option<&Series>,
    ctx: &YearContext,
) -> Option<Inferred> {
    let month = date.month?;
    if let Some(pd) = ctx.pub_date {
        let py = pd.year?;
        let pm = pd.month.unwrap_or(6) as i32;
        let pday = pd.day.unwrap_or(15) as i32;
        let mut best: Option<(i32, i32)> = None;
        for y in [py - 1, py, py + 1] {
            if let (Some(w), Some(d)) = (weekday, date.day) {
                if weekday_of(y, month, d) != Some(w) {
                    continue;
                }
            }
            let dist = ((y - py) * 372
                + (month as i32 - pm) * 31
                + (date.day.unwrap_or(15) as i32 - pday))
                .abs();
            if best.is_none_or(|b| dist < b.1) {
                best = Some((y, dist));
            }
        }
        return best.map(|(y, _)| Inferred {
            year: y,
            reason: format!("publication date {}", pd.iso().unwrap_or_default()),
        });
    }
    let mut reasons = Vec::new();
    let mut cands: Vec<i32> = (1990..=2035).collect();
    for (a, b, label) in &ctx.periods {
        let kept: Vec<i32> = cands.iter().copied().filter(|y| y >= a && y <= b).collect();
        if !kept.is_empty() && kept.len() < cands.len() {
            cands = kept;
            reasons.push(format!("mentions {label}"));
        }
    }
    if let (Some(w), Some(d)) = (weekday, date.day) {
        cands.retain(|&y| weekday_of(y, month, d) == Some(w));
        reasons.push(format!("weekday fits {:02}-{:02}", month, d));
    }
    if let Some(s) = series {
        let kept: Vec<i32> = cands
            .iter()
            .copied()
            .filter(|&y| series_fits(s, y))
            .collect();
        if !kept.is_empty() && kept.len() < cands.len() {
            cands = kept;
            reasons.push(format!("{} editions", s.name));
        }
        // of several years the series' rhythm allows, the one edition known
        // to have been held (the others are still to come)
        let held: Vec<i32> = cands
            .iter()
            .copied()
            .filter(|y| s.editions.contains(y))
            .collect();
        if cands.len() > 1 && held.len() == 1 {
            cands = held;
            reasons.push("the only known edition among them".into());
        }
    }
    let anchored: Vec<&(i32, String)> = ctx
        .anchors
        .iter()
        .filter(|(y, _)| cands.contains(y))
        .collect();
    if let Some((y, label)) = anchored.first() {
        if anchored.iter().all(|(z, _)| z == y) {
            reasons.push(format!("mentions {label}"));
            return Some(Inferred {
                year: *y,
                reason: reasons.join("; "),
            });
        }
    }
    if cands.len() == 1 {
        return Some(Inferred {
            year: cands[0],
            reason: reasons.join("; "),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(m: u32, d: Option<u32>) -> PartialDate {
        PartialDate {
            year: None,
            month: Some(m),
            day: d,
        }
    }

    #[test]
    fn publication_date_picks_the_nearest_year() {
        let ctx = YearContext {
            pub_date: PartialDate::parse_iso("2023-12-28"),
            ..Default::default()
        };
        assert_eq!(infer(md(1, Some(5)), None, None, &ctx).unwrap().year, 2024);
        assert_eq!(infer(md(12, Some(1)), None, None, &ctx).unwrap().year, 2023);
    }

    #[test]
    fn weekday_and_a_summit_fix_the_year() {
        let mut ctx = YearContext::default();
        ctx.anchors.push((2024, "NATO summit".into()));
        let got = infer(md(7, Some(8)), Some(1), None, &ctx).unwrap();
        assert_eq!(got.year, 2024);
        assert!(got.reason.contains("weekday") && got.reason.contains("NATO"));
        // a weekday alone leaves several years open
        assert_eq!(
            infer(md(7, Some(8)), Some(1), None, &YearContext::default()),
            None
        );
    }

    #[test]
    fn series_periodicity_within_a_period() {
        let s = Series {
            name: "Vostok".into(),
            periodicity_years: Some(4),
            editions: vec![2010, 2014, 2018, 2022],
            ..Default::default()
        };
        let mut ctx = YearContext::default();
        ctx.periods.push((2021, 2025, "Biden presidency".into()));
        assert_eq!(
            infer(md(8, Some(30)), None, Some(&s), &ctx).unwrap().year,
            2022
        );
        // an open-ended period (a war still going on): 2022, 2026, 2030
        // fit the rhythm, 2022 is the only edition known to have been held
        let mut ctx = YearContext::default();
        ctx.periods.push((2022, 2100, "the war".into()));
        let got = infer(md(8, Some(30)), None, Some(&s), &ctx).unwrap();
        assert_eq!(got.year, 2022);
        assert!(got.reason.contains("only known edition"));
    }
}
