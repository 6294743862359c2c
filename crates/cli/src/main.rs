//! The `muster` command: argument parsing and wiring, nothing else.

mod bench;
mod corpus;
mod follow;
mod ingesting;
mod records;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use muster_core::{DocRecord, RawDoc, SetAside};
use muster_ingest::{expand, read_input, Input};
use muster_pipeline::{process, Options, Processed};
use rayon::prelude::*;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "muster",
    version,
    about = "A source-linked record of military exercises from the world's news.",
    long_about = "muster reads news articles (plain text, JSON Lines dumps, HTML pages, any of them \
                  gzipped), keeps the article text of a page, removes \
                  boilerplate, finds the languages of each sentence and extracts every military \
                  exercise the articles report: name, host, participants, place, dates, scale and \
                  scenario, each with the character spans it came from.\n\n\
                  Exit codes: 0 = all inputs read; 1 = some inputs were set aside (reasons on \
                  stderr); 2 = the command could not run."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract exercises and print one JSON object per document (JSON Lines).
    ///
    /// INPUT may be files, folders (read recursively), globs, `.jsonl`/`.ndjson`
    /// article dumps (one article per line with `text` and optional `id`, `title`,
    /// `url`, `date`, `lang`), or `-` for standard input (the default).
    Extract {
        /// Files, folders, globs, or `-` for stdin.
        inputs: Vec<String>,
        /// Add the cleaned text (`clean_text`) and sentences with their language.
        #[arg(long)]
        with_text: bool,
        /// Worker threads (default: all cores). Output is the same for any value.
        #[arg(long)]
        threads: Option<usize>,
        /// Merge the exercises of all inputs into records and add to each
        /// exercise the `record` id it joined (output waits for the last input).
        #[arg(long)]
        merge: bool,
        /// Replace each feed item by the page it links to (main content).
        #[arg(long)]
        follow: bool,
    },
    /// Score the pipeline against a gold file (GOLD-FORMAT) and print every score.
    Eval {
        /// Gold JSON Lines file.
        gold: PathBuf,
        /// Folder holding `<id>.txt` or `<id>.html` (default: the gold file's
        /// folder); documents not found so are looked for by id, then by url,
        /// in the WARC archives, feeds and JSON Lines dumps there (or in the
        /// one such file given).
        #[arg(long)]
        texts: Option<PathBuf>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
        /// Also score each gold language separately.
        #[arg(long)]
        by_lang: bool,
        /// Write the predictions (JSON Lines) to this file.
        #[arg(long)]
        predictions: Option<PathBuf>,
        /// Write what went wrong to this file, document by document: missed
        /// and extra exercises, and matched ones whose name, host, location
        /// or start date disagree with the gold.
        #[arg(long)]
        explain: Option<PathBuf>,
    },
    /// Store documents, sentences and exercises in the embedded database,
    /// and merge every exercise mention into records.
    ///
    /// Prints one line per document processed (id, label, exercises) and a
    /// summary on stderr. Ingesting the same inputs again adds nothing and
    /// processes nothing: documents already stored by this muster version are
    /// skipped before extraction. Each batch is one transaction; if the
    /// process is stopped (even killed), running the same command again
    /// finishes the work with the same result as an uninterrupted run.
    Ingest {
        /// Files, folders, globs, or `-` for stdin.
        inputs: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Documents per transaction.
        #[arg(long, default_value_t = 500)]
        batch_size: usize,
        /// Replace each feed item by the page it links to (main content);
        /// an item already stored is not fetched again.
        #[arg(long)]
        follow: bool,
    },
    /// Poll a list of feeds forever and ingest new items: the record stays
    /// current.
    ///
    /// FEEDS is a file with one feed per line (an http(s) URL or a path; `#`
    /// starts a comment), read again each round so it can be edited while
    /// this runs. Feeds are fetched with conditional GET; items already
    /// stored are skipped; a feed that is down or broken is logged and
    /// retried with a doubling delay (up to a day), and the others go on.
    /// The fetch validators are saved only after the items are stored, so a
    /// stop at any moment loses nothing. Stop with Ctrl-C.
    Follow {
        /// The feed list.
        feeds: PathBuf,
        /// Time between rounds: 30s, 15m, 2h, 1d.
        #[arg(long, default_value = "15m")]
        every: String,
        #[command(flatten)]
        db: DbArg,
        /// Replace each new item by the page it links to (main content).
        #[arg(long)]
        follow: bool,
        /// Run one round and exit.
        #[arg(long)]
        once: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// List merged exercise records (one per real exercise), with filters.
    Records {
        #[command(flatten)]
        db: DbArg,
        /// Only records this country takes part in (ISO code; repeat or
        /// comma-separate for several, all required).
        #[arg(long, value_delimiter = ',')]
        participant: Vec<String>,
        /// Only records hosted by this country (ISO code).
        #[arg(long)]
        host: Option<String>,
        /// Only records of this series or name ("Zapad", "joint-sea").
        #[arg(long)]
        series: Option<String>,
        /// Only records running on or after this date (YYYY, YYYY-MM, YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only records starting on or before this date.
        #[arg(long)]
        to: Option<String>,
        /// Only records located (else hosted) in this region: a country
        /// code (PL), an alliance on the record's date (NATO, CSTO, EU), or a
        /// box SOUTH,WEST,NORTH,EAST in degrees.
        #[arg(long, allow_hyphen_values = true)]
        region: Option<String>,
        /// Print the whole records as JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over the stored articles (every word required;
    /// "quoted words" as a phrase; Chinese and Japanese match characters in order).
    Search {
        /// Words to find.
        query: String,
        #[command(flatten)]
        db: DbArg,
        /// Most results to print.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Counts of what the database holds, whether records are up to date,
    /// and a digest of the whole content (equal digests: equal data).
    Stats {
        #[command(flatten)]
        db: DbArg,
    },
    /// List stored documents with their label and exercises.
    Ls {
        #[command(flatten)]
        db: DbArg,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one merged record with every value, its sources and the
    /// evidence quoted from them; or, given a document id, that document's
    /// stored record (JSON).
    Show {
        /// Record id (from `muster records`) or document id.
        id: String,
        #[command(flatten)]
        db: DbArg,
        /// Print the record as JSON (evidence quoted under `quote`).
        #[arg(long)]
        json: bool,
        /// With a document id: also print the cleaned text.
        #[arg(long)]
        with_text: bool,
    },
    /// Check the embedded language data and print what it holds.
    CheckData,
    /// Geography: resolve place names, distances to borders, alliance membership (JSON).
    Geo {
        #[command(subcommand)]
        cmd: GeoCmd,
    },
    /// Benchmarks of single stages: quality against public sets, speed, load time and memory.
    Bench {
        #[command(subcommand)]
        what: BenchCmd,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Main-content extraction on the article-extraction set (`html/*.html.gz`
    /// and `ground-truth.json`): F1, precision, recall and pages/s, beside
    /// trafilatura when `python3 -c 'import trafilatura'` works, and the
    /// whole `muster extract --with-text` process against trafilatura's.
    Html {
        /// The set's folder.
        #[arg(long, default_value = "../shared/bench/article-extraction")]
        dir: PathBuf,
        /// Where to write our predictions (`{id: {"articleBody": text}}`).
        #[arg(long)]
        predictions: Option<PathBuf>,
        /// Do not run trafilatura.
        #[arg(long)]
        no_trafilatura: bool,
    },
    /// Write a synthetic corpus (JSON Lines articles from our own templates:
    /// exercises reported by several outlets in English, Russian and German,
    /// and unrelated news) to standard output.
    Corpus {
        /// Number of articles.
        #[arg(long, default_value_t = 1000)]
        docs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the gold file (GOLD-FORMAT, with merge keys) here.
        #[arg(long)]
        gold: Option<PathBuf>,
    },
    /// Ingest throughput: generate a synthetic corpus, ingest it into a new
    /// database (documents/s, peak memory), then ingest it again (rows
    /// added: must be zero). Prints JSON.
    Ingest {
        /// Number of articles.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Worker threads for the ingest (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Keep the corpus and database in this folder (default: a temporary one).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Gazetteer and boundaries: load time, memory, resolution and distance speed (JSON).
    Geo {
        /// Timed repetitions of each measure.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum GeoCmd {
    /// Resolve a place name; countries (codes) or places (names) around it decide between homonyms.
    Resolve {
        /// The name as written ("Brest", "Брест", "布列斯特").
        name: String,
        /// Comma-separated country codes or place names around the mention ("BY,PL", "Brittany").
        #[arg(long, value_delimiter = ',')]
        context: Vec<String>,
        /// How many candidates to list (0 = none).
        #[arg(long, default_value_t = 5)]
        candidates: usize,
    },
    /// Great-circle distance from a point to a country's or an alliance's border.
    Distance {
        /// LAT,LON in decimal degrees ("52.1,23.7").
        #[arg(allow_hyphen_values = true)]
        point: String,
        /// Country code (PL) or alliance (NATO, CSTO, EU ...).
        #[arg(long)]
        to: String,
        /// Date for alliance membership (YYYY, YYYY-MM or YYYY-MM-DD; default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Whether a country belongs to an alliance on a date.
    Member {
        /// Country code (FI).
        country: String,
        /// Alliance code or name (NATO, OTAN, ОДКБ ...).
        org: String,
        /// Date (YYYY, YYYY-MM or YYYY-MM-DD; default today).
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(clap::Args)]
struct DbArg {
    /// Database file (default: $MUSTER_DB, else ./muster.db).
    #[arg(long, env = "MUSTER_DB", default_value = "muster.db")]
    db: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("muster: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Cmd::Extract {
            inputs,
            with_text,
            threads,
            merge,
            follow,
        } => {
            set_threads(threads);
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let mut held: Vec<DocRecord> = Vec::new();
            let mut cache = muster_ingest::fetch::FetchCache::from_env();
            let set_aside =
                for_each_processed(&inputs, Options { with_text }, follow, &mut cache, |p| {
                    if merge {
                        held.push(p.record.clone());
                        return Ok(());
                    }
                    serde_json::to_writer(&mut out, &p.record)?;
                    out.write_all(b"\n")?;
                    Ok(())
                })?;
            if merge {
                merge_docs(&mut held);
                for r in &held {
                    serde_json::to_writer(&mut out, r)?;
                    out.write_all(b"\n")?;
                }
            }
            out.flush()?;
            save_fetch_cache(&cache, &inputs);
            Ok(exit_for(set_aside))
        }
        Cmd::Eval {
            gold,
            texts,
            json,
            by_lang,
            predictions,
            explain,
        } => cmd_eval(&gold, texts, json, by_lang, predictions, explain),
        Cmd::Ingest {
            inputs,
            db,
            threads,
            batch_size,
            follow,
        } => {
            set_threads(threads);
            let mut store = muster_store::Store::open(&db.db)
                .with_context(|| format!("opening {}", db.db.display()))?;
            let ing = std::cell::RefCell::new(ingesting::Ingestor::new(&mut store, batch_size)?);
            let mut cache = muster_ingest::fetch::FetchCache::from_env();
            let n_aside = for_each_result(
                &inputs,
                Options { with_text: false },
                follow,
                &mut cache,
                &mut |raw| ing.borrow_mut().skip(raw, follow),
                |r| ing.borrow_mut().add(r),
            )?;
            let summary = ing.into_inner().finish()?;
            // the feeds' validators only now that their items are stored
            save_fetch_cache(&cache, &inputs);
            eprintln!("muster: {summary} → {}", db.db.display());
            Ok(exit_for(n_aside))
        }
        Cmd::Ls { db, json } => {
            let store = open_existing(&db.db)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for row in store.list()? {
                if json {
                    serde_json::to_writer(&mut out, &row)?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        row.id,
                        row.label,
                        row.lang.as_deref().unwrap_or("-"),
                        row.exercises.join(", "),
                        row.title.as_deref().unwrap_or("")
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Follow {
            feeds,
            every,
            db,
            follow,
            once,
            threads,
        } => {
            set_threads(threads);
            let every = follow::parse_every(&every)?;
            follow::run(&feeds, every, &db.db, follow, once)
        }
        Cmd::Records {
            db,
            participant,
            host,
            series,
            from,
            to,
            region,
            json,
        } => {
            let store = open_existing(&db.db)?;
            warn_stale(&store)?;
            let region = region.as_deref().map(records::Region::parse).transpose()?;
            let filter = muster_store::RecordFilter {
                participants: participant,
                host,
                series,
                from,
                to,
            };
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let mut n = 0;
            for r in store.records(&filter)? {
                if region.as_ref().is_some_and(|g| !g.contains(&r)) {
                    continue;
                }
                n += 1;
                if json {
                    serde_json::to_writer(&mut out, &r)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}", records::line(&r))?;
                }
            }
            out.flush()?;
            eprintln!("muster: {n} records");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Search {
            query,
            db,
            limit,
            json,
        } => {
            let store = open_existing(&db.db)?;
            let hits = store.search(&query, limit)?;
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            for h in &hits {
                if json {
                    serde_json::to_writer(&mut out, h)?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\n    {}",
                        h.doc,
                        h.pub_date.as_deref().unwrap_or("-"),
                        h.records.join(","),
                        records::clean(h.title.as_deref().unwrap_or("")),
                        h.snippet
                    )?;
                }
            }
            out.flush()?;
            eprintln!("muster: {} results", hits.len());
            Ok(if hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Stats { db } => {
            let store = open_existing(&db.db)?;
            let (docs, sents, ex, aside) = store.counts()?;
            let out = serde_json::json!({
                "documents": docs,
                "sentences": sents,
                "mentions": ex,
                "records": store.record_count()?,
                "set_aside": aside,
                "records_stale": store.records_stale()?,
                "schema_version": store.schema_version()?,
                "digest": store.digest()?,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Show {
            id,
            db,
            json,
            with_text,
        } => {
            let store = open_existing(&db.db)?;
            if let Some(r) = store.record(&id)? {
                let stdout = std::io::stdout();
                let mut out = BufWriter::new(stdout.lock());
                if json {
                    let v = records::with_quotes(&store, &r)?;
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                } else {
                    records::print(&store, &r, &mut out)?;
                }
                out.flush()?;
                return Ok(ExitCode::SUCCESS);
            }
            match store.show(&id, with_text)? {
                Some(rec) => {
                    println!("{}", serde_json::to_string_pretty(&rec)?);
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!(
                        "muster: no record or document with id {id:?} in {}",
                        db.db.display()
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Cmd::Bench {
            what:
                BenchCmd::Html {
                    dir,
                    predictions,
                    no_trafilatura,
                },
        } => {
            bench::bench_html(&dir, predictions, !no_trafilatura)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::CheckData => {
            let lex = muster_lexicon::Lexicon::get();
            for (code, l) in &lex.langs {
                println!(
                    "{code}\ttriggers {}\tmonths {}\tdate patterns {}\troles {}\tboilerplate {}",
                    l.data.exercise.triggers.len(),
                    l.data.dates.months.len(),
                    l.date_patterns.len(),
                    l.roles.len(),
                    l.boilerplate.len()
                );
            }
            println!(
                "series {}\tevents {}\tplaces {}\talliances {}",
                lex.series.len(),
                lex.events.len(),
                lex.places.len(),
                lex.alliances.len()
            );
            let problems = lex.pattern_problems();
            for w in lex.warnings.iter().chain(&problems) {
                eprintln!("warning: {w}");
            }
            Ok(if lex.warnings.is_empty() && problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Geo { cmd } => cmd_geo(cmd),
        Cmd::Bench {
            what: BenchCmd::Geo { runs },
        } => bench_geo(runs),
        Cmd::Bench {
            what: BenchCmd::Corpus { docs, seed, gold },
        } => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let mut g = match &gold {
                Some(p) => Some(BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => None,
            };
            corpus::write(
                docs,
                seed,
                &mut out,
                g.as_mut().map(|g| g as &mut dyn Write),
            )?;
            out.flush()?;
            if let Some(mut g) = g {
                g.flush()?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench {
            what: BenchCmd::Ingest { docs, threads, dir },
        } => bench::bench_ingest(docs, threads, dir),
    }
}

fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn cmd_geo(cmd: GeoCmd) -> Result<ExitCode> {
    use serde_json::json;
    let g = muster_geo::Gazetteer::get();
    match cmd {
        GeoCmd::Resolve {
            name,
            context,
            candidates,
        } => {
            let ctx: Vec<&str> = context.iter().map(String::as_str).collect();
            let resolved = g.resolve(&name, &ctx);
            let cands: Vec<serde_json::Value> = g
                .candidates(&name, &ctx)
                .into_iter()
                .take(candidates)
                .map(|(score, p)| {
                    let mut v = serde_json::to_value(p).unwrap_or_default();
                    v["score"] = json!(score);
                    v
                })
                .collect();
            print_json(&json!({
                "query": name,
                "context": context,
                "resolved": resolved,
                "candidates": cands,
            }))?;
            Ok(if resolved.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        GeoCmd::Distance { point, to, on } => {
            let (lat, lon) = parse_point(&point)?;
            if g.borders().country(&to.to_uppercase()).is_some() {
                let d = g
                    .distance_to_country(lat, lon, &to)
                    .context("no boundary for this country")?;
                print_json(&json!({
                    "lat": lat,
                    "lon": lon,
                    "to": d.country,
                    "distance_km": round3(d.km),
                    "inside": d.inside,
                    "nearest": [d.nearest_lat, d.nearest_lon],
                }))?;
                return Ok(ExitCode::SUCCESS);
            }
            let on = on.unwrap_or_else(today);
            let Some(d) = g.distance_to_alliance(lat, lon, &to, &on) else {
                anyhow::bail!("{to:?} is neither a country code with a boundary nor a known alliance with members on {on}");
            };
            print_json(&json!({
                "lat": lat,
                "lon": lon,
                "to": d.org,
                "on": d.on,
                "distance_km": round3(d.km),
                "inside": d.inside,
                "nearest": [d.nearest_lat, d.nearest_lon],
                "nearest_member": d.nearest_member,
                "members": d.members,
                "members_without_boundary": d.missing,
            }))?;
            Ok(ExitCode::SUCCESS)
        }
        GeoCmd::Member { country, org, on } => {
            let on = on.unwrap_or_else(today);
            let a = g
                .alliance(&org)
                .with_context(|| format!("unknown alliance {org:?}"))?;
            let m = g.membership(&country, &org, &on);
            print_json(&json!({
                "country": country.to_uppercase(),
                "org": a.code,
                "on": on,
                "member": m.is_some(),
                "from": m.map(|m| m.from.clone()),
                "to": m.and_then(|m| m.to.clone()),
            }))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn parse_point(s: &str) -> Result<(f64, f64)> {
    let (a, b) = s
        .split_once(',')
        .with_context(|| format!("expected LAT,LON, got {s:?}"))?;
    let lat: f64 = a
        .trim()
        .parse()
        .with_context(|| format!("bad latitude {a:?}"))?;
    let lon: f64 = b
        .trim()
        .parse()
        .with_context(|| format!("bad longitude {b:?}"))?;
    anyhow::ensure!(
        (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
        "point out of range: {lat},{lon}"
    );
    Ok((lat, lon))
}

/// Resident set size of this process in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn bench_geo(runs: usize) -> Result<ExitCode> {
    use std::time::Instant;
    let runs = runs.max(1);
    let rss0 = rss_kib();
    let t = Instant::now();
    let g = muster_geo::Gazetteer::get();
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss1 = rss_kib();
    let mut loads = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let g2 = muster_geo::Gazetteer::load();
        loads.push(t.elapsed().as_secs_f64() * 1e3);
        drop(g2);
    }
    let names = [
        "Brest",
        "Брест",
        "Paris",
        "布列斯特",
        "Baltic Sea",
        "Narva",
        "Kaliningrad",
    ];
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..runs * 200 {
        for name in names {
            n += usize::from(g.resolve(name, &["BY", "PL"]).is_some());
        }
    }
    let resolve_us = t.elapsed().as_secs_f64() * 1e6 / (runs * 200 * names.len()) as f64;
    let t = Instant::now();
    for _ in 0..runs * 20 {
        n += usize::from(g.distance_to_country_km(52.1, 23.7, "PL").is_some());
    }
    let country_us = t.elapsed().as_secs_f64() * 1e6 / (runs * 20) as f64;
    let t = Instant::now();
    for _ in 0..runs * 20 {
        n += usize::from(
            g.distance_to_alliance_km(52.1, 23.7, "NATO", "2024-01-01")
                .is_some(),
        );
    }
    let alliance_us = t.elapsed().as_secs_f64() * 1e6 / (runs * 20) as f64;
    let text = "Russian and Belarusian troops drilled near Brest and Grodno, close to the Polish town of Biała Podlaska and the Suwałki gap; 俄军在加里宁格勒演习。";
    let norm = muster_lexicon::norm::Norm::new(text);
    let t = Instant::now();
    for _ in 0..runs * 200 {
        n += g.find_in(&norm, text).len();
    }
    let find_us = t.elapsed().as_secs_f64() * 1e6 / (runs * 200) as f64;
    loads.sort_by(f64::total_cmp);
    print_json(&serde_json::json!({
        "places": g.places().len(),
        "name_forms": g.n_forms(),
        "boundary_countries": g.borders().countries().len(),
        "boundary_arcs": g.borders().n_arcs(),
        "boundary_points": g.borders().n_points(),
        "first_load_ms": round3(first_ms),
        "load_ms_median": round3(loads[loads.len() / 2]),
        "rss_before_kib": rss0,
        "rss_after_first_load_kib": rss1,
        "rss_growth_mib": round3((rss1.saturating_sub(rss0)) as f64 / 1024.0),
        "heap_estimate_mib": round3(g.heap_bytes() as f64 / 1048576.0),
        "resolve_us": round3(resolve_us),
        "find_in_us_per_sentence": round3(find_us),
        "distance_to_country_us": round3(country_us),
        "distance_to_alliance_us": round3(alliance_us),
        "checksum": n,
    }))?;
    Ok(ExitCode::SUCCESS)
}

fn set_threads(n: Option<usize>) {
    if let Some(n) = n {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

fn exit_for(set_aside: usize) -> ExitCode {
    if set_aside > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Saves the validators of the URLs read (a no-op when no input is one).
fn save_fetch_cache(cache: &muster_ingest::fetch::FetchCache, inputs: &[String]) {
    if !inputs
        .iter()
        .any(|i| i.starts_with("http://") || i.starts_with("https://"))
    {
        return;
    }
    if let Err(e) = cache.save() {
        eprintln!("muster: cannot save the fetch cache: {e}");
    }
}

/// Records lag behind documents after an interrupted ingest: say so.
fn warn_stale(store: &muster_store::Store) -> Result<()> {
    if store.records_stale()? {
        eprintln!("muster: records are not up to date with the documents (an ingest was interrupted): run `muster ingest` again to finish");
    }
    Ok(())
}

fn open_existing(path: &Path) -> Result<muster_store::Store> {
    if !path.exists() {
        anyhow::bail!(
            "no database at {} (run `muster ingest` first, or pass --db)",
            path.display()
        );
    }
    muster_store::Store::open(path).with_context(|| format!("opening {}", path.display()))
}

fn progress(total: u64) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} inputs {wide_bar} {per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// Runs the pipeline over a batch in parallel, in order; a document whose
/// processing panics is set aside instead of stopping the run.
fn process_batch(
    batch: &[std::result::Result<RawDoc, SetAside>],
    opts: Options,
) -> Vec<std::result::Result<Processed, SetAside>> {
    batch
        .par_iter()
        .map(|r| match r {
            Ok(raw) => process_one(raw, opts),
            Err(s) => Err(s.clone()),
        })
        .collect()
}

/// Runs the pipeline over one document; one whose processing panics is
/// set aside instead of stopping the run.
fn process_one(raw: &RawDoc, opts: Options) -> std::result::Result<Processed, SetAside> {
    std::panic::catch_unwind(|| process(raw, opts)).map_err(|_| SetAside {
        source: raw.source.clone(),
        reason: "internal error while processing (please report)".into(),
    })
}

/// Runs the pipeline over a batch and hands each outcome, in order, to
/// `sink` with the document as read.
fn run_batch(
    batch: &[std::result::Result<RawDoc, SetAside>],
    opts: Options,
    sink: &mut dyn FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    for (d, raw) in process_batch(batch, opts).into_iter().zip(batch) {
        sink(match (d, raw) {
            (Ok(p), Ok(raw)) => Ok((p, raw)),
            (Err(s), _) => Err(s),
            (Ok(_), Err(s)) => Err(s.clone()),
        })?;
    }
    Ok(())
}

/// One pipeline result with the document as read, or why it was set aside.
type Outcome<'a> = std::result::Result<(Processed, &'a RawDoc), SetAside>;

/// Documents processed together by the thread pool.
const BATCH: usize = 64;

/// Documents read ahead of the oldest one not yet handed to the sink.
const IN_FLIGHT: usize = 2 * BATCH;

/// Documents in input order, each read and possibly processed: results
/// come back from the workers in any order and leave in input order.
#[derive(Default)]
struct InOrder {
    slots: std::collections::VecDeque<Slot>,
    /// The sequence number of `slots[0]`.
    first: usize,
}

/// A document as read (none when reading it failed) and its result, once
/// there is one.
type Slot = (
    Option<std::sync::Arc<RawDoc>>,
    Option<std::result::Result<Processed, SetAside>>,
);

impl InOrder {
    /// Adds the next document; returns its sequence number.
    fn push(&mut self, slot: Slot) -> usize {
        self.slots.push_back(slot);
        self.first + self.slots.len() - 1
    }

    fn fill(&mut self, seq: usize, r: std::result::Result<Processed, SetAside>) {
        if let Some(slot) = seq
            .checked_sub(self.first)
            .and_then(|k| self.slots.get_mut(k))
        {
            slot.1 = Some(r);
        }
    }

    /// The oldest document when its result is in.
    fn pop_ready(&mut self) -> Option<Slot> {
        self.slots.front()?.1.as_ref()?;
        self.first += 1;
        self.slots.pop_front()
    }
}

/// Reads every input and runs the pipeline on the documents as they come,
/// on a pool of worker threads, handing results to `sink` in input order.
/// Returns the number set aside.
fn for_each_result(
    inputs: &[String],
    opts: Options,
    follow: bool,
    cache: &mut muster_ingest::fetch::FetchCache,
    skip: &mut dyn FnMut(&RawDoc) -> bool,
    mut sink: impl FnMut(Outcome) -> Result<()>,
) -> Result<usize> {
    use std::sync::mpsc::{channel, sync_channel};
    use std::sync::{Arc, Mutex};
    let args: Vec<String> = if inputs.is_empty() {
        vec!["-".into()]
    } else {
        inputs.to_vec()
    };
    let (items, bad) = expand(&args);
    let mut n_aside = 0;
    for b in bad {
        eprintln!("muster: set aside {}: {}", b.source, b.reason);
        n_aside += 1;
        sink(Err(b))?;
    }
    let pb = progress(items.len() as u64);
    // hands the finished documents at the head of `order` to the sink
    let mut emit = |order: &mut InOrder, n_aside: &mut usize| -> Result<()> {
        while let Some((raw, Some(r))) = order.pop_ready() {
            let o = match (r, &raw) {
                (Ok(p), Some(raw)) => Ok((p, &**raw)),
                (Err(s), _) => Err(s),
                (Ok(_), None) => continue,
            };
            if let Err(s) = &o {
                eprintln!("muster: set aside {}: {}", s.source, s.reason);
                *n_aside += 1;
            }
            sink(o)?;
        }
        Ok(())
    };
    // A reader thread decompresses and parses pages; the main thread
    // passes each document (unless skipped) to the workers at once and
    // writes results in input order, so that no core waits for a batch to
    // fill or for its slowest document.
    enum Msg {
        Doc(Box<std::result::Result<RawDoc, SetAside>>),
        ItemDone(usize),
    }
    let workers = rayon::current_num_threads().max(1);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = sync_channel::<Msg>(BATCH);
        let (job_tx, job_rx) = sync_channel::<(usize, Arc<RawDoc>)>(BATCH);
        let (done_tx, done_rx) = channel::<(usize, std::result::Result<Processed, SetAside>)>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let items = &items;
        // the gazetteer loads while the first pages are read, not while
        // both pool threads wait on it (detached: a short run does not wait)
        std::thread::spawn(|| muster_geo::Gazetteer::get().places().len());
        scope.spawn(move || {
            for (k, item) in items.iter().enumerate() {
                let mut open = true;
                muster_ingest::read_input_with(item, cache, &mut |r| {
                    open = open && tx.send(Msg::Doc(Box::new(r))).is_ok();
                });
                if !open || tx.send(Msg::ItemDone(k)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..workers {
            let (job_rx, done_tx) = (Arc::clone(&job_rx), done_tx.clone());
            scope.spawn(move || loop {
                // the lock is held while waiting, not while processing
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, raw)) = job else { return };
                if done_tx.send((seq, process_one(&raw, opts))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let stopped = || anyhow::anyhow!("the worker threads stopped");
        let mut order = InOrder::default();
        for msg in &rx {
            match msg {
                Msg::Doc(r) => {
                    let r = *r;
                    if let Ok(raw) = &r {
                        if skip(raw) {
                            continue;
                        }
                    }
                    match r {
                        Ok(raw) => {
                            let raw = if follow && ingesting::is_feed_item(&raw) {
                                ingesting::follow_or_keep(raw)
                            } else {
                                raw
                            };
                            let raw = Arc::new(raw);
                            let seq = order.push((Some(Arc::clone(&raw)), None));
                            job_tx.send((seq, raw)).map_err(|_| stopped())?;
                        }
                        Err(s) => {
                            order.push((None, Some(Err(s))));
                        }
                    }
                    while let Ok((seq, r)) = done_rx.try_recv() {
                        order.fill(seq, r);
                    }
                    emit(&mut order, &mut n_aside)?;
                    // an error drops the receivers: the reader and the
                    // workers stop
                    while order.slots.len() >= IN_FLIGHT {
                        let (seq, r) = done_rx.recv().map_err(|_| stopped())?;
                        order.fill(seq, r);
                        emit(&mut order, &mut n_aside)?;
                    }
                }
                Msg::ItemDone(k) => {
                    pb.inc(1);
                    if matches!(items[k], Input::Stdin) {
                        pb.set_message("stdin");
                    }
                }
            }
        }
        drop(job_tx);
        while !order.slots.is_empty() {
            let (seq, r) = done_rx.recv().map_err(|_| stopped())?;
            order.fill(seq, r);
            emit(&mut order, &mut n_aside)?;
        }
        Ok(())
    })?;
    pb.finish_and_clear();
    Ok(n_aside)
}

fn for_each_processed(
    inputs: &[String],
    opts: Options,
    follow: bool,
    cache: &mut muster_ingest::fetch::FetchCache,
    mut sink: impl FnMut(&Processed) -> Result<()>,
) -> Result<usize> {
    for_each_result(inputs, opts, follow, cache, &mut |_| false, |r| match r {
        Ok((p, _)) => sink(&p),
        Err(_) => Ok(()),
    })
}

/// Merges the exercises of all `docs` and writes each one's record id.
fn merge_docs(docs: &mut [DocRecord]) -> Vec<muster_core::ExerciseRecord> {
    let inputs = docs.iter().flat_map(muster_merge::Input::of_doc).collect();
    let records = muster_merge::merge(inputs);
    muster_merge::assign(docs, &records);
    records
}

/// The normalized form of `name` when the series table knows it (else "").
fn name_in_table(name: &str, lex: &muster_lexicon::Lexicon) -> String {
    let n = muster_lexicon::norm::norm_str(name);
    let known = lex.series.iter().any(|s| {
        std::iter::once(&s.name)
            .chain(&s.aliases)
            .chain(&s.weak_aliases)
            .any(|a| muster_lexicon::norm::norm_str(a) == n)
    });
    if known {
        n
    } else {
        String::new()
    }
}

/// Gold documents not found as `<id>.txt` / `<id>.html` are looked for
/// inside the archives, feeds and JSON Lines dumps under `dir` (or `dir`
/// itself when it is one such file), by id and else by url.
fn find_in_containers(
    dir: &Path,
    golds: &[DocRecord],
    mut found: Vec<Option<RawDoc>>,
) -> Vec<Option<RawDoc>> {
    if found.iter().all(Option::is_some) {
        return found;
    }
    let (inputs, _) = expand(&[dir.display().to_string()]);
    let mut by_key: std::collections::HashMap<String, RawDoc> = Default::default();
    for item in inputs.iter().filter(|i| muster_ingest::is_container(i)) {
        read_input(item, &mut |r| {
            if let Ok(d) = r {
                if let Some(u) = &d.url {
                    by_key
                        .entry(format!("url:{u}"))
                        .or_insert_with(|| d.clone());
                }
                by_key.entry(format!("id:{}", d.id)).or_insert(d);
            }
        });
    }
    for (g, f) in golds.iter().zip(found.iter_mut()) {
        if f.is_none() {
            *f = by_key
                .get(&format!("id:{}", g.id))
                .or_else(|| g.url.as_ref().and_then(|u| by_key.get(&format!("url:{u}"))))
                .cloned()
                .map(|mut d| {
                    d.id = g.id.clone();
                    d
                });
        }
    }
    found
}

fn cmd_eval(
    gold: &Path,
    texts: Option<PathBuf>,
    json: bool,
    by_lang: bool,
    predictions: Option<PathBuf>,
    explain: Option<PathBuf>,
) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(gold).with_context(|| format!("reading {}", gold.display()))?;
    let mut golds: Vec<DocRecord> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: DocRecord = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a gold line", gold.display(), i + 1))?;
        golds.push(g);
    }
    let dir = texts.unwrap_or_else(|| gold.parent().map(Path::to_path_buf).unwrap_or_default());
    let found: Vec<Option<RawDoc>> = golds
        .iter()
        .map(|g| {
            ["txt", "html"].iter().find_map(|ext| {
                let p = dir.join(format!("{}.{ext}", g.id));
                let bytes = std::fs::read(&p).ok()?;
                let mut raw = muster_ingest::text_doc(
                    &p.display().to_string(),
                    &g.id,
                    &bytes,
                    *ext == "html",
                )
                .ok()?;
                raw.id = g.id.clone();
                // the page's address is part of what the document came with
                if raw.url.is_none() {
                    raw.url = g.url.clone();
                }
                Some(raw)
            })
        })
        .collect();
    let found = find_in_containers(&dir, &golds, found);
    let mut preds: Vec<DocRecord> = found
        .par_iter()
        .filter_map(|r| {
            r.as_ref().and_then(|raw| {
                std::panic::catch_unwind(|| process(raw, Options::default()).record).ok()
            })
        })
        .collect();
    merge_docs(&mut preds);
    if let Some(p) = predictions {
        let mut f = BufWriter::new(
            std::fs::File::create(&p).with_context(|| format!("creating {}", p.display()))?,
        );
        for r in &preds {
            serde_json::to_writer(&mut f, r)?;
            f.write_all(b"\n")?;
        }
    }
    if let Some(p) = explain {
        std::fs::write(&p, muster_eval::explain(&golds, &preds))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let lex = muster_lexicon::Lexicon::get();
    let known = |name: &str| muster_lexicon::norm::norm_str(name) == name_in_table(name, lex);
    let all = muster_eval::score_with(&golds, &preds, &known);
    let mut langs: Vec<String> = golds
        .iter()
        .map(|g| g.lang.clone().unwrap_or_else(|| "und".into()))
        .collect();
    langs.sort();
    langs.dedup();
    let per_lang: Vec<(String, muster_eval::Scores)> = if by_lang {
        langs
            .iter()
            .map(|l| {
                let g: Vec<DocRecord> = golds
                    .iter()
                    .filter(|g| g.lang.as_deref().unwrap_or("und") == l)
                    .cloned()
                    .collect();
                (l.clone(), muster_eval::score_with(&g, &preds, &known))
            })
            .collect()
    } else {
        Vec::new()
    };
    if json {
        let v = serde_json::json!({
            "gold": gold.display().to_string(),
            "all": all,
            "by_lang": per_lang.iter().map(|(l, s)| (l.clone(), serde_json::to_value(s).unwrap_or_default())).collect::<serde_json::Map<_, _>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("== {} ==", gold.display());
        print!("{}", all.table());
        for (l, s) in &per_lang {
            println!("\n== lang {l} ==");
            print!("{}", s.table());
        }
    }
    Ok(if all.missing_predictions.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
