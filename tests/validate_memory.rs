//! Checking the records builds the site model from them without a second copy of them:
//! each record moves into its cluster. Measured with an allocator that counts the bytes
//! in use (the system's, with counters; the only `unsafe` is handing calls on to it),
//! alone in this test binary so that nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn in_use() -> usize {
    IN_USE.load(Ordering::SeqCst)
}

/// The most bytes in use while `f` runs, above what was in use when it started.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = in_use();
    PEAK.store(start, Ordering::SeqCst);
    let value = f();
    (value, PEAK.load(Ordering::SeqCst) - start)
}

/// For generated sites (seeded), validating adds at most 1.3 times what the parsed
/// records take (the rendered summaries and news, the links, the maps of names: about
/// 0.9 times), not also a copy of every record (which made it about 1.8 times).
#[test]
fn validating_does_not_copy_the_records() {
    for (clusters, seed) in [(150, 4), (400, 19)] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        clusterdir::scaffold::generate::generate(&root, clusters, 0, seed).unwrap();
        let mut sources = clusterdir::diagnostics::Sources::default();
        let mut diags = clusterdir::diagnostics::Diagnostics::default();
        let before = in_use();
        let loaded = clusterdir::content::load::load_content(&root, &mut sources, &mut diags)
            .expect("the generated site loads");
        let sources_bytes: usize = std::fs::read_dir(root.join("content/clusters"))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len() as usize)
            .sum();
        // What the parsed records take, without their source text.
        let records = in_use() - before - sources_bytes;
        let options = clusterdir::check::Options {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            ..Default::default()
        };
        let (site, added) =
            peak_during(|| clusterdir::check::validate(loaded, &options, &mut diags));
        assert_eq!(site.clusters.len(), clusters);
        assert!(
            added * 10 < records * 13,
            "{clusters} clusters: validating added up to {added} bytes to the {records} of the records"
        );
    }
}
