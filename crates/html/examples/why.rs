//! Development aid: shows why the longest paragraph of a page was kept or
//! dropped. `cargo run --release -p muster-html --example why -- PAGE.html.gz`
use std::io::Read;
fn main() {
    let p = std::env::args().nth(1).expect("usage: why PAGE");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&p).expect("open"))
        .read_to_end(&mut bytes)
        .expect("gzip");
    print!("{}", muster_html::debug_report(&bytes));
}
