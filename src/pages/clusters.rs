//! The list of clusters (also the way on from the search and "not found" pages).

use serde::Serialize;

use crate::pages::common::{link, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};
use crate::site::{Cluster, Site};

#[derive(Debug, Clone, Serialize)]
pub struct ClusterSummary {
    pub name: String,
    pub short_name: Option<String>,
    pub url: String,
    pub area: Option<String>,
    pub schools: usize,
    pub offer_items: usize,
    pub governance: Option<String>,
}

impl From<&Cluster> for ClusterSummary {
    fn from(c: &Cluster) -> Self {
        ClusterSummary {
            name: c.record.name.clone(),
            short_name: c.record.short_name.clone(),
            url: routes::cluster(&c.slug),
            area: c.record.area.clone(),
            schools: c.record.schools.len(),
            offer_items: c.record.offer.len(),
            governance: c
                .record
                .governance
                .as_ref()
                .and_then(|g| g.model)
                .map(|m| m.in_a_sentence().to_string()),
        }
    }
}

/// Every cluster in name order, as the lists show them.
pub fn summaries(site: &Site) -> Vec<ClusterSummary> {
    site.clusters_in_order()
        .into_iter()
        .map(ClusterSummary::from)
        .collect()
}

/// The clusters page.
pub fn clusters_job(site: &Site, sv: &SiteView, clusters: &[ClusterSummary]) -> Job {
    let meta = page_meta(
        "Clusters",
        &format!(
            "Every early help cluster in {}, with the area it serves.",
            site.config.city
        ),
        routes::clusters(),
        vec![link("Home", routes::home())],
        "Clusters",
    );
    Job::new(PageKind::Clusters, sv, meta, "clusters", &clusters)
}
