//! The "page not found" page, which lists the clusters as a way on.

use crate::pages::clusters::ClusterSummary;
use crate::pages::common::SiteView;
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};

/// The "page not found" page, which lists the clusters as a way on.
pub fn job(sv: &SiteView, clusters: &[ClusterSummary]) -> Job {
    let meta = page_meta(
        "Page not found",
        "This page could not be found.",
        routes::not_found(),
        vec![],
        "",
    );
    Job::new(PageKind::NotFound, sv, meta, "clusters", &clusters)
}
