//! `muster follow`: poll feeds for ever, ingest new items, back off from
//! feeds that fail.

use crate::ingesting::{follow_or_keep, is_feed_item, Ingestor};
use anyhow::{bail, Context, Result};
use muster_core::{RawDoc, SetAside};
use muster_ingest::fetch::FetchCache;
use muster_pipeline::Options;
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Longest wait before a failing feed is tried again.
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);

/// "30s", "15m", "2h", "1d", or a combination ("1h30m").
pub fn parse_every(s: &str) -> Result<Duration> {
    let mut total = 0u64;
    let mut num = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num
            .parse()
            .with_context(|| format!("--every {s:?}: a number must come before {c:?}"))?;
        num.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => bail!("--every {s:?}: units are s, m, h, d"),
        };
    }
    if !num.is_empty() {
        bail!("--every {s:?}: give a unit (30s, 15m, 2h, 1d)");
    }
    if total == 0 {
        bail!("--every {s:?}: must be longer than zero");
    }
    Ok(Duration::from_secs(total))
}

/// The feeds listed in the file: one per line, `#` comments.
pub fn read_list(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the feed list {}", path.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// A failing feed's state.
struct Failing {
    failures: u32,
    next_try: Instant,
}

/// The delay after `failures` failures in a row: `every`, doubled each
/// time, at most a day.
pub fn backoff(every: Duration, failures: u32) -> Duration {
    let factor = 1u32 << failures.min(16);
    every.saturating_mul(factor).min(MAX_BACKOFF.max(every))
}

fn now_utc() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Reads one feed: its items, or why the feed itself failed.
fn poll(
    feed: &str,
    cache: &mut FetchCache,
) -> std::result::Result<Vec<std::result::Result<RawDoc, SetAside>>, String> {
    let mut items = Vec::new();
    let mut failed = None;
    let mut sink = |r: std::result::Result<RawDoc, SetAside>| match r {
        Err(s) if s.source == feed => failed = Some(s.reason),
        r => items.push(r),
    };
    if feed.starts_with("http://") || feed.starts_with("https://") {
        muster_ingest::read_url(feed, cache, &mut sink);
    } else {
        let (inputs, bad) = muster_ingest::expand(&[feed.to_string()]);
        if let Some(b) = bad.into_iter().next() {
            return Err(b.reason);
        }
        for i in &inputs {
            muster_ingest::read_input(i, &mut sink);
        }
    }
    match failed {
        Some(reason) => Err(reason),
        None => Ok(items),
    }
}

pub fn run(list: &Path, every: Duration, db: &Path, follow: bool, once: bool) -> Result<ExitCode> {
    let mut store =
        muster_store::Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let mut failing: HashMap<String, Failing> = HashMap::new();
    loop {
        let round = Instant::now();
        let feeds = read_list(list)?;
        let mut cache = FetchCache::from_env();
        let mut ing = Ingestor::new(&mut store, 500)?;
        let (mut polled, mut failed) = (0, 0);
        for feed in &feeds {
            if failing
                .get(feed)
                .is_some_and(|f| f.next_try > Instant::now())
            {
                continue;
            }
            polled += 1;
            let items = match poll(feed, &mut cache) {
                Ok(items) => {
                    failing.remove(feed);
                    items
                }
                Err(reason) => {
                    failed += 1;
                    let f = failing.entry(feed.clone()).or_insert(Failing {
                        failures: 0,
                        next_try: Instant::now(),
                    });
                    f.failures += 1;
                    let wait = backoff(every, f.failures);
                    f.next_try = Instant::now() + wait;
                    eprintln!(
                        "muster: {} feed {feed} failed ({reason}); retry in {} min",
                        now_utc(),
                        wait.as_secs() / 60
                    );
                    continue;
                }
            };
            let mut batch = Vec::new();
            for it in items {
                match it {
                    Ok(raw) if ing.skip(&raw, follow) => {}
                    Ok(raw) if follow && is_feed_item(&raw) => batch.push(Ok(follow_or_keep(raw))),
                    it => batch.push(it),
                }
            }
            crate::run_batch(&batch, Options::default(), &mut |o| ing.add(o))?;
        }
        // validators are saved only now that the items are stored
        let summary = ing.finish()?;
        if let Err(e) = cache.save() {
            eprintln!("muster: cannot save the fetch cache: {e}");
        }
        eprintln!(
            "muster: {} polled {polled} of {} feeds ({failed} failed): {summary}",
            now_utc(),
            feeds.len()
        );
        if once {
            return Ok(if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        let next = failing
            .values()
            .map(|f| f.next_try)
            .chain(std::iter::once(round + every))
            .min()
            .unwrap_or(round + every);
        std::thread::sleep(
            next.saturating_duration_since(Instant::now())
                .max(Duration::from_secs(1)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_units_and_refuse_nonsense() {
        assert_eq!(parse_every("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_every("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_every("2d").unwrap(), Duration::from_secs(172_800));
        assert!(parse_every("15").is_err());
        assert!(parse_every("0m").is_err());
        assert!(parse_every("5x").is_err());
        assert!(parse_every("m").is_err());
    }

    #[test]
    fn backoff_doubles_and_stops_at_a_day() {
        let m = Duration::from_secs(900);
        assert_eq!(backoff(m, 1), Duration::from_secs(1800));
        assert_eq!(backoff(m, 2), Duration::from_secs(3600));
        assert_eq!(backoff(m, 30), MAX_BACKOFF);
    }
}
