//! A synthetic news corpus for ingest benchmarks and the kill-and-resume
//! test: JSON Lines articles written from our own templates, with
//! exercises reported by several outlets on different days (so records
//! merge), in several languages, and unrelated news. Deterministic for a
//! seed; nothing here is copied from real articles.

use anyhow::Result;
use serde_json::json;
use std::io::Write;

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.next(xs.len())]
    }
}

const SERIES: &[&str] = &[
    "Zapad",
    "Vostok",
    "Joint Sea",
    "Cobra Gold",
    "Talisman Sabre",
    "Malabar",
    "Baltops",
    "Sea Breeze",
    "Balikatan",
    "Freedom Shield",
];
const INVENTED: &[&str] = &[
    "Iron", "Silver", "Northern", "Coastal", "Steel", "Desert", "Arctic",
];
const BEASTS: &[&str] = &[
    "Quokka", "Falcon", "Lynx", "Heron", "Bison", "Otter", "Kestrel",
];
/// (English, Russian, German, ISO code)
const COUNTRIES: &[(&str, &str, &str, &str)] = &[
    ("Russia", "Россия", "Russland", "RU"),
    ("Belarus", "Беларусь", "Belarus", "BY"),
    ("China", "Китай", "China", "CN"),
    ("India", "Индия", "Indien", "IN"),
    ("Japan", "Япония", "Japan", "JP"),
    ("the United States", "США", "die Vereinigten Staaten", "US"),
    ("Poland", "Польша", "Polen", "PL"),
    ("Germany", "Германия", "Deutschland", "DE"),
    ("France", "Франция", "Frankreich", "FR"),
    ("Australia", "Австралия", "Australien", "AU"),
    ("Thailand", "Таиланд", "Thailand", "TH"),
    ("the Philippines", "Филиппины", "die Philippinen", "PH"),
];
const PLACES: &[&str] = &[
    "Brest",
    "Vladivostok",
    "Chennai",
    "Darwin",
    "Rostock",
    "Gdansk",
    "Okinawa",
    "Manila",
    "Pattaya",
    "Kaliningrad",
];
const MONTHS_EN: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_DE: &[&str] = &[
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
/// Per language: (code, report of a named exercise, report of an unnamed one).
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "en",
        "The armed forces of {a} and {b} began the joint military exercise {name} {year} on {month} {day}, {year} near {place}. About {troops} troops are taking part.",
        "Troops from {a} and {b} held joint military drills near {place} on {month} {day}, {year}.",
    ),
    (
        "ru",
        "{a} и {b} начали совместные учения «{name}-{year}» {day} {month} {year} года в районе города {place}. В них участвуют около {troops} военнослужащих.",
        "{a} и {b} провели совместные военные учения {day} {month} {year} года у города {place}.",
    ),
    (
        "de",
        "{a} und {b} haben am {day}. {month} {year} das gemeinsame Manöver „{name} {year}“ bei {place} begonnen. Rund {troops} Soldaten nehmen teil.",
        "Soldaten aus {a} und {b} haben am {day}. {month} {year} eine gemeinsame Militärübung bei {place} abgehalten.",
    ),
];
const FILLER: &[&str] = &[
    "Officials said the programme had been agreed months in advance.",
    "Observers from several neighbouring states were invited to watch the final phase.",
    "Local authorities warned residents about road closures near the training grounds.",
    "Analysts noted that the scale was larger than in previous years.",
    "The defence ministry released photographs of armoured vehicles crossing a river.",
    "A spokesman stressed that the drills were not directed against any third country.",
];
const NEWS: &[&str] = &[
    "The city council approved a new budget for public libraries on {d}.",
    "Heavy rain flooded several streets in the capital on {d}, the weather service said.",
    "The football club announced the signing of a young striker on {d}.",
    "Shares of the largest carmaker rose sharply on {d} after strong quarterly results.",
    "The school held its annual fire drill on {d}, and all pupils left the building in four minutes.",
];

/// One exercise as the generator imagines it.
struct Event {
    name: Option<String>,
    a: usize,
    b: usize,
    place: &'static str,
    year: i32,
    month: usize,
    day: usize,
    troops: usize,
}

