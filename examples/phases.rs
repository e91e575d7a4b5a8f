//! Prints the time of each build phase for a site: `cargo run --release --example phases -- DIR`.
use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let t = Instant::now();
    let checked = clusterdir::build::check(&root);
    println!(
        "{:?} total {:?}, {} files",
        checked.timings,
        t.elapsed(),
        checked.rendered.map_or(0, |r| r.len())
    );
    let site = checked.site.unwrap();
    let t = Instant::now();
    let idx = clusterdir::search::build_index(&site);
    println!("search index: {:?}, {} files", t.elapsed(), idx.len());
    let t = Instant::now();
    let z = clusterdir::views::schools_a_to_z(&site);
    println!("schools a to z: {:?}, {} groups", t.elapsed(), z.len());
    let t = Instant::now();
    let o = clusterdir::views::CoreOfferView::new(&site);
    println!("core offer view: {:?}, {} rows", t.elapsed(), o.rows.len());
}
