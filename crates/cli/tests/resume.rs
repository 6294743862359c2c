//! A store survives `kill -9` at any moment: whatever point an ingest is
//! killed at, running the same ingest again gives exactly the store an
//! uninterrupted run gives (same digest over every table).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn muster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_muster"))
}

fn stats(db: &Path) -> serde_json::Value {
    let out = muster().arg("stats").arg("--db").arg(db).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ingest(db: &Path, corpus: &Path) -> Command {
    let mut c = muster();
    c.arg("ingest")
        .arg("--db")
        .arg(db)
        .arg(corpus)
        .args(["--batch-size", "25", "--threads", "2"]);
    c
}

#[test]
fn an_ingest_killed_at_any_point_resumes_to_the_uninterrupted_result() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let out = muster()
        .args(["bench", "corpus", "--docs", "400", "--seed", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&corpus, &out.stdout).unwrap();

    let reference = dir.path().join("ref.db");
    let st = ingest(&reference, &corpus)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let want = stats(&reference);
    assert_eq!(want["documents"], 400);
    assert!(want["records"].as_u64().unwrap() > 20);
    assert_eq!(want["records_stale"], false);

    // kill after k documents were processed (k = 400: during the last
    // batch or the records merge)
    let mut interrupted = 0;
    for (n, k) in [1usize, 60, 230, 400].into_iter().enumerate() {
        let db = dir.path().join(format!("killed{n}.db"));
        let mut child = ingest(&db, &corpus)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap());
        for (seen, _) in lines.lines().enumerate() {
            if seen + 1 >= k {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mid = stats(&db);
        if mid["documents"] != want["documents"] || mid["records_stale"] == true {
            interrupted += 1;
        }
        let st = ingest(&db, &corpus).stdout(Stdio::null()).status().unwrap();
        assert!(st.success());
        let got = stats(&db);
        assert_eq!(
            got["digest"], want["digest"],
            "killed after {k} documents: {mid} → {got}"
        );
    }
    assert!(
        interrupted >= 2,
        "the kills landed mid-ingest ({interrupted} of 4)"
    );

    // ingesting everything again adds nothing and changes nothing
    let st = ingest(&reference, &corpus)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(stats(&reference), want);
}
