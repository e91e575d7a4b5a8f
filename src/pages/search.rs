//! The search page: the search box, and every cluster as its answer without JavaScript.

use crate::pages::clusters::ClusterSummary;
use crate::pages::common::{link, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};

/// The search page (the clusters are its answer without JavaScript).
pub fn job(sv: &SiteView, clusters: &[ClusterSummary]) -> Job {
    let meta = page_meta(
        "Search",
        "Search for a cluster, school, service or guide.",
        routes::search(),
        vec![link("Home", routes::home())],
        "Search",
    );
    Job::new(PageKind::Search, sv, meta, "clusters", &clusters)
}