/// Writes `n` articles as JSON Lines, and when `gold` is given, one
/// GOLD-FORMAT line per article (label, and the exercise with its `key`,
/// name, participants and start date) so `muster eval` can score merging.
pub fn write(
    n: usize,
    seed: u64,
    out: &mut dyn Write,
    mut gold: Option<&mut dyn Write>,
) -> Result<()> {
    let mut r = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut events: Vec<Event> = Vec::new();
    let mut named = std::collections::HashSet::new();
    for i in 0..n {
        // a new exercise about every fourth article; the rest report on one
        // already in the news, or are unrelated
        let kind = r.next(10);
        if kind < 2 {
            let d = r.next(28) + 1;
            let m = r.next(12);
            let text = r
                .pick(NEWS)
                .replace("{d}", &format!("{} {d}", MONTHS_EN[m]));
            writeln!(
                out,
                "{}",
                json!({"id": format!("n{i:07}"), "date": format!("2024-{:02}-{d:02}", m + 1), "text": text, "lang": "en"})
            )?;
            if let Some(g) = gold.as_mut() {
                writeln!(
                    g,
                    "{}",
                    json!({"id": format!("n{i:07}"), "label": "negative", "exercises": []})
                )?;
            }
            continue;
        }
        if events.is_empty() || kind < 3 {
            let a = r.next(COUNTRIES.len());
            let mut b = r.next(COUNTRIES.len());
            if b == a {
                b = (a + 1) % COUNTRIES.len();
            }
            let year = 2010 + r.next(16) as i32;
            let mut name = match r.next(3) {
                0 => None,
                1 => Some(r.pick(SERIES).to_string()),
                _ => Some(format!("{} {}", r.pick(INVENTED), r.pick(BEASTS))),
            };
            // a named exercise is held once a year
            if let Some(n) = &name {
                if !named.insert((n.clone(), year)) {
                    name = None;
                }
            }
            events.push(Event {
                name,
                a,
                b,
                place: PLACES[r.next(PLACES.len())],
                year,
                month: r.next(12),
                day: r.next(27) + 1,
                troops: (r.next(40) + 1) * 500,
            });
        }
        // recent events are reported most
        let k = events.len() - 1 - r.next(events.len().min(40));
        let e = &events[k];
        let lag = r.next(3);
        let pub_day = (e.day + lag).min(28);
        let date = format!("{}-{:02}-{pub_day:02}", e.year, e.month + 1);
        let (a, b) = (COUNTRIES[e.a], COUNTRIES[e.b]);
        // one report in three languages' templates: en twice as often
        let (lang, ca, cb, months) = match r.next(4) {
            0 => ("ru", a.1, b.1, MONTHS_RU),
            1 => ("de", a.2, b.2, MONTHS_DE),
            _ => ("en", a.0, b.0, MONTHS_EN),
        };
        let t = TEMPLATES
            .iter()
            .find(|t| t.0 == lang)
            .unwrap_or(&TEMPLATES[0]);
        let text = match &e.name {
            Some(_) => t.1,
            None => t.2,
        }
        .replace("{a}", ca)
        .replace("{b}", cb)
        .replace("{name}", e.name.as_deref().unwrap_or(""))
        .replace("{year}", &e.year.to_string())
        .replace("{month}", months[e.month])
        .replace("{day}", &e.day.to_string())
        .replace("{place}", e.place)
        .replace("{troops}", &e.troops.to_string());
        let mut body = text;
        let fillers = if lang == "en" { r.next(4) } else { 0 };
        for _ in 0..fillers {
            body.push(' ');
            body.push_str(FILLER[r.next(FILLER.len())]);
        }
        writeln!(
            out,
            "{}",
            json!({"id": format!("a{i:07}"), "date": date, "lang": lang, "title": format!("Report {i}"), "text": body})
        )?;
        if let Some(g) = gold.as_mut() {
            let key = match &e.name {
                Some(nm) => format!("{}-{}", muster_lexicon::norm::slug(nm), e.year),
                None => format!("event-{k}"),
            };
            let mut parts = vec![a.3, b.3];
            parts.sort();
            writeln!(
                g,
                "{}",
                json!({"id": format!("a{i:07}"), "label": "exercise", "lang": lang, "pub_date": date,
                       "exercises": [{"key": key, "name": e.name, "participants": parts,
                                      "start_date": format!("{}-{:02}-{:02}", e.year, e.month + 1, e.day)}]})
            )?;
        }
    }
    Ok(())
}
