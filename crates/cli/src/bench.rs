//! `muster bench html`: main-content extraction against the
//! article-extraction set, side by side with trafilatura when Python has it.

use anyhow::{Context, Result};
use muster_eval::article::{score_articles, ArticleScores};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The Python side: reads every page, times trafilatura's extraction loop
/// and writes the predictions. Run as a whole process so its start-up
/// (imports) is part of the comparison.
const TRAFILATURA_SCRIPT: &str = r#"
import gzip, json, sys, time
from pathlib import Path
import trafilatura
src, out = Path(sys.argv[1]), sys.argv[2]
pages = {p.name[:-len(".html.gz")]: gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
         for p in sorted(src.glob("*.html.gz"))}
start = time.perf_counter()
preds = {k: {"articleBody": trafilatura.extract(v, include_comments=False) or ""}
         for k, v in pages.items()}
secs = time.perf_counter() - start
Path(out).write_text(json.dumps(preds), encoding="utf-8")
print(json.dumps({"pages": len(pages), "seconds": secs}))
"#;

struct Run {
    name: String,
    scores: ArticleScores,
    /// Pages per second of the extraction loop alone (pages in memory).
    pages_per_s: f64,
    /// Seconds of the whole process, start-up and reading included.
    process_s: Option<f64>,
}

pub fn bench_html(dir: &Path, predictions: Option<PathBuf>, trafilatura: bool) -> Result<()> {
    let html_dir = dir.join("html");
    let gold = read_gold(&dir.join("ground-truth.json"))?;
    let pages = read_pages(&html_dir)?;
    anyhow::ensure!(!pages.is_empty(), "no *.html.gz in {}", html_dir.display());

    let start = Instant::now();
    let texts: BTreeMap<String, String> = pages
        .iter()
        .map(|(id, bytes)| (id.clone(), muster_html::extract(bytes, None).text))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let pred_path =
        predictions.unwrap_or_else(|| std::env::temp_dir().join("muster-bench-html.json"));
    write_predictions(&pred_path, &texts)?;
    let mut runs = vec![Run {
        name: "muster-html".into(),
        scores: score_articles(&gold, &texts),
        pages_per_s: pages.len() as f64 / secs,
        process_s: None,
    }];
    eprintln!("predictions: {}", pred_path.display());

    if trafilatura && python_has_trafilatura() {
        runs.push(run_trafilatura(&html_dir, &gold)?);
    } else if trafilatura {
        eprintln!("trafilatura: not importable by python3; skipped (pip install trafilatura)");
    }

    println!(
        "{:<14} {:>6} {:>9} {:>6} {:>8} {:>9}  {:>10}",
        "system", "f1", "precision", "recall", "accuracy", "pages/s", "process s"
    );
    for r in &runs {
        println!(
            "{:<14} {:>6.3} {:>9.3} {:>6.3} {:>8.3} {:>9.0}  {:>10}",
            r.name,
            r.scores.f1,
            r.scores.precision,
            r.scores.recall,
            r.scores.accuracy,
            r.pages_per_s,
            r.process_s
                .map(|s| format!("{s:.2}"))
                .unwrap_or_else(|| "-".into())
        );
    }
    if let [ours, theirs] = runs.as_slice() {
        println!(
            "extraction speed ratio (muster-html / trafilatura, pages in memory): {:.1}x",
            ours.pages_per_s / theirs.pages_per_s
        );
        let whole = time_muster_extract(&html_dir)?;
        if let Some(t) = theirs.process_s {
            println!(
                "whole process over {} pages: `muster extract --with-text` {:.2} s, trafilatura {:.2} s: {:.1}x",
                pages.len(),
                whole,
                t,
                t / whole
            );
        }
    }
    Ok(())
}

fn read_gold(path: &Path) -> Result<BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(v.into_iter()
        .map(|(k, e)| {
            let body = e
                .get("articleBody")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string();
            (k, body)
        })
        .collect())
}

fn read_pages(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let file =
                std::fs::File::open(&p).with_context(|| format!("opening {}", p.display()))?;
            let mut bytes = Vec::new();
            flate2::read::MultiGzDecoder::new(file)
                .read_to_end(&mut bytes)
                .with_context(|| format!("decompressing {}", p.display()))?;
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            Ok((name.trim_end_matches(".html.gz").to_string(), bytes))
        })
        .collect()
}

fn write_predictions(path: &Path, texts: &BTreeMap<String, String>) -> Result<()> {
    let v: serde_json::Map<String, serde_json::Value> = texts
        .iter()
        .map(|(k, t)| (k.clone(), serde_json::json!({ "articleBody": t })))
        .collect();
    std::fs::write(path, serde_json::to_string(&v)?)
        .with_context(|| format!("writing {}", path.display()))
}

