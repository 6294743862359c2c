//! Development aid: runs the extractor over a folder of `*.html.gz` pages
//! and writes `{id: {"articleBody": text}}` to stdout.
//! `cargo run --release -p muster-html --example bench_dir -- DIR > pred.json`

use std::io::Read;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: bench_dir DIR");
    let mut pages = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    for p in paths {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&p).expect("open"))
            .read_to_end(&mut bytes)
            .expect("gzip");
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        pages.push((name.trim_end_matches(".html.gz").to_string(), bytes));
    }
    let t = std::time::Instant::now();
    let docs: Vec<_> = pages
        .iter()
        .map(|(id, b)| (id, muster_html::extract(b, None)))
        .collect();
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "{} pages in {secs:.3}s: {:.0} pages/s",
        docs.len(),
        docs.len() as f64 / secs
    );
    let mut out = serde_json::Map::new();
    for (id, d) in docs {
        if d.kind != muster_html::DocKind::Article {
            eprintln!("{id}: {:?}", d.kind);
        }
        out.insert(id.clone(), serde_json::json!({ "articleBody": d.text }));
    }
    println!("{}", serde_json::Value::Object(out));
}
