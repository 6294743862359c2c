//! Storing pipeline results: batches, the skip of inputs already stored,
//! and the records merge at the end. Shared by `ingest` and `follow`.

use crate::Outcome;
use anyhow::Result;
use muster_core::{RawDoc, SetAside};
use muster_pipeline::Processed;
use muster_store::{IngestStats, RebuildStats, Store};
use std::collections::HashMap;
use std::io::Write;

pub struct Ingestor<'a> {
    store: &'a mut Store,
    stats: IngestStats,
    batch: Vec<(Processed, String)>,
    aside: Vec<SetAside>,
    /// Id → raw hash of what is stored.
    stored: HashMap<String, String>,
    skipped: usize,
    n_aside: usize,
    batch_size: usize,
}

/// What one ingest did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub stats: IngestStats,
    pub skipped: usize,
    pub set_aside: usize,
    pub merged: Option<RebuildStats>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new, {} replaced, {} already stored, {} set aside",
            self.stats.added,
            self.stats.replaced,
            self.stats.unchanged + self.skipped,
            self.set_aside
        )?;
        if let Some(m) = self.merged {
            write!(
                f,
                "; {} mentions in {} records ({} written, {} removed)",
                m.mentions, m.records, m.written, m.removed
            )?;
        }
        Ok(())
    }
}

/// A feed item (as opposed to a page from a WARC archive, which records
/// when it was fetched).
pub fn is_feed_item(raw: &RawDoc) -> bool {
    raw.provenance.as_ref().is_some_and(|p| p.fetched.is_none()) && raw.url.is_some()
}

/// The page a feed item links to (`--follow`), else, with the reason
/// logged, the item's own text.
pub fn follow_or_keep(item: RawDoc) -> RawDoc {
    muster_ingest::follow_link(&item).unwrap_or_else(|e| {
        eprintln!(
            "muster: cannot follow {} ({}); keeping the item's own text",
            e.source, e.reason
        );
        item
    })
}

impl<'a> Ingestor<'a> {
    pub fn new(store: &'a mut Store, batch_size: usize) -> Result<Ingestor<'a>> {
        let stored = store.raw_hashes()?;
        Ok(Ingestor {
            store,
            stats: IngestStats::default(),
            batch: Vec::new(),
            aside: Vec::new(),
            stored,
            skipped: 0,
            n_aside: 0,
            batch_size: batch_size.max(1),
        })
    }

    /// True (and counted) when this input need not be processed: it was
    /// stored before by this muster; or, when feed items are followed to
    /// their pages, a document with its id is stored whatever its content
    /// (a page is fetched once).
    pub fn skip(&mut self, raw: &RawDoc, follow: bool) -> bool {
        let stored = self.stored.get(&raw.id);
        let skip = if follow && is_feed_item(raw) {
            stored.is_some()
        } else {
            stored.is_some_and(|h| *h == muster_store::raw_hash(raw))
        };
        self.skipped += usize::from(skip);
        skip
    }

    /// Takes one pipeline result; prints its line; stores full batches.
    pub fn add(&mut self, r: Outcome) -> Result<()> {
        match r {
            Ok((p, raw)) => {
                let names: Vec<String> = p
                    .record
                    .exercises
                    .iter()
                    .map(|e| e.name.clone().or(e.key.clone()).unwrap_or_default())
                    .collect();
                let stdout = std::io::stdout();
                writeln!(
                    stdout.lock(),
                    "{}\t{}\t{}",
                    crate::records::clean(&p.record.id),
                    p.record.label.as_str(),
                    crate::records::clean(&names.join(", "))
                )?;
                let hash = muster_store::raw_hash(raw);
                self.stored.insert(p.record.id.clone(), hash.clone());
                self.batch.push((p, hash));
            }
            Err(s) => {
                self.n_aside += 1;
                self.aside.push(s)
            }
        }
        if self.batch.len() + self.aside.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.store
            .ingest_batch(&self.batch, &self.aside, &mut self.stats)?;
        self.batch.clear();
        self.aside.clear();
        Ok(())
    }

    /// Stores what is left and merges records if documents changed.
    pub fn finish(mut self) -> Result<Summary> {
        self.flush()?;
        let merged = if self.store.records_stale()? {
            eprintln!("muster: merging mentions into records…");
            Some(self.store.rebuild_records()?)
        } else {
            None
        };
        Ok(Summary {
            stats: self.stats,
            skipped: self.skipped,
            set_aside: self.n_aside,
            merged,
        })
    }
}
