//! WARC archives (WARC/1.0 and 1.1, as Common Crawl News writes them).
//!
//! A small streaming parser of our own over any [`BufRead`]: a record is a
//! version line, header lines, a blank line, `Content-Length` bytes of
//! block and two CRLFs. Gzip (one member per record, or one for the whole
//! file) is undone by the caller with `flate2::read::MultiGzDecoder`, so
//! only one record is ever held in memory.
//!
//! `response` records (and `resource` records, as wget writes them) whose
//! body is HTML become documents through [`crate::html_doc`]; `request`,
//! `metadata`, `warcinfo`, `revisit` and `conversion` records are skipped.
//! A truncated or corrupt archive keeps the records read before the damage
//! and sets the rest aside with the reason.

use crate::html_doc;
use muster_core::{Provenance, RawDoc, SetAside};
use std::io::{BufRead, Read};

/// Longest header block accepted before the archive is called corrupt.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// One WARC record: its named fields and its block.
#[derive(Debug, Clone, Default)]
pub struct WarcRecord {
    /// `WARC/1.0`, `WARC/1.1`.
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
    /// Offset of the record in the (decompressed) stream.
    pub offset: u64,
}

impl WarcRecord {
    /// A field's value; names are compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads WARC records one at a time. After the first error the iterator
/// ends: the damage is reported once.
pub struct WarcReader<R> {
    r: R,
    offset: u64,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(r: R) -> Self {
        WarcReader {
            r,
            offset: 0,
            done: false,
        }
    }

    /// Reads one line (up to and including `\n`) into `buf`; returns the
    /// number of bytes read, 0 at the end of the stream.
    fn line(&mut self, buf: &mut Vec<u8>) -> Result<usize, String> {
        buf.clear();
        let n = (&mut self.r)
            .take(MAX_HEADER_BYTES as u64)
            .read_until(b'\n', buf)
            .map_err(|e| self.io_error(e))?;
        self.offset += n as u64;
        Ok(n)
    }

    fn io_error(&self, e: std::io::Error) -> String {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                format!("archive truncated near byte {}", self.offset)
            }
            _ => format!("cannot read archive near byte {}: {e}", self.offset),
        }
    }

    fn next_record(&mut self) -> Result<Option<WarcRecord>, String> {
        let mut buf = Vec::new();
        // Blank lines between records (the two CRLFs that end a block).
        loop {
            if self.line(&mut buf)? == 0 {
                return Ok(None);
            }
            if !buf.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        let start = self.offset - buf.len() as u64;
        let version = String::from_utf8_lossy(trim_eol(&buf)).into_owned();
        if !version.starts_with("WARC/") {
            return Err(format!(
                "corrupt archive: no WARC record starts at byte {start} (found {:?})",
                preview(&buf)
            ));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut header_bytes = 0usize;
        loop {
            let n = self.line(&mut buf)?;
            if n == 0 {
                return Err(format!(
                    "archive truncated in the header of the record at byte {start}"
                ));
            }
            header_bytes += n;
            if header_bytes > MAX_HEADER_BYTES || !buf.ends_with(b"\n") {
                return Err(format!(
                    "corrupt archive: header of the record at byte {start} never ends"
                ));
            }
            let line = trim_eol(&buf);
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(line);
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                    continue;
                }
            }
            let Some((k, v)) = line.split_once(':') else {
                return Err(format!(
                    "corrupt archive: bad header line {:?} in the record at byte {start}",
                    preview(line.as_bytes())
                ));
            };
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let rec = WarcRecord {
            version,
            headers,
            block: Vec::new(),
            offset: start,
        };
        let len: u64 = match rec.header("Content-Length").map(|v| v.parse::<u64>()) {
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Err(format!(
                    "corrupt archive: bad Content-Length in the record at byte {start}"
                ))
            }
            None => {
                return Err(format!(
                    "corrupt archive: no Content-Length in the record at byte {start}"
                ))
            }
        };
        let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
        let got = (&mut self.r)
            .take(len)
            .read_to_end(&mut block)
            .map_err(|e| self.io_error(e))?;
        self.offset += got as u64;
        if (got as u64) < len {
            return Err(format!(
                "archive truncated: the record at byte {start} declares {len} bytes, {got} remain"
            ));
        }
        Ok(Some(WarcRecord { block, ..rec }))
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_record() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn trim_eol(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

fn preview(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(40)])
        .trim_end()
        .to_string()
}

