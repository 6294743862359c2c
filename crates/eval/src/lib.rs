//! Scores extracted document records against gold records (GOLD-FORMAT).
//!
//! Exercises are matched inside each document: same normalized name, or,
//! when either name is null, participants overlapping by at least half and
//! dates overlapping (or both undated). Every score of GOLD-FORMAT's table
//! is computed over the matched pairs; a null gold field is not scored.

pub mod article;

use muster_core::{DocRecord, Exercise, Label};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Precision, recall, F1 from counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let p = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            tp,
            fp,
            fn_,
            precision: p,
            recall: r,
            f1: f,
        }
    }
}

/// Share of agreeing pairs among the scored ones.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Acc {
    pub correct: usize,
    pub total: usize,
    pub accuracy: Option<f64>,
}

impl Acc {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
        self.accuracy = Some(self.correct as f64 / self.total as f64);
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub documents: usize,
    pub missing_predictions: Vec<String>,
    pub relevance: Prf,
    pub label_accuracy: Acc,
    pub exercise: Prf,
    pub name: Acc,
    /// Over every named gold exercise (matched or not): names the series
    /// table knows, and names it does not.
    pub name_in_table: Acc,
    pub name_not_in_table: Acc,
    pub host: Acc,
    pub participants: Prf,
    pub participants_exact: Acc,
    pub location_country: Acc,
    pub start_date: Acc,
    pub start_month_day: Acc,
    pub end_date: Acc,
    pub end_month_day: Acc,
    pub duration: Acc,
    pub scenario: Prf,
    pub troops: Acc,
    pub aircraft: Acc,
    pub ships: Acc,
    pub vehicles: Acc,
    pub merge_bcubed: Prf,
}

/// Name as compared: lower case, no accents or punctuation, no trailing year.
pub fn norm_name(s: &str) -> String {
    let folded: String = s
        .chars()
        .flat_map(unicode_fold)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if let Some(last) = words.last() {
        if words.len() > 1
            && last.chars().all(|c| c.is_ascii_digit())
            && (last.len() == 2 || last.len() == 4)
        {
            words.pop();
        }
    }
    words.join(" ")
}

fn unicode_fold(c: char) -> Vec<char> {
    let lower: Vec<char> = c.to_lowercase().collect();
    lower
        .into_iter()
        .map(|l| match l {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ё' => 'е',
            'й' => 'и',
            x => x,
        })
        .collect()
}

/// (month, day) parts of an ISO date, and its year.
fn parts(d: &str) -> (Option<i32>, Option<u32>, Option<u32>) {
    if let Some(rest) = d.strip_prefix("--") {
        let mut it = rest.split('-');
        return (
            None,
            it.next().and_then(|m| m.parse().ok()),
            it.next().and_then(|x| x.parse().ok()),
        );
    }
    let mut it = d.split('-');
    (
        it.next().and_then(|y| y.parse().ok()),
        it.next().and_then(|m| m.parse().ok()),
        it.next().and_then(|x| x.get(..2).unwrap_or(x).parse().ok()),
    )
}

/// Exact at the gold's precision.
pub fn date_exact(gold: &str, pred: &str) -> bool {
    let (gy, gm, gd) = parts(gold);
    let (py, pm, pd) = parts(pred);
    (gy.is_none() || gy == py)
        && (gm.is_none() || gm == pm)
        && (gd.is_none() || gd == pd)
        && (gy.is_some() || gm.is_some())
}

/// Month (and day, when the gold has one) agree, whatever the year.
pub fn month_day(gold: &str, pred: &str) -> bool {
    let (_, gm, gd) = parts(gold);
    let (_, pm, pd) = parts(pred);
    gm.is_some() && gm == pm && (gd.is_none() || gd == pd)
}

fn interval(e: &Exercise) -> Option<(i64, i64)> {
    let key = |d: &str, end: bool| {
        let (y, m, dd) = parts(d);
        let m = m.unwrap_or(if end { 12 } else { 1 }) as i64;
        let dd = dd.unwrap_or(if end { 31 } else { 1 }) as i64;
        (y.unwrap_or(0) as i64, m * 100 + dd, y.is_some())
    };
    let s = e.start_date.as_deref().map(|d| key(d, false))?;
    let en = e
        .end_date
        .as_deref()
        .map(|d| key(d, true))
        .unwrap_or_else(|| key(e.start_date.as_deref().unwrap_or(""), true));
    // without years, compare within a year
    let (sy, ey) = if s.2 && en.2 { (s.0, en.0) } else { (0, 0) };
    Some((sy * 10000 + s.1, ey * 10000 + en.1))
}

