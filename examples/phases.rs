//! Prints the time of each stage of a preview rebuild, in process:
//! `cargo run --release --example phases -- SITE_DIR RECORD_FILE`. Builds once, then
//! changes the first `name = "` line of the record and rebuilds five times, as `serve`
//! would, printing each rebuild's stage timings. The record is restored at the end.
use std::path::PathBuf;
use std::time::Instant;

/// The allocator `clusterdir serve` runs with, so the times are the preview's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let record = PathBuf::from(args.next().expect("a record file to change"));
    let output = std::env::temp_dir().join("clusterdir-phases");
    let options = clusterdir::build::Options::default();
    let cache = clusterdir::pages::RenderCache::default();
    let output = clusterdir::build::claim_output(&root, &output, true)
        .unwrap_or_else(|checked| panic!("{}", checked.report(false)));
    let original = std::fs::read_to_string(&record).unwrap();
    for i in 0..6 {
        let text = original.replacen("name = \"", &format!("name = \"Changed {i} "), 1);
        std::fs::write(&record, text).unwrap();
        let t = Instant::now();
        let result = clusterdir::build::build_in_place(&root, &output, &options, &cache);
        let elapsed = t.elapsed();
        std::fs::write(&record, &original).unwrap();
        match result {
            Ok((_, checked)) => println!(
                "rebuild {i}: {:.1} ms, {} pages rendered: {}",
                elapsed.as_secs_f64() * 1000.0,
                cache.last_rendered().len(),
                checked.timings.to_json()
            ),
            Err(checked) => panic!("{}", checked.report(false)),
        }
    }
}
