//! The home page: the clusters, the school finder's letters, the latest news, the
//! records checked most recently and the current guides.

use serde::Serialize;

use crate::pages::clusters::ClusterSummary;
use crate::pages::common::{link, DateView, LinkView, SiteView};
use crate::pages::guides::GuideSummary;
use crate::pages::job::{page_meta, Job};
use crate::pages::schools::{letter_id, letters};
use crate::routes::{self, PageKind};
use crate::site::{Cluster, Site};

#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    pub title: String,
    pub date: DateView,
    /// How long ago, in words.
    pub ago: String,
    pub cluster: LinkView,
}

pub fn latest_updates(site: &Site, n: usize) -> Vec<NewsItem> {
    site.all_updates()
        .into_iter()
        .take(n)
        .map(|(c, u)| NewsItem {
            title: u.title.clone(),
            date: u.date.into(),
            ago: u.date.age_in_words(site.today),
            cluster: link(
                &c.record.name,
                format!("{}#updates", routes::cluster(&c.slug)),
            ),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub cluster: LinkView,
    pub date: DateView,
    /// How long ago, in words.
    pub ago: String,
}

/// The clusters whose records were checked most recently.
pub fn recently_checked(site: &Site, n: usize) -> Vec<Checked> {
    let mut all: Vec<&Cluster> = site.clusters.values().collect();
    all.sort_by(|a, b| {
        b.last_reviewed
            .cmp(&a.last_reviewed)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    all.into_iter()
        .take(n)
        .map(|c| Checked {
            cluster: link(&c.record.name, routes::cluster(&c.slug)),
            date: c.last_reviewed.into(),
            ago: c.last_reviewed.age_in_words(site.today),
        })
        .collect()
}

/// The home page.
pub fn job(
    site: &Site,
    sv: &SiteView,
    clusters: &[ClusterSummary],
    current_guides: &[GuideSummary],
) -> Job {
    let letters: Vec<LinkView> = letters(site)
        .into_iter()
        .map(|l| {
            link(
                &l.to_string(),
                format!("{}#{}", routes::schools(), letter_id(l)),
            )
        })
        .collect();
    let meta = page_meta(
        &site.config.title,
        &site.config.description,
        routes::home(),
        vec![],
        "Home",
    );
    Job::new(PageKind::Home, sv, meta, "clusters", &clusters)
        .with("letters", &letters)
        .with("latest", &latest_updates(site, 5))
        .with("recently_checked", &recently_checked(site, 5))
        .with("guides", &current_guides)
}
