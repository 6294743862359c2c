//! Inputs over HTTP(S) (live feeds above all) with conditional GET: the
//! `ETag` and `Last-Modified` of each URL's last answer are kept in a small
//! JSON cache and sent back as `If-None-Match` / `If-Modified-Since`, so a
//! feed that has not changed costs a `304 Not Modified` and yields nothing.
//! Blocking `ureq` 3 with rustls.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Largest body read from one URL.
const MAX_BODY: u64 = 256 << 20;

/// What a server said last time about a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// Validators by URL, kept in a JSON file (none: in memory only).
#[derive(Debug, Default)]
pub struct FetchCache {
    pub path: Option<PathBuf>,
    pub urls: BTreeMap<String, Validators>,
}

impl FetchCache {
    /// Reads the cache at `path`; a missing or unreadable file is an empty
    /// cache.
    pub fn load(path: PathBuf) -> Self {
        let urls = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        FetchCache {
            path: Some(path),
            urls,
        }
    }

    /// The cache at `$MUSTER_FETCH_CACHE`, else
    /// `$XDG_CACHE_HOME/muster/fetch.json`, else `~/.cache/muster/fetch.json`.
    pub fn from_env() -> Self {
        let path = std::env::var_os("MUSTER_FETCH_CACHE")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("XDG_CACHE_HOME")
                    .map(|d| PathBuf::from(d).join("muster/fetch.json"))
            })
            .or_else(|| {
                std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/muster/fetch.json"))
            });
        match path {
            Some(p) => FetchCache::load(p),
            None => FetchCache::default(),
        }
    }

    /// Writes the cache (through a temporary file, so a crash never leaves
    /// half a file).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&self.urls)?)?;
        std::fs::rename(tmp, path)
    }
}

/// The answer to a conditional GET.
#[derive(Debug)]
pub enum Fetched {
    /// `304`: nothing new since the last fetch.
    NotModified,
    Body {
        bytes: Vec<u8>,
        content_type: Option<String>,
    },
}

/// GETs `url`, conditionally when the cache knows it; remembers the new
/// validators on success.
pub fn fetch(url: &str, cache: &mut FetchCache) -> Result<Fetched, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .user_agent(concat!("muster/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut req = agent.get(url);
    if let Some(v) = cache.urls.get(url) {
        if let Some(e) = &v.etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(lm) = &v.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
    }
    let mut resp = req.call().map_err(|e| format!("cannot fetch: {e}"))?;
    let status = resp.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(format!("HTTP status {status}"));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let validators = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let content_type = header("content-type");
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    if validators == Validators::default() {
        cache.urls.remove(url);
    } else {
        cache.urls.insert(url.to_string(), validators);
    }
    Ok(Fetched::Body {
        bytes,
        content_type,
    })
}
