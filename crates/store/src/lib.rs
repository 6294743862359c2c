//! Store: one SQLite file holds documents (with their cleaned text and
//! record), sentences, exercises (the mentions), merged exercise records
//! with their mentions, a full-text index of the articles (FTS5), and the
//! inputs set aside with their reasons.
//!
//! A document is keyed by its id and two hashes: of what was read
//! (`raw_hash`, checked before any processing) and of what it says
//! (`hash`). Ingesting the same document again changes nothing; a changed
//! document replaces the old one. Each batch is one transaction, and marks
//! the records stale in that same transaction; `rebuild_records` merges
//! every mention again and writes only what changed, then clears the mark.
//! So a process killed at any moment leaves whole batches and a stale mark,
//! and the next ingest finishes the work. The schema is versioned with
//! SQLite's `user_version` and migrated forward on open.

mod search;
pub use search::{fts_text, SearchHit};

use muster_core::{
    CharOffsets, DocRecord, Exercise, ExerciseRecord, RawDoc, SentenceOut, SetAside,
};
use muster_pipeline::Processed;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database schema version {0} is newer than this muster knows ({1}); upgrade muster")]
    TooNew(i64, i64),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Migrations, in order; `user_version` counts those applied. Each is SQL,
/// then optional code (a backfill) in the same transaction.
type Backfill = fn(&rusqlite::Transaction) -> Result<()>;
const MIGRATIONS: &[(&str, Option<Backfill>)] = &[
    (
        r#"
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT,
    url TEXT,
    lang TEXT,
    pub_date TEXT,
    label TEXT NOT NULL,
    paywalled INTEGER NOT NULL,
    clean_text TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(hash);
CREATE TABLE sentences (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    lang TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE exercises (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    key TEXT,
    name TEXT,
    host TEXT,
    participants TEXT,
    start_date TEXT,
    end_date TEXT,
    record TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX exercises_key ON exercises(key);
CREATE TABLE set_aside (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
"#,
        None,
    ),
    (
        r#"
ALTER TABLE documents ADD COLUMN raw_hash TEXT;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE documents_fts_map (
    doc_id TEXT PRIMARY KEY,
    fts_rowid INTEGER NOT NULL
);
CREATE INDEX documents_fts_map_rowid ON documents_fts_map(fts_rowid);
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    name TEXT,
    series TEXT,
    year INTEGER,
    host TEXT,
    participants TEXT NOT NULL,
    location_country TEXT,
    start_date TEXT,
    end_date TEXT,
    record TEXT NOT NULL
);
CREATE INDEX records_year ON records(year);
CREATE TABLE record_mentions (
    doc_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    joined_by TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX record_mentions_record ON record_mentions(record_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('records_stale', '1');
"#,
        Some(backfill_fts),
    ),
];

/// Indexes the documents stored before the full-text index existed.
fn backfill_fts(tx: &rusqlite::Transaction) -> Result<()> {
    let rows: Vec<(String, Option<String>, String)> = tx
        .prepare("SELECT id, title, clean_text FROM documents ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, title, text) in rows {
        index_text(tx, &id, title.as_deref(), &text)?;
    }
    Ok(())
}

fn index_text(tx: &Connection, id: &str, title: Option<&str>, text: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO documents_fts (title, body) VALUES (?1, ?2)",
        params![fts_text(title.unwrap_or("")), fts_text(text)],
    )?;
    let rowid = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO documents_fts_map (doc_id, fts_rowid) VALUES (?1, ?2)",
        params![id, rowid],
    )?;
    Ok(())
}

fn unindex_text(tx: &Connection, id: &str) -> Result<()> {
    let rowid: Option<i64> = tx
        .query_row(
            "SELECT fts_rowid FROM documents_fts_map WHERE doc_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(r) = rowid {
        tx.execute("DELETE FROM documents_fts WHERE rowid = ?1", [r])?;
        tx.execute("DELETE FROM documents_fts_map WHERE doc_id = ?1", [id])?;
    }
    Ok(())
}

/// Hash of what was read for a document (before any processing), with the
/// muster version: the same input read by the same muster is skipped.
pub fn raw_hash(r: &RawDoc) -> String {
    let mut h = Sha256::new();
    for part in [
        Some(env!("CARGO_PKG_VERSION")),
        Some(r.id.as_str()),
        Some(r.text.as_str()),
        r.title.as_deref(),
        r.url.as_deref(),
        r.date.as_deref(),
        r.lang.as_deref(),
    ] {
        match part {
            Some(p) => {
                h.update([1]);
                h.update((p.len() as u64).to_le_bytes());
                h.update(p.as_bytes());
            }
            None => h.update([0]),
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub struct Store {
    conn: Connection,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestStats {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub set_aside: usize,
}

/// What a records rebuild did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RebuildStats {
    pub mentions: usize,
    pub records: usize,
    /// Records added or changed.
    pub written: usize,
    pub removed: usize,
}

/// Filters of `muster records` that SQL answers (region is the caller's).
#[derive(Debug, Default, Clone)]
pub struct RecordFilter {
    /// Country codes that must all take part.
    pub participants: Vec<String>,
    pub host: Option<String>,
    /// Series or name, in any form the slug matches ("zapad", "Joint Sea").
    pub series: Option<String>,
    /// Records running on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    pub from: Option<String>,
    /// Records starting on or before this date.
    pub to: Option<String>,
}

/// One line of `muster ls`.
#[derive(Debug, Serialize, PartialEq)]
pub struct DocRow {
    pub id: String,
    pub label: String,
    pub lang: Option<String>,
    pub title: Option<String>,
    pub exercises: Vec<String>,
}

/// Content hash of a processed document: what was read and what it says.
pub fn content_hash(p: &Processed) -> String {
    let mut h = Sha256::new();
    h.update(p.clean.id.as_bytes());
    h.update([0]);
    h.update(p.clean.text.as_bytes());
    h.update([0]);
    h.update(p.clean.url.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(p.clean.pub_date.as_deref().unwrap_or("").as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store> {
        conn.create_scalar_function(
            "slug",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8
                | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(muster_lexicon::norm::slug(&ctx.get::<String>(0)?)),
        )?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew(version, known));
        }
        for (i, (m, backfill)) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(m)?;
            if let Some(f) = backfill {
                f(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store { conn })
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Stores a batch in one transaction: each processed document with the
    /// [`raw_hash`] of what was read.
    pub fn ingest_batch(
        &mut self,
        docs: &[(Processed, String)],
        aside: &[SetAside],
        stats: &mut IngestStats,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut changed = false;
        for (p, raw) in docs {
            let hash = content_hash(p);
            let existing: Option<String> = tx
                .query_row(
                    "SELECT hash FROM documents WHERE id = ?1",
                    [&p.clean.id],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(h) if h == hash => {
                    // the same text read from a changed input: remember the input
                    tx.execute(
                        "UPDATE documents SET raw_hash = ?2 WHERE id = ?1 AND raw_hash IS NOT ?2",
                        params![p.clean.id, raw],
                    )?;
                    stats.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    // the old version's mentions leave the records
                    let had: i64 = tx.query_row(
                        "SELECT count(*) FROM exercises WHERE doc_id = ?1",
                        [&p.clean.id],
                        |r| r.get(0),
                    )?;
                    changed |= had > 0;
                    unindex_text(&tx, &p.clean.id)?;
                    tx.execute("DELETE FROM documents WHERE id = ?1", [&p.clean.id])?;
                    stats.replaced += 1;
                }
                None => stats.added += 1,
            }
            let r = &p.record;
            // only mentions make records: a document without one (most
            // news) leaves them as they are
            changed |= !r.exercises.is_empty();
            tx.execute(
                "INSERT INTO documents (id, hash, source, title, url, lang, pub_date, label, paywalled, clean_text, record, raw_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    r.id,
                    hash,
                    p.clean.source,
                    r.title,
                    r.url,
                    r.lang,
                    r.pub_date,
                    r.label.as_str(),
                    r.paywalled,
                    p.clean.text,
                    serde_json::to_string(r)?,
                    raw
                ],
            )?;
            index_text(&tx, &r.id, r.title.as_deref(), &p.clean.text)?;
            let offsets = CharOffsets::new(&p.clean.text);
            for (i, s) in p.sentences.iter().enumerate() {
                let c = offsets.span(s.span);
                tx.execute(
                    "INSERT INTO sentences (doc_id, idx, start, end, lang) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![r.id, i as i64, c.start as i64, c.end as i64, s.lang],
                )?;
            }
            for (i, e) in r.exercises.iter().enumerate() {
                tx.execute(
                    "INSERT INTO exercises (doc_id, idx, key, name, host, participants, start_date, end_date, record)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        r.id,
                        i as i64,
                        e.key,
                        e.name,
                        e.host,
                        e.participants.as_ref().map(|p| p.join(",")),
                        e.start_date,
                        e.end_date,
                        serde_json::to_string(e)?
                    ],
                )?;
            }
        }
        for s in aside {
            let n = tx.execute(
                "INSERT INTO set_aside (source, reason) VALUES (?1, ?2)
                 ON CONFLICT(source) DO UPDATE SET reason = excluded.reason WHERE reason != excluded.reason",
                params![s.source, s.reason],
            )?;
            stats.set_aside += n;
        }
        if changed {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('records_stale', '1')
                 ON CONFLICT(key) DO UPDATE SET value = '1'",
                [],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn list(&self) -> Result<Vec<DocRow>> {
        let mut st = self
            .conn
            .prepare("SELECT id, label, lang, title FROM documents ORDER BY id")?;
        let rows: Vec<(String, String, Option<String>, Option<String>)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut ex = self.conn.prepare(
            "SELECT coalesce(name, key, '?') FROM exercises WHERE doc_id = ?1 ORDER BY idx",
        )?;
        let mut out = Vec::new();
        for (id, label, lang, title) in rows {
            let exercises: Vec<String> = ex
                .query_map([&id], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            out.push(DocRow {
                id,
                label,
                lang,
                title,
                exercises,
            });
        }
        Ok(out)
    }

    /// The stored record of a document, optionally with text and sentences.
    pub fn show(&self, id: &str, with_text: bool) -> Result<Option<DocRecord>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT record, clean_text FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((rec, text)) = row else {
            return Ok(None);
        };
        let mut d: DocRecord = serde_json::from_str(&rec)?;
        if with_text {
            d.clean_text = Some(text);
            let mut st = self
                .conn
                .prepare("SELECT start, end, lang FROM sentences WHERE doc_id = ?1 ORDER BY idx")?;
            let s: Vec<SentenceOut> = st
                .query_map([id], |r| {
                    Ok(SentenceOut {
                        start: r.get::<_, i64>(0)? as usize,
                        end: r.get::<_, i64>(1)? as usize,
                        lang: r.get(2)?,
                    })
                })?
                .collect::<std::result::Result<_, _>>()?;
            d.sentences = Some(s);
        }
        Ok(Some(d))
    }

    /// Id → raw hash of every stored document (what `ingest` skips).
    pub fn raw_hashes(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut st = self
            .conn
            .prepare("SELECT id, raw_hash FROM documents WHERE raw_hash IS NOT NULL")?;
        let m = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(m)
    }

    /// Whether documents changed since records were last merged.
    pub fn records_stale(&self) -> Result<bool> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'records_stale'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.as_deref() == Some("1"))
    }

    /// Merges every stored mention into records again (`muster-merge`) and
    /// writes, in one transaction, only the records that changed; then
    /// clears the stale mark.
    pub fn rebuild_records(&mut self) -> Result<RebuildStats> {
        let mut inputs = Vec::new();
        {
            let mut st = self.conn.prepare(
                "SELECT e.doc_id, e.idx, e.record, d.pub_date, d.lang
                 FROM exercises e JOIN documents d ON d.id = e.doc_id
                 ORDER BY e.doc_id, e.idx",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let mut ex: Exercise = serde_json::from_str(&r.get::<_, String>(2)?)?;
                // what merging does not read stays out of memory
                ex.claims = Vec::new();
                ex.purpose = None;
                ex.notes = None;
                inputs.push(muster_merge::Input {
                    doc: r.get(0)?,
                    exercise: r.get::<_, i64>(1)? as usize,
                    pub_date: r.get(3)?,
                    lang: r.get(4)?,
                    ex,
                });
            }
        }
        let mentions = inputs.len();
        let records = muster_merge::merge(inputs);
        let tx = self.conn.transaction()?;
        let mut old: std::collections::HashMap<String, String> = tx
            .prepare("SELECT id, record FROM records")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut stats = RebuildStats {
            mentions,
            records: records.len(),
            ..Default::default()
        };
        {
            let mut put = tx.prepare(
                "INSERT OR REPLACE INTO records
                 (id, name, series, year, host, participants, location_country, start_date, end_date, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for r in &records {
                let json = serde_json::to_string(r)?;
                if old.remove(&r.id).as_deref() == Some(json.as_str()) {
                    continue;
                }
                stats.written += 1;
                let parts = r
                    .field("participants")
                    .map(|f| f.chosen_strs())
                    .unwrap_or_default();
                let loc = r
                    .field("location")
                    .and_then(|f| f.chosen.as_ref())
                    .and_then(|v| v.get("country"))
                    .and_then(|v| v.as_str());
                put.execute(params![
                    r.id,
                    r.name,
                    r.series,
                    r.year,
                    r.chosen_str("host"),
                    format!(",{},", parts.join(",")),
                    loc,
                    r.chosen_str("start_date"),
                    r.chosen_str("end_date"),
                    json
                ])?;
            }
            let mut del = tx.prepare("DELETE FROM records WHERE id = ?1")?;
            for id in old.keys() {
                del.execute([id])?;
                stats.removed += 1;
            }
            tx.execute("DELETE FROM record_mentions", [])?;
            let mut men = tx.prepare(
                "INSERT INTO record_mentions (doc_id, idx, record_id, joined_by) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for r in &records {
                for m in &r.mentions {
                    men.execute(params![m.doc, m.exercise as i64, r.id, m.joined_by])?;
                }
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('records_stale', '0')
             ON CONFLICT(key) DO UPDATE SET value = '0'",
            [],
        )?;
        tx.commit()?;
        Ok(stats)
    }

    /// Records matching a filter, by id.
    pub fn records(&self, f: &RecordFilter) -> Result<Vec<ExerciseRecord>> {
        let mut sql = String::from("SELECT record FROM records WHERE 1");
        let mut args: Vec<String> = Vec::new();
        for p in &f.participants {
            args.push(format!("%,{},%", p.to_uppercase()));
            sql.push_str(&format!(" AND participants LIKE ?{}", args.len()));
        }
        if let Some(h) = &f.host {
            args.push(h.to_uppercase());
            sql.push_str(&format!(" AND host = ?{}", args.len()));
        }
        if let Some(s) = &f.series {
            args.push(muster_lexicon::norm::slug(s));
            let n = args.len();
            sql.push_str(&format!(
                " AND (slug(coalesce(series, '')) = ?{n} OR slug(coalesce(name, '')) = ?{n})"
            ));
        }
        if let Some(from) = &f.from {
            args.push(from.clone());
            sql.push_str(&format!(
                " AND coalesce(end_date, start_date) >= ?{}",
                args.len()
            ));
        }
        if let Some(to) = &f.to {
            // "2024-06" reaches every day of June
            args.push(format!("{to}~"));
            sql.push_str(&format!(" AND start_date <= ?{}", args.len()));
        }
        sql.push_str(" ORDER BY id");
        let mut st = self.conn.prepare(&sql)?;
        let rows: Vec<String> = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        rows.iter().map(|r| Ok(serde_json::from_str(r)?)).collect()
    }

    /// One record by id.
    pub fn record(&self, id: &str) -> Result<Option<ExerciseRecord>> {
        let r: Option<String> = self
            .conn
            .query_row("SELECT record FROM records WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match r {
            Some(r) => Some(serde_json::from_str(&r)?),
            None => None,
        })
    }

    /// The cleaned text and title of a stored document.
    pub fn text(&self, id: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT clean_text, title FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// A digest of everything stored (rows in key order, no row ids):
    /// two stores with the same digest hold the same data.
    pub fn digest(&self) -> Result<String> {
        let mut h = Sha256::new();
        for sql in [
            "SELECT id, hash, raw_hash, source, title, url, lang, pub_date, label, paywalled, clean_text, record FROM documents ORDER BY id",
            "SELECT doc_id, idx, start, end, lang FROM sentences ORDER BY doc_id, idx",
            "SELECT doc_id, idx, key, name, host, participants, start_date, end_date, record FROM exercises ORDER BY doc_id, idx",
            "SELECT id, name, series, year, host, participants, location_country, start_date, end_date, record FROM records ORDER BY id",
            "SELECT doc_id, idx, record_id, joined_by FROM record_mentions ORDER BY doc_id, idx",
            "SELECT source, reason FROM set_aside ORDER BY source",
            "SELECT m.doc_id, f.title, f.body FROM documents_fts f JOIN documents_fts_map m ON m.fts_rowid = f.rowid ORDER BY m.doc_id",
            "SELECT key, value FROM meta ORDER BY key",
        ] {
            h.update(sql.as_bytes());
            let mut st = self.conn.prepare(sql)?;
            let n = st.column_count();
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    h.update(format!("{v:?}").as_bytes());
                    h.update([0x1f]);
                }
                h.update([0x1e]);
            }
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// How many merged records the store holds.
    pub fn record_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Row counts: (documents, sentences, exercises, set aside).
    pub fn counts(&self) -> Result<(i64, i64, i64, i64)> {
        let c = |t: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)
        };
        Ok((
            c("documents")?,
            c("sentences")?,
            c("exercises")?,
            c("set_aside")?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_pipeline::{process, Options};

    fn doc(id: &str, text: &str) -> (Processed, String) {
        dated(id, text, None)
    }

    fn dated(id: &str, text: &str, date: Option<&str>) -> (Processed, String) {
        let raw = RawDoc {
            id: id.into(),
            source: id.into(),
            text: text.into(),
            date: date.map(String::from),
            ..Default::default()
        };
        (process(&raw, Options::default()), raw_hash(&raw))
    }

    #[test]
    fn reingest_changes_nothing_and_changed_text_replaces() {
        let mut s = Store::open_in_memory().unwrap();
        let a = doc(
            "a",
            "Russia and China held joint naval drills in the Sea of Japan on Monday.",
        );
        let b = doc("b", "The school held a fire drill.");
        let bad = SetAside {
            source: "x.bin".into(),
            reason: "binary file".into(),
        };
        let mut st = IngestStats::default();
        s.ingest_batch(&[a, b], std::slice::from_ref(&bad), &mut st)
            .unwrap();
        assert_eq!((st.added, st.set_aside), (2, 1));
        let before = s.counts().unwrap();
        let mut st2 = IngestStats::default();
        s.ingest_batch(
            &[doc(
                "a",
                "Russia and China held joint naval drills in the Sea of Japan on Monday.",
            )],
            &[bad],
            &mut st2,
        )
        .unwrap();
        assert_eq!((st2.added, st2.unchanged, st2.set_aside), (0, 1, 0));
        assert_eq!(s.counts().unwrap(), before);
        let mut st3 = IngestStats::default();
        s.ingest_batch(
            &[doc(
                "a",
                "India and Japan held joint naval drills off Chennai.",
            )],
            &[],
            &mut st3,
        )
        .unwrap();
        assert_eq!(st3.replaced, 1);
        assert_eq!(s.counts().unwrap().0, 2);
        let shown = s.show("a", true).unwrap().unwrap();
        assert!(shown.clean_text.unwrap().starts_with("India"));
        assert!(s.show("nope", false).unwrap().is_none());
        assert_eq!(s.list().unwrap().len(), 2);
    }

    #[test]
    fn schema_is_versioned_and_reopening_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.db");
        {
            let mut s = Store::open(&p).unwrap();
            assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
            s.ingest_batch(
                &[doc("a", "Troops of Belarus drilled near Brest.")],
                &[],
                &mut IngestStats::default(),
            )
            .unwrap();
        }
        let s = Store::open(&p).unwrap();
        assert_eq!(s.counts().unwrap().0, 1);
        s.conn.pragma_update(None, "user_version", 99).unwrap();
        drop(s);
        assert!(matches!(Store::open(&p), Err(StoreError::TooNew(99, _))));
    }

    #[test]
    fn hostile_ids_are_data_not_sql() {
        let mut s = Store::open_in_memory().unwrap();
        let id = "x'); DROP TABLE documents; --";
        s.ingest_batch(
            &[doc(id, "Navies drilled together in the Baltic Sea.")],
            &[],
            &mut IngestStats::default(),
        )
        .unwrap();
        assert!(s.show(id, false).unwrap().is_some());
    }

    #[test]
    fn records_merge_documents_and_rebuilds_write_only_changes() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.records_stale().unwrap());
        let a = dated(
            "a",
            "Russia and Belarus began the Zapad-2021 strategic exercise on September 10, 2021.",
            Some("2021-09-10"),
        );
        let b = dated(
            "b",
            "Les armées russe et biélorusse ont lancé l'exercice Zapad-2021 le 10 septembre 2021.",
            Some("2021-09-11"),
        );
        s.ingest_batch(&[a, b], &[], &mut IngestStats::default())
            .unwrap();
        assert!(s.records_stale().unwrap());
        let st = s.rebuild_records().unwrap();
        assert!(!s.records_stale().unwrap());
        assert_eq!((st.mentions, st.records, st.written), (2, 1, 1), "{st:?}");
        let r = s.record("zapad-2021").unwrap().expect("record");
        assert_eq!(r.mentions.len(), 2);
        assert_eq!(s.records(&RecordFilter::default()).unwrap().len(), 1);
        let by = |f: RecordFilter| s.records(&f).unwrap().len();
        assert_eq!(
            by(RecordFilter {
                participants: vec!["by".into()],
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            by(RecordFilter {
                participants: vec!["CN".into()],
                ..Default::default()
            }),
            0
        );
        assert_eq!(
            by(RecordFilter {
                series: Some("ZAPAD".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            by(RecordFilter {
                from: Some("2021-09".into()),
                to: Some("2021-09".into()),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            by(RecordFilter {
                from: Some("2022".into()),
                ..Default::default()
            }),
            0
        );
        // nothing changed: nothing written
        let again = s.rebuild_records().unwrap();
        assert_eq!((again.written, again.removed), (0, 0));
        let d1 = s.digest().unwrap();
        s.ingest_batch(
            &[dated(
                "a",
                "Russia and Belarus began the Zapad-2021 strategic exercise on September 10, 2021.",
                Some("2021-09-10"),
            )],
            &[],
            &mut IngestStats::default(),
        )
        .unwrap();
        assert!(
            !s.records_stale().unwrap(),
            "an unchanged document marks nothing stale"
        );
        assert_eq!(s.digest().unwrap(), d1);
        s.ingest_batch(
            &[doc(
                "n",
                "The city council approved a new budget for libraries.",
            )],
            &[],
            &mut IngestStats::default(),
        )
        .unwrap();
        assert!(
            !s.records_stale().unwrap(),
            "a document without exercises leaves the records alone"
        );
    }

    #[test]
    fn search_finds_words_in_any_script_and_follows_replacements() {
        let mut s = Store::open_in_memory().unwrap();
        s.ingest_batch(
            &[
                doc(
                    "en",
                    "Chinese and Russian warships held the Joint Sea drills near Vladivostok.",
                ),
                doc("zh", "中俄两国海军在符拉迪沃斯托克附近举行海上联合演习。"),
                doc(
                    "fr",
                    "Les forces armées ont mené des manœuvres près de Brest.",
                ),
            ],
            &[],
            &mut IngestStats::default(),
        )
        .unwrap();
        s.rebuild_records().unwrap();
        let hits = s.search("joint sea", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].doc, "en");
        assert!(hits[0].snippet.contains("[Joint]"), "{:?}", hits[0].snippet);
        assert!(!hits[0].records.is_empty());
        assert_eq!(s.search("联合演习", 10).unwrap()[0].doc, "zh");
        assert!(
            s.search("合联", 10).unwrap().is_empty(),
            "characters must be in order"
        );
        assert_eq!(
            s.search("armees", 10).unwrap()[0].doc,
            "fr",
            "diacritics fold"
        );
        assert!(s.search("\"Joint\" OR *", 10).is_ok());
        // a replaced document is searched by its new text only
        s.ingest_batch(
            &[doc("en", "Navies of India and Japan trained off Chennai.")],
            &[],
            &mut IngestStats::default(),
        )
        .unwrap();
        assert!(s.search("Vladivostok", 10).unwrap().is_empty());
        assert_eq!(s.search("Chennai", 10).unwrap().len(), 1);
    }

    #[test]
    fn the_full_text_index_is_backfilled_when_an_old_store_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.db");
        {
            let c = Connection::open(&p).unwrap();
            c.execute_batch(MIGRATIONS[0].0).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute(
                "INSERT INTO documents (id, hash, source, label, paywalled, clean_text, record)
                 VALUES ('old', 'h', 'old.txt', 'negative', 0, 'Sailors drilled in the Baltic Sea.', '{}')",
                [],
            )
            .unwrap();
        }
        let s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(s.search("baltic", 5).unwrap()[0].doc, "old");
        assert!(s.records_stale().unwrap());
    }
}
