//! Prints the gazetteer names found in each argument and what they resolve to
//! without context: `cargo run --release -p muster-geo --example hits -- TEXT...`
fn main() {
    let g = muster_geo::Gazetteer::get();
    for t in std::env::args().skip(1) {
        let n = muster_lexicon::norm::Norm::new(&t);
        for h in g.find_in(&n, &t) {
            let (s, e) = n.orig_range(h.start, h.end);
            let r = g.resolve_hit(&h, &[]).unwrap();
            println!(
                "{:?} -> {} {:?} {:?} ({} candidates)",
                &t[s..e],
                r.name,
                r.country,
                r.kind,
                r.candidates
            );
        }
    }
}