fn dates_overlap(a: &Exercise, b: &Exercise) -> bool {
    match (interval(a), interval(b)) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            // compare year-less when either lacks a year
            let strip = |v: (i64, i64)| (v.0 % 10000, v.1 % 10000);
            let (x, y) = if x.0 < 10000 || y.0 < 10000 {
                (strip(x), strip(y))
            } else {
                (x, y)
            };
            x.0 <= y.1 && y.0 <= x.1
        }
        _ => false,
    }
}

fn set(v: &Option<Vec<String>>) -> BTreeSet<String> {
    v.clone().unwrap_or_default().into_iter().collect()
}

/// Matches the exercises of one document: (gold index, predicted index).
pub fn match_exercises(gold: &[Exercise], pred: &[Exercise]) -> Vec<(usize, usize)> {
    let mut used_p = vec![false; pred.len()];
    let mut pairs = Vec::new();
    let mut used_g = vec![false; gold.len()];
    // named: first the pairs whose dates agree, then a name left with one
    // candidate (so an undated gold edition does not block a dated one)
    for by_date in [true, false] {
        for (gi, g) in gold.iter().enumerate() {
            let Some(gn) = g.name.as_deref().map(norm_name).filter(|_| !used_g[gi]) else {
                continue;
            };
            let same =
                |p: &Exercise| p.name.as_deref().map(norm_name).as_deref() == Some(gn.as_str());
            if let Some(pi) = (0..pred.len()).find(|&pi| {
                !used_p[pi]
                    && same(&pred[pi])
                    && if by_date {
                        dates_overlap(g, &pred[pi])
                    } else {
                        !pred
                            .iter()
                            .enumerate()
                            .any(|(k, p)| k != pi && !used_p[k] && same(p))
                    }
            }) {
                used_p[pi] = true;
                used_g[gi] = true;
                pairs.push((gi, pi));
            }
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        if used_g[gi] {
            continue;
        }
        let gp = set(&g.participants);
        let best = (0..pred.len())
            .filter(|&pi| !used_p[pi] && (g.name.is_none() || pred[pi].name.is_none()))
            .filter(|&pi| {
                let pp = set(&pred[pi].participants);
                let inter = gp.intersection(&pp).count();
                let need = gp.len().min(pp.len()).max(1);
                (inter * 2 >= need || gp.is_empty() && pp.is_empty()) && dates_overlap(g, &pred[pi])
            })
            .max_by_key(|&pi| set(&pred[pi].participants).intersection(&gp).count());
        if let Some(pi) = best {
            used_p[pi] = true;
            used_g[gi] = true;
            pairs.push((gi, pi));
        }
    }
    pairs.sort();
    pairs
}

fn num_eq(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-6,
        _ => false,
    }
}

/// Scores predictions against gold; documents are paired by `id`.
pub fn score(gold: &[DocRecord], pred: &[DocRecord]) -> Scores {
    score_with(gold, pred, &|_| false)
}