fn python_has_trafilatura() -> bool {
    Command::new("python3")
        .args(["-c", "import trafilatura"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_trafilatura(html_dir: &Path, gold: &BTreeMap<String, String>) -> Result<Run> {
    let tmp = std::env::temp_dir();
    let script = tmp.join(format!(
        "muster-bench-trafilatura-{}.py",
        std::process::id()
    ));
    let out = tmp.join("muster-bench-trafilatura.json");
    std::fs::write(&script, TRAFILATURA_SCRIPT)?;
    let start = Instant::now();
    let res = Command::new("python3")
        .arg(&script)
        .arg(html_dir)
        .arg(&out)
        .stderr(Stdio::inherit())
        .output()
        .context("running python3")?;
    let process_s = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&script);
    anyhow::ensure!(res.status.success(), "trafilatura run failed");
    let timing: serde_json::Value =
        serde_json::from_slice(&res.stdout).context("reading trafilatura timing")?;
    let pages = timing["pages"].as_f64().unwrap_or(0.0);
    let secs = timing["seconds"].as_f64().unwrap_or(f64::NAN);
    let preds = read_gold(&out)?;
    Ok(Run {
        name: "trafilatura".into(),
        scores: score_articles(gold, &preds),
        pages_per_s: pages / secs,
        process_s: Some(process_s),
    })
}

/// Wall-clock seconds of `muster extract --with-text DIR` as a separate
/// process (start-up, language data, the whole pipeline, output).
fn time_muster_extract(html_dir: &Path) -> Result<f64> {
    let exe = std::env::current_exe().context("finding the muster binary")?;
    let start = Instant::now();
    Command::new(exe)
        .args(["extract", "--with-text"])
        .arg(html_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running muster extract")?;
    Ok(start.elapsed().as_secs_f64())
}

/// Peak resident memory (VmHWM, KiB) of a running process.
fn peak_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs `muster ingest` on `corpus` into `db`; returns (seconds, peak KiB, stderr).
fn timed_ingest(corpus: &Path, db: &Path, threads: Option<usize>) -> Result<(f64, u64, String)> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg("ingest").arg("--db").arg(db).arg(corpus);
    if let Some(t) = threads {
        cmd.arg("--threads").arg(t.to_string());
    }
    let t0 = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting muster ingest")?;
    let mut peak = 0;
    let pid = child.id();
    let mut err = String::new();
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    loop {
        if let Some(k) = peak_kib(pid) {
            peak = peak.max(k);
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let secs = t0.elapsed().as_secs_f64();
    if let Ok(s) = reader.join() {
        err = s;
    }
    Ok((secs, peak, err))
}

fn db_stats(db: &Path) -> Result<(i64, i64, i64, usize, String)> {
    let s = muster_store::Store::open(db)?;
    let (d, se, e, _) = s.counts()?;
    Ok((d, se, e, s.record_count()?, s.digest()?))
}

pub fn bench_ingest(
    docs: usize,
    threads: Option<usize>,
    dir: Option<PathBuf>,
) -> Result<std::process::ExitCode> {
    let tmp = tempfile::tempdir()?;
    let dir = dir.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let corpus = dir.join("corpus.jsonl");
    let db = dir.join("bench.db");
    for p in [
        db.clone(),
        dir.join("bench.db-wal"),
        dir.join("bench.db-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&corpus)?);
        crate::corpus::write(docs, 1, &mut f, None)?;
    }
    eprintln!("muster: corpus of {docs} articles in {}", corpus.display());
    let (secs, peak, err) = timed_ingest(&corpus, &db, threads)?;
    let first = db_stats(&db)?;
    let (secs2, peak2, err2) = timed_ingest(&corpus, &db, threads)?;
    let second = db_stats(&db)?;
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let out = serde_json::json!({
        "docs": docs,
        "threads": threads.unwrap_or_else(rayon::current_num_threads),
        "ingest_s": (secs * 100.0).round() / 100.0,
        "docs_per_s": (docs as f64 / secs).round(),
        "peak_rss_mib": peak / 1024,
        "stored": {"documents": first.0, "sentences": first.1, "mentions": first.2, "records": first.3},
        "db_mib": size / (1024 * 1024),
        "reingest_s": (secs2 * 100.0).round() / 100.0,
        "reingest_peak_rss_mib": peak2 / 1024,
        "reingest_rows_added": (second.0 - first.0) + (second.1 - first.1) + (second.2 - first.2) + (second.3 as i64 - first.3 as i64),
        "reingest_same_digest": first.4 == second.4,
        "summary": err.lines().last().unwrap_or(""),
        "reingest_summary": err2.lines().last().unwrap_or(""),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(std::process::ExitCode::SUCCESS)
}
