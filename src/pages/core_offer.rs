//! The core offer: every cluster's services side by side by kind of help, on one page,
//! or for a big directory an index and parts of [`routes::CORE_OFFER_PART_CLUSTERS`]
//! clusters each.

use serde::Serialize;

use crate::content::model;
use crate::pages::common::{link, LinkView, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::pages::offer::OfferView;
use crate::routes::{self, PageKind};
use crate::site::{Cluster, Site};

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferRow {
    pub cluster: LinkView,
    /// The cluster's slug, so filters can pick rows by cluster.
    pub slug: String,
    /// One cell per category, in category order: the services offered.
    pub cells: Vec<OfferCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferCell {
    pub category: String,
    pub services: Vec<FilterableService>,
}

/// A service name with what the core-offer filters look at.
#[derive(Debug, Clone, Serialize)]
pub struct FilterableService {
    pub name: String,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub self_referral: bool,
    /// "Temporarily closed" or "Ended"; absent when running.
    pub status: Option<String>,
}

impl From<&model::OfferItem> for FilterableService {
    fn from(o: &model::OfferItem) -> Self {
        let status = o.status.unwrap_or_default();
        FilterableService {
            name: o.service.clone(),
            min_age: o.age_range().map(|a| a.min),
            max_age: o.age_range().map(|a| a.max),
            // A closed or ended service is not one families can ask for now.
            self_referral: o.self_referral == Some(true) && status == model::Status::Active,
            status: (status != model::Status::Active).then(|| status.label().to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryListing {
    pub category: CategoryView,
    pub entries: Vec<CategoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryEntry {
    pub cluster: LinkView,
    pub slug: String,
    pub offer: OfferView,
    pub filter: FilterableService,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoreOfferView {
    pub categories: Vec<CategoryView>,
    /// One row per cluster that lists at least one service.
    pub rows: Vec<OfferRow>,
    /// Clusters that list no service yet: named in one sentence, not a row of empty cells.
    pub unlisted: Vec<LinkView>,
    /// How many services the rows hold.
    pub services: usize,
    pub listings: Vec<CategoryListing>,
    /// Every part of a core offer too big for one page, in order (empty when it fits).
    pub parts: Vec<OfferPartLink>,
    /// How many clusters the whole directory has.
    pub total_clusters: usize,
}

/// One part of a split core offer: where it is and which clusters it covers.
#[derive(Debug, Clone, Serialize)]
pub struct OfferPartLink {
    pub number: usize,
    pub url: String,
    /// Name of the first and the last cluster in the part.
    pub first: String,
    pub last: String,
    pub clusters: usize,
    /// Whether this is the part the page shows.
    pub current: bool,
}

/// Links to every part (empty when there is only one), marking part `current`.
pub fn core_offer_part_links(
    parts: &[Vec<&Cluster>],
    current: Option<usize>,
) -> Vec<OfferPartLink> {
    if parts.len() < 2 {
        return Vec::new();
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| OfferPartLink {
            number: i + 1,
            url: routes::core_offer_part(i + 1),
            first: p.first().map(|c| c.record.name.clone()).unwrap_or_default(),
            last: p.last().map(|c| c.record.name.clone()).unwrap_or_default(),
            clusters: p.len(),
            current: current == Some(i + 1),
        })
        .collect()
}

impl CoreOfferView {
    /// The whole core offer on one page (a directory of up to
    /// [`routes::CORE_OFFER_PART_CLUSTERS`] clusters).
    pub fn new(site: &Site) -> Self {
        Self::for_clusters(site, &site.clusters_in_order(), Vec::new())
    }

    /// The index of a split core offer: the kinds of help and the parts, no rows.
    pub fn index(site: &Site, parts: Vec<OfferPartLink>) -> Self {
        Self::for_clusters(site, &[], parts)
    }

    /// The rows and listings of `clusters` (in the order given), with links to `parts`.
    pub fn for_clusters(site: &Site, clusters: &[&Cluster], parts: Vec<OfferPartLink>) -> Self {
        let categories: Vec<CategoryView> = site
            .categories
            .iter()
            .map(|c| CategoryView {
                slug: c.slug.get_ref().clone(),
                name: c.name.clone(),
                description: c.description.clone(),
            })
            .collect();
        let index: std::collections::HashMap<&str, usize> = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        let mut listings: Vec<CategoryListing> = categories
            .iter()
            .map(|c| CategoryListing {
                category: c.clone(),
                entries: Vec::new(),
            })
            .collect();
        let mut rows = Vec::new();
        let mut unlisted = Vec::new();
        let mut services = 0;
        for &c in clusters {
            let cluster = link(&c.record.name, routes::cluster(&c.slug));
            if !c
                .record
                .offer
                .iter()
                .any(|item| index.contains_key(item.category.get_ref().as_str()))
            {
                unlisted.push(cluster);
                continue;
            }
            let mut cells: Vec<OfferCell> = categories
                .iter()
                .map(|cat| OfferCell {
                    category: cat.slug.clone(),
                    services: Vec::new(),
                })
                .collect();
            for (n, item) in c.record.offer.iter().enumerate() {
                if let Some(&i) = index.get(item.category.get_ref().as_str()) {
                    services += 1;
                    cells[i].services.push(item.into());
                    listings[i].entries.push(CategoryEntry {
                        cluster: cluster.clone(),
                        slug: c.slug.clone(),
                        offer: OfferView::new(site, c, n),
                        filter: item.into(),
                    });
                }
            }
            rows.push(OfferRow {
                cluster,
                slug: c.slug.clone(),
                cells,
            });
        }
        CoreOfferView {
            categories,
            rows,
            unlisted,
            services,
            listings,
            parts,
            total_clusters: site.clusters.len(),
        }
    }
}

/// The core offer page: the whole table, or the index of its parts.
pub fn job(site: &Site, sv: &SiteView) -> Job {
    let parts = routes::core_offer_parts(site);
    let view = match parts.len() {
        1 => CoreOfferView::new(site),
        _ => CoreOfferView::index(site, core_offer_part_links(&parts, None)),
    };
    let meta = page_meta(
        "Core offer of every cluster",
        "What each cluster offers, side by side by kind of help.",
        routes::core_offer(),
        vec![link("Home", routes::home())],
        "Core offer",
    );
    Job::new(PageKind::CoreOffer, sv, meta, "offer", &view)
}

/// Part `n` (from 1) of a core offer split over several pages.
pub fn part_job(site: &Site, sv: &SiteView, parts: &[Vec<&Cluster>], n: usize) -> Job {
    let links = core_offer_part_links(parts, Some(n));
    let this = &links[n - 1];
    let meta = page_meta(
        &format!("Core offer: clusters {} to {}", this.first, this.last),
        &format!(
            "What the clusters from {} to {} offer, side by side by kind of help.",
            this.first, this.last
        ),
        routes::core_offer_part(n),
        vec![
            link("Home", routes::home()),
            link("Core offer", routes::core_offer()),
        ],
        "Core offer",
    );
    let view = CoreOfferView::for_clusters(site, &parts[n - 1], links);
    Job::new(PageKind::CoreOfferPart, sv, meta, "offer", &view)
}