/// Like [`score`]; `known` tells whether a gold name is in the series table.
pub fn score_with(gold: &[DocRecord], pred: &[DocRecord], known: &dyn Fn(&str) -> bool) -> Scores {
    let by_id: BTreeMap<&str, &DocRecord> = pred.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut s = Scores {
        documents: gold.len(),
        ..Default::default()
    };
    let (mut rtp, mut rfp, mut rfn) = (0, 0, 0);
    let (mut etp, mut efp, mut efn) = (0, 0, 0);
    let (mut ptp, mut pfp, mut pfn) = (0, 0, 0);
    let (mut stp, mut sfp, mut sfn) = (0, 0, 0);
    // merge items: (gold key, predicted key)
    let mut items: Vec<(String, String)> = Vec::new();
    for g in gold {
        let Some(p) = by_id.get(g.id.as_str()) else {
            s.missing_predictions.push(g.id.clone());
            if g.label == Label::Exercise {
                rfn += 1;
            }
            efn += g.exercises.len();
            continue;
        };
        match (g.label == Label::Exercise, p.label == Label::Exercise) {
            (true, true) => rtp += 1,
            (false, true) => rfp += 1,
            (true, false) => rfn += 1,
            _ => {}
        }
        s.label_accuracy.add(g.label == p.label);
        let pairs = match_exercises(&g.exercises, &p.exercises);
        for (gi, ge) in g.exercises.iter().enumerate() {
            let Some(gn) = &ge.name else { continue };
            let right = pairs.iter().any(|&(a, b)| {
                a == gi && p.exercises[b].name.as_deref().map(norm_name) == Some(norm_name(gn))
            });
            if known(gn) {
                s.name_in_table.add(right);
            } else {
                s.name_not_in_table.add(right);
            }
        }
        etp += pairs.len();
        efp += p.exercises.len() - pairs.len();
        efn += g.exercises.len() - pairs.len();
        for (gi, pi) in pairs {
            let (ge, pe) = (&g.exercises[gi], &p.exercises[pi]);
            if let Some(gn) = &ge.name {
                s.name
                    .add(pe.name.as_deref().map(norm_name) == Some(norm_name(gn)));
            }
            if let Some(h) = &ge.host {
                s.host.add(pe.host.as_ref() == Some(h));
            }
            if let Some(gp) = &ge.participants {
                let gp: BTreeSet<&String> = gp.iter().collect();
                let pp: BTreeSet<&String> = pe.participants.iter().flatten().collect();
                ptp += gp.intersection(&pp).count();
                pfp += pp.difference(&gp).count();
                pfn += gp.difference(&pp).count();
                s.participants_exact.add(gp == pp);
            }
            if let Some(gc) = ge.location.as_ref().and_then(|l| l.country.as_ref()) {
                s.location_country
                    .add(pe.location.as_ref().and_then(|l| l.country.as_ref()) == Some(gc));
            }
            if let Some(gd) = &ge.start_date {
                let pd = pe.start_date.as_deref().unwrap_or("");
                s.start_date.add(date_exact(gd, pd));
                // a gold year alone has no month and day to agree with
                if parts(gd).1.is_some() {
                    s.start_month_day.add(month_day(gd, pd));
                }
            }
            if let Some(gd) = &ge.end_date {
                let pd = pe.end_date.as_deref().unwrap_or("");
                s.end_date.add(date_exact(gd, pd));
                if parts(gd).1.is_some() {
                    s.end_month_day.add(month_day(gd, pd));
                }
            }
            if ge.duration_days.is_some() {
                s.duration.add(num_eq(ge.duration_days, pe.duration_days));
            }
            if ge.duration_hours.is_some() {
                s.duration.add(num_eq(ge.duration_hours, pe.duration_hours));
            }
            if let Some(gs) = &ge.scenario {
                let gs: BTreeSet<&String> = gs.iter().collect();
                let ps: BTreeSet<&String> = pe.scenario.iter().flatten().collect();
                stp += gs.intersection(&ps).count();
                sfp += ps.difference(&gs).count();
                sfn += gs.difference(&ps).count();
            }
            for (acc, gv, pv) in [
                (&mut s.troops, ge.troops, pe.troops),
                (&mut s.aircraft, ge.aircraft, pe.aircraft),
                (&mut s.ships, ge.ships, pe.ships),
                (&mut s.vehicles, ge.vehicles, pe.vehicles),
            ] {
                if gv.is_some() {
                    acc.add(num_eq(gv, pv));
                }
            }
            if let Some(k) = &ge.key {
                items.push((
                    k.clone(),
                    pe.record
                        .clone()
                        .or_else(|| pe.key.clone())
                        .unwrap_or_else(|| format!("{}#{}", p.id, pi)),
                ));
            }
        }
    }
    s.relevance = Prf::new(rtp, rfp, rfn);
    s.exercise = Prf::new(etp, efp, efn);
    s.participants = Prf::new(ptp, pfp, pfn);
    s.scenario = Prf::new(stp, sfp, sfn);
    s.merge_bcubed = bcubed(&items);
    s
}

