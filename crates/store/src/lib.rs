//! Store: one SQLite file holds documents (with their cleaned text and
//! record), sentences, exercises and the inputs set aside with their
//! reasons. A document is keyed by its id and a content hash: ingesting the
//! same document again changes nothing; a changed document replaces the
//! old one. Each batch is one transaction. The schema is versioned with
//! SQLite's `user_version` and migrated forward on open.

use muster_core::{CharOffsets, DocRecord, SentenceOut, SetAside};
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

/// Migrations, in order; `user_version` counts those applied.
const MIGRATIONS: &[&str] = &[r#"
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
"#];

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
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew(version, known));
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(m)?;
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

    /// Stores a batch in one transaction.
    pub fn ingest_batch(
        &mut self,
        docs: &[Processed],
        aside: &[SetAside],
        stats: &mut IngestStats,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for p in docs {
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
                    stats.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    tx.execute("DELETE FROM documents WHERE id = ?1", [&p.clean.id])?;
                    stats.replaced += 1;
                }
                None => stats.added += 1,
            }
            let r = &p.record;
            tx.execute(
                "INSERT INTO documents (id, hash, source, title, url, lang, pub_date, label, paywalled, clean_text, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                    serde_json::to_string(r)?
                ],
            )?;
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
    use muster_core::RawDoc;
    use muster_pipeline::{process, Options};

    fn doc(id: &str, text: &str) -> Processed {
        process(
            &RawDoc {
                id: id.into(),
                source: id.into(),
                text: text.into(),
                ..Default::default()
            },
            Options::default(),
        )
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
}
