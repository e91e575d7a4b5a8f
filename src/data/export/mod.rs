//! Open data written on every build, beside the pages (documented in docs/open-data.md):
//! `data/clusters.json` (the whole directory in clusterdir's own format, with a version
//! number), `data/core-offer.csv` (one row per offer item) and `data/schools.csv`.

use crate::output::{debug_hash, Memo, Output};
use crate::routes;
use crate::site::Site;

mod csv;
mod json;

pub use self::csv::{OFFER_COLUMNS, SCHOOL_COLUMNS};
pub use self::json::{
    directory, CategoryOut, ClusterOut, ContactOut, Directory, HelpOut, MeetingOut, OfferOut,
    PersonOut, SchoolOut, UpdateOut, FORMAT_VERSION,
};

/// Write every export file, in one pass over the clusters: each cluster's record is
/// made once, written to `clusters.json` and to the tables, and dropped. With a `memo`
/// (the preview), each cluster's part of every file is remembered, made again only
/// when its record's file or the categories changed, and the parts joined.
pub fn write_exports(site: &Site, out: &mut Output, memo: Option<&Memo>) {
    if let Some(memo) = memo {
        return write_remembered(site, out, memo);
    }
    let categories = json::categories(site);
    let mut tables = self::csv::Tables::new(&categories);
    let json = json::clusters_json_with(site, &categories, |c| tables.add(c));
    out.insert_parts(routes::output_path(routes::files::CLUSTERS_JSON), json);
    tables.write(&[], out);
}

/// One cluster's part of the export files: its record in `clusters.json` and its rows
/// of `core-offer.csv` (both as written) and of `schools.csv` (sorted with all the
/// others' at the end).
struct ClusterPart {
    json: Vec<u8>,
    offer_rows: Vec<u8>,
    school_rows: Vec<Vec<String>>,
}

/// [`write_exports`] from each cluster's part, made now or remembered from an earlier
/// build under the hash of its record's file and of the categories (the only other
/// thing a part reads).
fn write_remembered(site: &Site, out: &mut Output, memo: &Memo) {
    use rayon::prelude::*;
    let categories = json::categories(site);
    let mut tables = self::csv::Tables::new(&categories);
    let shared = debug_hash(&[&categories]);
    let parts: Vec<std::sync::Arc<ClusterPart>> = site
        .clusters_in_order()
        .par_iter()
        .map(|c| {
            let key = debug_hash(&[&shared, &c.source]);
            memo.get_or_make(&format!("export/{}", c.slug), key, || {
                let (json, record) = json::cluster_json(c);
                let (offer_rows, school_rows) = tables.rows_of(&record);
                ClusterPart {
                    json,
                    offer_rows,
                    school_rows,
                }
            })
        })
        .collect();
    let items: Vec<&[u8]> = parts.iter().map(|p| p.json.as_slice()).collect();
    let json = json::clusters_json_of(site, &categories, &items);
    out.insert(routes::output_path(routes::files::CLUSTERS_JSON), json);
    for p in &parts {
        tables.add_offer_rows(&p.offer_rows);
    }
    let schools: Vec<&[Vec<String>]> = parts.iter().map(|p| p.school_rows.as_slice()).collect();
    tables.write(&schools, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports(site: &Site, memo: Option<&Memo>) -> Output {
        let mut out = Output::new();
        write_exports(site, &mut out, memo);
        out
    }

    #[test]
    fn the_preview_joins_remembered_parts_into_what_a_full_build_writes() {
        let mut rng = fastrand::Rng::with_seed(2123);
        for clusters in [0, 1, rng.usize(2..7)] {
            let dir = tempfile::tempdir().unwrap();
            crate::scaffold::generate::generate(dir.path(), clusters, 0, rng.u64(..1000)).unwrap();
            let checked = crate::build::check(dir.path());
            assert!(checked.ok(), "{}", checked.report(false));
            let mut site = checked.site.unwrap();
            let memo = Memo::default();
            assert_eq!(exports(&site, Some(&memo)), exports(&site, None));
            let slugs: Vec<String> = site.clusters.keys().cloned().collect();
            for _ in 0..4 {
                let Some(slug) = slugs.get(rng.usize(..slugs.len().max(1))) else {
                    break;
                };
                // A generated name (which also moves the cluster in name order) and a
                // formula-like service, as an edited file would give, with its hash.
                let c = site.clusters.get_mut(slug).unwrap();
                let name: String = (0..rng.usize(1..10)).map(|_| rng.alphanumeric()).collect();
                c.record.name = name.clone();
                if let Some(o) = c.record.offer.first_mut() {
                    o.service = format!("={name}\n\"{name}\"");
                }
                c.source = rng.u64(..);
                memo.start();
                let remembered = exports(&site, Some(&memo));
                assert_eq!(memo.made(), 1, "only {slug} is made again");
                assert_eq!(remembered, exports(&site, None), "after changing {slug}");
            }
        }
    }
}