/// An HTTP response split into its status, headers and decoded body.
#[derive(Debug, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses an HTTP/1.x response as a WARC `response` block holds it, undoing
/// chunked transfer-encoding and gzip / deflate content-encoding.
pub fn parse_http(block: &[u8]) -> Result<HttpResponse, String> {
    let (head, body) = match find(block, b"\r\n\r\n") {
        Some(i) => (&block[..i], &block[i + 4..]),
        None => match find(block, b"\n\n") {
            Some(i) => (&block[..i], &block[i + 2..]),
            None => return Err("HTTP response without a header end".into()),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        return Err(format!(
            "not an HTTP response: {:?}",
            preview(status_line.as_bytes())
        ));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad HTTP status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut resp = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = resp
        .header("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    // Crawlers often store the body already de-chunked while keeping the
    // header: only de-chunk what looks like chunks.
    let body = if chunked && looks_chunked(body) {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    let enc = resp
        .header("Content-Encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    resp.body = match enc.as_str() {
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("cannot decompress gzip body: {e}"))?;
            out
        }
        "deflate" if !body.starts_with(b"<") => {
            let mut out = Vec::new();
            let zlib = flate2::read::ZlibDecoder::new(&body[..]).read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("cannot decompress deflate body: {e}"))?;
            }
            out
        }
        "br" | "zstd" => return Err(format!("unsupported content-encoding {enc}")),
        _ => body,
    };
    Ok(resp)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn looks_chunked(body: &[u8]) -> bool {
    let Some(i) = find(body, b"\r\n") else {
        return false;
    };
    let size = String::from_utf8_lossy(&body[..i]);
    let size = size.split(';').next().unwrap_or("").trim();
    !size.is_empty() && size.len() <= 16 && size.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Undoes chunked transfer-encoding. A body cut short keeps what it has.
pub fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    while let Some(i) = find(body, b"\r\n") {
        let size = String::from_utf8_lossy(&body[..i]);
        let size = size.split(';').next().unwrap_or("").trim();
        let n = usize::from_str_radix(size, 16)
            .map_err(|_| format!("bad chunk size {size:?} in a chunked body"))?;
        body = &body[i + 2..];
        if n == 0 {
            break;
        }
        let take = n.min(body.len());
        out.extend_from_slice(&body[..take]);
        body = &body[take..];
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
        if take < n {
            break;
        }
    }
    Ok(out)
}

/// True when a `Content-Type` value names an HTML page.
fn is_html_type(ct: &str) -> bool {
    let ct = ct.to_ascii_lowercase();
    ct.contains("text/html") || ct.contains("application/xhtml")
}

/// Reads a WARC stream, sending a document for each HTML response and a
/// set-aside for each response that is not one (and for damage).
/// `name` is the archive, `stem` the id prefix of its documents.
pub fn read_warc<R: BufRead>(
    name: &str,
    stem: &str,
    r: R,
    sink: &mut dyn FnMut(Result<RawDoc, SetAside>),
) {
    let mut n = 0usize;
    for rec in WarcReader::new(r) {
        n += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(reason) => {
                sink(Err(SetAside {
                    source: name.to_string(),
                    reason: format!(
                        "{reason}; the {} record(s) before it were read, the rest of the archive is set aside",
                        n - 1
                    ),
                }));
                return;
            }
        };
        if let Some(r) = warc_record_doc(name, stem, n, &rec) {
            sink(r);
        }
    }
}

/// The document of one record; `None` for records that hold no page.
fn warc_record_doc(
    name: &str,
    stem: &str,
    n: usize,
    rec: &WarcRecord,
) -> Option<Result<RawDoc, SetAside>> {
    let kind = rec.header("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let uri = rec
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']).to_string());
    let set_aside = |reason: String| SetAside {
        source: format!(
            "{name} record {n}{}",
            uri.as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        ),
        reason,
    };
    let body = match kind.as_str() {
        "response" => {
            let resp = match parse_http(&rec.block) {
                Ok(r) => r,
                Err(e) => return Some(Err(set_aside(e))),
            };
            if !(200..300).contains(&resp.status) {
                return Some(Err(set_aside(format!("HTTP status {}", resp.status))));
            }
            match resp.header("Content-Type") {
                Some(ct) if !is_html_type(ct) => {
                    return Some(Err(set_aside(format!("not an HTML page ({ct})"))))
                }
                None if !crate::looks_like_html(&resp.body) => {
                    return Some(Err(set_aside("not an HTML page (no content type)".into())))
                }
                _ => {}
            }
            resp.body
        }
        "resource" => {
            let ct = rec.header("Content-Type").unwrap_or("");
            if !is_html_type(ct) {
                return None;
            }
            rec.block.clone()
        }
        _ => return None,
    };
    let source = uri.clone().unwrap_or_else(|| format!("{name} record {n}"));
    let id = format!("{stem}-{n}");
    Some(
        html_doc(&source, &id, &body, uri.as_deref())
            .map(|mut d| {
                d.url = uri.clone();
                d.provenance = Some(Provenance {
                    container: name.to_string(),
                    record_id: rec
                        .header("WARC-Record-ID")
                        .map(|s| s.trim_matches(['<', '>']).to_string()),
                    fetched: rec.header("WARC-Date").map(str::to_string),
                });
                d
            })
            .map_err(|s| set_aside(s.reason)),
    )
}

/// A tiny WARC writer, enough to build archives for tests: records as
/// Common Crawl News lays them out, each record optionally its own gzip
/// member.
#[derive(Debug, Default)]
pub struct WarcWriter {
    pub out: Vec<u8>,
    pub gzip: bool,
    n: usize,
}

impl WarcWriter {
    pub fn new(gzip: bool) -> Self {
        WarcWriter {
            gzip,
            ..Default::default()
        }
    }

    /// Appends one record; `headers` come after the WARC fields this
    /// writes itself (type, record id, date, content length).
    pub fn record(&mut self, warc_type: &str, headers: &[(&str, &str)], block: &[u8]) {
        use std::io::Write;
        self.n += 1;
        let mut rec = Vec::with_capacity(block.len() + 512);
        let _ = write!(
            rec,
            "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{:012}>\r\nWARC-Date: 2024-05-06T10:00:00Z\r\n",
            self.n
        );
        for (k, v) in headers {
            let _ = write!(rec, "{k}: {v}\r\n");
        }
        let _ = write!(rec, "Content-Length: {}\r\n\r\n", block.len());
        rec.extend_from_slice(block);
        rec.extend_from_slice(b"\r\n\r\n");
        if self.gzip {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = gz.write_all(&rec);
            self.out.extend(gz.finish().unwrap_or_default());
        } else {
            self.out.extend(rec);
        }
    }

    /// A `response` record holding an HTTP 200 response with `body`.
    pub fn response(&mut self, uri: &str, http_headers: &str, body: &[u8]) {
        let mut block = format!("HTTP/1.1 200 OK\r\n{http_headers}\r\n").into_bytes();
        block.extend_from_slice(body);
        self.record(
            "response",
            &[
                ("WARC-Target-URI", uri),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            &block,
        );
    }
}
