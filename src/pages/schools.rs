//! The schools and children's centres A to Z, grouped by first letter.

use serde::Serialize;

use crate::pages::common::{link, LinkView, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};
use crate::site::Site;
use crate::text::index_letter;

#[derive(Debug, Clone, Serialize)]
pub struct SchoolEntry {
    pub name: String,
    pub kind: String,
    pub cluster: LinkView,
    pub help_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterGroup {
    pub letter: String,
    pub id: String,
    pub entries: Vec<SchoolEntry>,
}

/// Every school and children's centre, A to Z, grouped by first letter.
pub fn schools_a_to_z(site: &Site) -> Vec<LetterGroup> {
    let mut all: Vec<SchoolEntry> = Vec::new();
    for c in site.clusters.values() {
        let cluster = link(&c.record.name, routes::cluster(&c.slug));
        let help_url = format!("{}#how-to-get-help", routes::cluster(&c.slug));
        for s in &c.record.schools {
            all.push(SchoolEntry {
                name: s.name.get_ref().clone(),
                kind: format!("{} school", s.phase.label()),
                cluster: cluster.clone(),
                help_url: help_url.clone(),
            });
        }
        for cc in &c.record.children_centres {
            all.push(SchoolEntry {
                name: cc.name.get_ref().clone(),
                kind: "Children's centre".into(),
                cluster: cluster.clone(),
                help_url: help_url.clone(),
            });
        }
    }
    // By name ignoring case, then kind: each name lowered once, not per comparison.
    all.sort_by_cached_key(|e| (e.name.to_lowercase(), e.kind.clone()));
    // Group by first letter; names that do not start with A to Z go together under "#",
    // after Z, wherever they sort.
    let mut by_letter: std::collections::BTreeMap<(bool, char), Vec<SchoolEntry>> =
        std::collections::BTreeMap::new();
    for e in all {
        let letter = index_letter(&e.name);
        by_letter
            .entry((letter == '#', letter))
            .or_default()
            .push(e);
    }
    let groups: Vec<LetterGroup> = by_letter
        .into_iter()
        .map(|((_, letter), entries)| LetterGroup {
            letter: letter.to_string(),
            id: if letter == '#' {
                "letter-other".into()
            } else {
                format!("letter-{}", letter.to_ascii_lowercase())
            },
            entries,
        })
        .collect();
    groups
}

/// The schools A to Z page.
pub fn job(site: &Site, sv: &SiteView) -> Job {
    let meta = page_meta(
        "Schools and children's centres A to Z",
        "Find the cluster of a school or children's centre.",
        routes::schools(),
        vec![link("Home", routes::home())],
        "Schools A to Z",
    );
    Job::new(PageKind::Schools, sv, meta, "groups", &schools_a_to_z(site))
}