/// What went wrong, document by document, for a person reading the
/// misses: gold exercises left unmatched ("missed"), predicted ones left
/// unmatched ("extra"), and the matched pairs' fields that disagree
/// (name, host, location country, start date).
pub fn explain(gold: &[DocRecord], pred: &[DocRecord]) -> String {
    use std::fmt::Write;
    let by_id: BTreeMap<&str, &DocRecord> = pred.iter().map(|p| (p.id.as_str(), p)).collect();
    let brief = |e: &Exercise| {
        format!(
            "{} {} [{}]",
            e.name.as_deref().unwrap_or("(unnamed)"),
            e.start_date.as_deref().unwrap_or("(undated)"),
            e.participants.clone().unwrap_or_default().join(" ")
        )
    };
    let mut out = String::new();
    for g in gold {
        let Some(p) = by_id.get(g.id.as_str()) else {
            let _ = writeln!(out, "{}: no prediction", g.id);
            continue;
        };
        let mut lines: Vec<String> = Vec::new();
        if g.label != p.label {
            lines.push(format!(
                "label: gold {:?}, predicted {:?}",
                g.label, p.label
            ));
        }
        let pairs = match_exercises(&g.exercises, &p.exercises);
        for (gi, ge) in g.exercises.iter().enumerate() {
            match pairs.iter().find(|x| x.0 == gi) {
                None => lines.push(format!("missed: {}", brief(ge))),
                Some(&(_, pi)) => {
                    let pe = &p.exercises[pi];
                    let country =
                        |e: &Exercise| e.location.as_ref().and_then(|l| l.country.clone());
                    let mut diffs: Vec<String> = Vec::new();
                    if ge.name.is_some()
                        && ge.name.as_deref().map(norm_name) != pe.name.as_deref().map(norm_name)
                    {
                        diffs.push(format!("name {:?} / {:?}", ge.name, pe.name));
                    }
                    if ge.host.is_some() && ge.host != pe.host {
                        diffs.push(format!("host {:?} / {:?}", ge.host, pe.host));
                    }
                    if country(ge).is_some() && country(ge) != country(pe) {
                        diffs.push(format!("location {:?} / {:?}", country(ge), country(pe)));
                    }
                    if let Some(gd) = &ge.start_date {
                        if !date_exact(gd, pe.start_date.as_deref().unwrap_or("")) {
                            diffs.push(format!("start {gd} / {:?}", pe.start_date));
                        }
                    }
                    if !diffs.is_empty() {
                        lines.push(format!(
                            "{}: gold / predicted {}",
                            brief(ge),
                            diffs.join(", ")
                        ));
                    }
                }
            }
        }
        for (pi, pe) in p.exercises.iter().enumerate() {
            if !pairs.iter().any(|x| x.1 == pi) {
                lines.push(format!("extra: {}", brief(pe)));
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(out, "{} ({})", g.id, g.lang.as_deref().unwrap_or("und"));
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
    out
}

/// B-cubed precision/recall/F1 of predicted clusters against gold clusters.
pub fn bcubed(items: &[(String, String)]) -> Prf {
    if items.is_empty() {
        return Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
            ..Default::default()
        };
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (g, pr) in items {
        let same_pred: Vec<&(String, String)> = items.iter().filter(|x| &x.1 == pr).collect();
        let same_gold: Vec<&(String, String)> = items.iter().filter(|x| &x.0 == g).collect();
        p += same_pred.iter().filter(|x| &x.0 == g).count() as f64 / same_pred.len() as f64;
        r += same_gold.iter().filter(|x| &x.1 == pr).count() as f64 / same_gold.len() as f64;
    }
    let n = items.len() as f64;
    let (p, r) = (p / n, r / n);
    Prf {
        tp: items.len(),
        fp: 0,
        fn_: 0,
        precision: p,
        recall: r,
        f1: if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        },
    }
}

impl Scores {
    /// A plain-text table, one score a line.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let prf = |name: &str, x: &Prf| {
            format!(
                "{name:<22} P {:.3}  R {:.3}  F1 {:.3}  (tp {} fp {} fn {})\n",
                x.precision, x.recall, x.f1, x.tp, x.fp, x.fn_
            )
        };
        let acc = |name: &str, a: &Acc| match a.accuracy {
            Some(v) => format!("{name:<22} {v:.3}  ({}/{})\n", a.correct, a.total),
            None => format!("{name:<22} n/a   (no gold value)\n"),
        };
        out.push_str(&format!("documents              {}\n", self.documents));
        if !self.missing_predictions.is_empty() {
            out.push_str(&format!(
                "missing texts          {}\n",
                self.missing_predictions.join(", ")
            ));
        }
        out.push_str(&prf("relevance", &self.relevance));
        out.push_str(&acc("label accuracy", &self.label_accuracy));
        out.push_str(&prf("exercise", &self.exercise));
        out.push_str(&acc("name", &self.name));
        out.push_str(&acc("name, in table", &self.name_in_table));
        out.push_str(&acc("name, not in table", &self.name_not_in_table));
        out.push_str(&acc("host", &self.host));
        out.push_str(&prf("participants", &self.participants));
        out.push_str(&acc("participants exact", &self.participants_exact));
        out.push_str(&acc("location country", &self.location_country));
        out.push_str(&acc("start date", &self.start_date));
        out.push_str(&acc("start month-day", &self.start_month_day));
        out.push_str(&acc("end date", &self.end_date));
        out.push_str(&acc("end month-day", &self.end_month_day));
        out.push_str(&acc("duration", &self.duration));
        out.push_str(&prf("scenario", &self.scenario));
        out.push_str(&acc("troops", &self.troops));
        out.push_str(&acc("aircraft", &self.aircraft));
        out.push_str(&acc("ships", &self.ships));
        out.push_str(&acc("vehicles", &self.vehicles));
        out.push_str(&format!(
            "merge B-cubed          P {:.3}  R {:.3}  F1 {:.3}\n",
            self.merge_bcubed.precision, self.merge_bcubed.recall, self.merge_bcubed.f1
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(name: Option<&str>, parts: &[&str], start: Option<&str>) -> Exercise {
        Exercise {
            name: name.map(String::from),
            participants: Some(parts.iter().map(|s| s.to_string()).collect()),
            start_date: start.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn names_compare_without_case_accents_or_year() {
        assert_eq!(norm_name("Vostok-2022"), norm_name("vostok"));
        assert_eq!(norm_name("Zapad 21"), "zapad");
        assert_ne!(norm_name("Eagle Assault"), norm_name("Eagle"));
    }

    #[test]
    fn dates_compare_at_gold_precision() {
        assert!(date_exact("2022-05", "2022-05-14"));
        assert!(!date_exact("2022-05-14", "2022-05"));
        assert!(date_exact("--08-30", "2022-08-30"));
        assert!(month_day("2024-07-08", "--07-08"));
        assert!(!date_exact("2024-07-08", "--07-08"));
    }

    #[test]
    fn unnamed_exercises_match_on_participants_and_dates() {
        let gold = vec![
            ex(Some("Vostok"), &["RU", "CN"], Some("2022-08-30")),
            ex(None, &["CN", "RU"], Some("2022-05")),
        ];
        let pred = vec![
            ex(None, &["RU", "CN"], Some("2022-05")),
            ex(Some("Vostok 2022"), &["RU"], None),
        ];
        assert_eq!(match_exercises(&gold, &pred), vec![(0, 1), (1, 0)]);
        let wrong_month = vec![ex(None, &["CN", "RU"], Some("2022-07"))];
        assert!(match_exercises(&gold[1..], &wrong_month).is_empty());
    }

    #[test]
    fn an_undated_gold_edition_does_not_take_the_dated_one_of_the_same_name() {
        let gold = vec![
            ex(Some("Steadfast Defender"), &["US"], None),
            ex(Some("Steadfast Defender"), &[], Some("2021")),
        ];
        let pred = vec![
            ex(Some("Steadfast Defender"), &["US"], Some("2024")),
            ex(Some("Steadfast Defender"), &[], Some("2021")),
        ];
        let mut pairs = match_exercises(&gold, &pred);
        pairs.sort();
        assert_eq!(pairs, vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn explain_names_the_missed_the_extra_and_the_wrong_fields() {
        let doc = |exs: Vec<Exercise>| DocRecord {
            id: "d1".into(),
            label: Label::Exercise,
            exercises: exs,
            ..Default::default()
        };
        let gold = doc(vec![
            ex(Some("Zapad"), &["RU", "BY"], Some("2021-09-10")),
            ex(None, &["CN"], Some("2022-08")),
        ]);
        let pred = doc(vec![
            ex(Some("Zapad"), &["RU", "BY"], Some("2021-09-09")),
            ex(None, &["US"], None),
        ]);
        let report = explain(std::slice::from_ref(&gold), &[pred]);
        assert!(report.starts_with("d1 (und)\n"), "{report}");
        assert!(
            report.contains("start 2021-09-10 / Some(\"2021-09-09\")"),
            "{report}"
        );
        assert!(
            report.contains("missed: (unnamed) 2022-08 [CN]"),
            "{report}"
        );
        assert!(
            report.contains("extra: (unnamed) (undated) [US]"),
            "{report}"
        );
        // a perfect prediction leaves nothing to say
        assert_eq!(
            explain(std::slice::from_ref(&gold), std::slice::from_ref(&gold)),
            ""
        );
    }

    #[test]
    fn a_gold_year_alone_is_not_scored_for_month_and_day() {
        let doc = |d: &str| DocRecord {
            id: "y".into(),
            label: Label::Exercise,
            exercises: vec![ex(Some("X"), &["CN"], Some(d))],
            ..Default::default()
        };
        let s = score(&[doc("2018")], &[doc("2018")]);
        assert_eq!((s.start_date.correct, s.start_date.total), (1, 1));
        assert_eq!(s.start_month_day.total, 0);
        let s = score(&[doc("2018-06")], &[doc("2019-06-02")]);
        assert_eq!((s.start_month_day.correct, s.start_month_day.total), (1, 1));
    }

    #[test]
    fn scores_count_what_they_should() {
        let g = DocRecord {
            id: "a".into(),
            label: Label::Exercise,
            exercises: vec![ex(Some("X"), &["CN", "RU"], Some("2024-07-08"))],
            ..Default::default()
        };
        let mut p = g.clone();
        p.exercises[0].participants = Some(vec!["CN".into(), "US".into()]);
        let neg = DocRecord {
            id: "b".into(),
            label: Label::Negative,
            ..Default::default()
        };
        let neg_pred = DocRecord {
            id: "b".into(),
            label: Label::Exercise,
            exercises: vec![ex(None, &[], None)],
            ..Default::default()
        };
        let s = score(&[g, neg], &[p, neg_pred]);
        assert_eq!((s.relevance.tp, s.relevance.fp, s.relevance.fn_), (1, 1, 0));
        assert_eq!((s.exercise.tp, s.exercise.fp), (1, 1));
        assert_eq!(
            (s.participants.tp, s.participants.fp, s.participants.fn_),
            (1, 1, 1)
        );
        assert_eq!(s.start_date.accuracy, Some(1.0));
        assert_eq!(s.participants_exact.accuracy, Some(0.0));
    }

    #[test]
    fn names_are_scored_apart_by_table_membership() {
        let g = DocRecord {
            id: "a".into(),
            label: Label::Exercise,
            exercises: vec![
                ex(Some("Vostok"), &["RU"], None),
                ex(Some("Eagle Assault"), &["BY"], None),
            ],
            ..Default::default()
        };
        let p = DocRecord {
            exercises: vec![ex(Some("Vostok"), &["RU"], None)],
            ..g.clone()
        };
        let s = score_with(&[g], &[p], &|n| n == "Vostok");
        assert_eq!((s.name_in_table.correct, s.name_in_table.total), (1, 1));
        assert_eq!(
            (s.name_not_in_table.correct, s.name_not_in_table.total),
            (0, 1)
        );
    }

    #[test]
    fn bcubed_of_perfect_and_lumped_clusters() {
        let perfect = vec![
            ("a".into(), "1".into()),
            ("a".into(), "1".into()),
            ("b".into(), "2".into()),
        ];
        assert!((bcubed(&perfect).f1 - 1.0).abs() < 1e-9);
        let lumped: Vec<(String, String)> =
            vec![("a".into(), "1".into()), ("b".into(), "1".into())];
        assert!((bcubed(&lumped).precision - 0.5).abs() < 1e-9);
    }
}
