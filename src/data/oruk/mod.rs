//! The Open Referral UK (ORUK v3) feed: every Level 1 and Level 2 endpoint of the ORUK
//! read API as static files under `/oruk/`: `index.json` (the base document),
//! `services/index.json` (the first page of service list items, every page also under
//! `services/page/`), `services/<id>.json` (full services), and the same for
//! `organizations`, `taxonomies`, `taxonomy_terms` and `service_at_locations`. Each
//! file answers at `routes::feed_address` of its name (`oruk/services/<id>`); `hosts`
//! says which file answers a request, and writes the host rules that do the same.
//! Each cluster is an organization; each offer item a service, classified by its offer
//! category. Identifiers are UUIDs derived from slugs (UUID v5), so they stay the same
//! from build to build. docs/open-data.md maps every field.

use serde_json::value::RawValue;

use crate::output::{debug_hash, File, Memo, Output};
use crate::site::{Cluster, Site};

pub mod base;
pub mod hosts;
pub mod lists;
mod organization;
mod records;
mod service;
mod taxonomy;
mod write;

pub use crate::data::ids::id;
use lists::write_list;
use write::{json_bytes, put, raw};

/// One cluster's files: its services and its organization, plus their list items.
#[derive(Clone)]
struct ClusterFiles {
    files: Vec<(String, Vec<u8>)>,
    service_items: Vec<Box<RawValue>>,
    at_locations: Vec<Box<RawValue>>,
    organization: Box<RawValue>,
}

fn cluster_files(site: &Site, c: &Cluster) -> ClusterFiles {
    let keys = service::service_keys(c);
    let mut org = organization::organization(site, c);
    let org_raw = raw(&org);
    let mut files = Vec::with_capacity(keys.len() + 1);
    let mut service_items = Vec::with_capacity(keys.len());
    let mut org_services = Vec::with_capacity(keys.len());
    let mut at_locations = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let sid = id(key);
        let forms = service::service(site, c, i, key, (&sid, &org.id), &org_raw);
        files.push((format!("oruk/services/{sid}.json"), forms.file));
        service_items.push(forms.item);
        org_services.push(forms.nested);
        for (sal_id, sal) in forms.at_locations {
            let file = format!("oruk/service_at_locations/{sal_id}.json");
            files.push((file, sal.get().as_bytes().to_vec()));
            at_locations.push(sal);
        }
    }
    org.services = Some(org_services);
    files.push((
        format!("oruk/organizations/{}.json", org.id),
        json_bytes(&org),
    ));
    ClusterFiles {
        files,
        service_items,
        at_locations,
        organization: org_raw,
    }
}

/// A cluster's files: made now, or (in the preview) as an earlier build made them from
/// the same cluster record and site settings.
fn made_or_remembered(
    site: &Site,
    c: &Cluster,
    memo: Option<&Memo>,
    site_key: u64,
) -> ClusterFiles {
    let Some(memo) = memo else {
        return cluster_files(site, c);
    };
    // The cluster is made from its file alone (`Cluster::source`).
    let key = debug_hash(&[&site_key, &c.source]);
    let name = format!("oruk/cluster/{}", c.slug);
    memo.get_or_make(&name, key, || cluster_files(site, c))
        .as_ref()
        .clone()
}

/// Clusters made at once (in parallel) before their files and list items are handed on.
const BATCH: usize = 64;

/// Write the whole ORUK export (clusters in parallel, a batch at a time; compact JSON).
/// Each cluster's files are handed over (written, when the output streams) as they are
/// made, and the services list is written a page at a time as its items come, so the
/// services of thousands of clusters are never all in memory.
pub fn write_oruk(site: &Site, out: &mut Output, memo: Option<&Memo>) {
    use rayon::prelude::*;
    let clusters = site.clusters_in_order();
    // What a cluster's files are made from besides the cluster itself.
    let site_key = debug_hash(&[&site.config, &site.categories, &site.today]);
    let services = clusters.iter().map(|c| c.record.offer.len()).sum();
    let mut service_list = lists::ListPages::new("services", services);
    let mut org_list = Vec::with_capacity(clusters.len());
    let mut at_locations = Vec::new();
    for batch in clusters.chunks(BATCH) {
        let made: &Output = out;
        let per_cluster: Vec<(ClusterFiles, Vec<(String, File)>)> = batch
            .par_iter()
            .map(|c| {
                let mut cf = made_or_remembered(site, c, memo, site_key);
                let files = std::mem::take(&mut cf.files)
                    .into_iter()
                    .map(|(rel, bytes)| {
                        let file = made.prepare(&rel, bytes);
                        (rel, file)
                    })
                    .collect();
                (cf, files)
            })
            .collect();
        for (cf, files) in per_cluster {
            for (rel, file) in files {
                out.put(rel, file);
            }
            for item in cf.service_items {
                service_list.push(out, item);
            }
            org_list.push(cf.organization);
            at_locations.extend(cf.at_locations);
        }
    }
    service_list.finish(out);
    write_list(out, "organizations", org_list);
    write_list(out, "service_at_locations", at_locations);
    taxonomy::write_taxonomy(site, out);
    put(out, "oruk/index.json".into(), &base::base_document(site));
    put(out, base::OPENAPI_FILE.into(), &base::openapi(site));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids() {
        assert_eq!(
            id("service:arm:pupil-counselling"),
            id("service:arm:pupil-counselling")
        );
        assert_ne!(
            id("service:arm:pupil-counselling"),
            id("service:arm:parent-counselling")
        );
        assert!(uuid::Uuid::parse_str(&id("x")).is_ok());
    }

    fn generated_site(clusters: usize, seed: u64) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::generate::generate(dir.path(), clusters, 0, seed).unwrap();
        let checked = crate::build::check(dir.path());
        assert!(checked.ok(), "{}", checked.report(false));
        (dir, checked.site.unwrap())
    }

    fn feed(site: &Site, memo: Option<&Memo>) -> Output {
        let mut out = Output::new();
        write_oruk(site, &mut out, memo);
        out
    }

    #[test]
    fn the_preview_remakes_only_the_feed_files_of_a_changed_cluster() {
        let mut rng = fastrand::Rng::with_seed(21);
        let (_dir, mut site) = generated_site(rng.usize(4..9), rng.u64(..1000));
        let memo = Memo::default();
        assert_eq!(feed(&site, Some(&memo)), feed(&site, None));
        for _ in 0..6 {
            memo.start();
            let unchanged = feed(&site, Some(&memo));
            assert_eq!(memo.made(), 0, "nothing changed, nothing made");
            assert_eq!(unchanged, feed(&site, None));
            // One cluster's record changed (a generated name, or a service's): only its
            // files are made again, and the feed is what a full build makes.
            let slugs: Vec<String> = site.clusters.keys().cloned().collect();
            let slug = &slugs[rng.usize(..slugs.len())];
            let c = site.clusters.get_mut(slug).unwrap();
            let text: String = (0..rng.usize(3..12)).map(|_| rng.alphabetic()).collect();
            match c.record.offer.len() {
                n if n > 0 && rng.bool() => c.record.offer[rng.usize(..n)].service = text,
                _ => c.record.name = text,
            }
            // As a changed file would: the record's hash changes with it.
            c.source = rng.u64(..);
            memo.start();
            let changed = feed(&site, Some(&memo));
            assert_eq!(memo.made(), 1, "only {slug} is made again");
            assert_eq!(changed, feed(&site, None), "after changing {slug}");
            assert_ne!(changed, unchanged);
        }
    }
}
