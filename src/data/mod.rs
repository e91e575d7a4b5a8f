//! Machine-readable outputs, each made from the site model alone (never from the
//! pages): the search index, the JSON and CSV downloads, the Open Referral UK feed,
//! calendars, Atom feeds, the sitemap and the host's `_headers` and `_redirects` files.

use std::time::{Duration, Instant};

use crate::output::{Memo, Output};
use crate::site::Site;

pub mod atom;
pub mod calendar;
pub mod export;
pub mod headers;
pub mod ids;
pub mod oruk;
pub mod search;
pub mod sitemap;

/// Time taken by each data file producer (reported by the benchmark).
#[derive(Debug, Clone, Default)]
pub struct DataTimings {
    pub search_index: Duration,
    /// JSON and CSV downloads.
    pub exports: Duration,
    /// The Open Referral UK files.
    pub oruk: Duration,
    /// Calendars, Atom feeds and the sitemap.
    pub feeds: Duration,
}

/// Every data file of the site, into `out`, with the time each producer took. With a
/// `memo` (the preview), files made from a cluster are made again only when it changed.
pub fn write_all(site: &Site, out: Output, memo: Option<&Memo>) -> (Output, DataTimings) {
    let index = |mut out: Output| {
        let t = Instant::now();
        search::build_index(site, &mut out);
        (out, t.elapsed())
    };
    let ((mut out, timings), search_index) = match memo {
        // The preview remembers most of the other files, so the search index, made
        // whole every time, would finish last: it is made beside them.
        Some(_) => {
            let beside = out.empty_like();
            let ((index, took), (mut out, timings)) =
                rayon::join(|| index(beside), || write_others(site, out, memo));
            out.append(index);
            ((out, timings), took)
        }
        // A full build makes them one after another, which keeps its peak memory low.
        None => {
            let (out, took) = index(out);
            (write_others(site, out, memo), took)
        }
    };
    let timings = DataTimings {
        search_index,
        ..timings
    };
    out.insert("_headers".into(), headers::headers_file().into_bytes());
    let redirects = oruk::hosts::redirects(out.keys().map(String::as_str));
    out.insert("_redirects".into(), redirects.into_bytes());
    (out, timings)
}

/// Every data file but the search index and the host's files.
fn write_others(site: &Site, mut out: Output, memo: Option<&Memo>) -> (Output, DataTimings) {
    let mut timings = DataTimings::default();
    let t = Instant::now();
    export::write_exports(site, &mut out, memo);
    timings.exports = t.elapsed();
    let t = Instant::now();
    oruk::write_oruk(site, &mut out, memo);
    timings.oruk = t.elapsed();
    let t = Instant::now();
    calendar::write_calendars(site, &mut out);
    atom::write_atom(site, &mut out);
    sitemap::write_sitemap(site, &mut out);
    timings.feeds = t.elapsed();
    (out, timings)
}
