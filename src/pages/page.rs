//! The site's own pages (about, governance, ...): Markdown with a list of contents.

use serde::Serialize;

use crate::content::model::{GovernanceModel, PageList};
use crate::pages::common::{link, LinkView, PageMeta, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};
use crate::site::{Page, Site};

/// A page's job (made just before it is rendered, as guides are).
pub fn job(site: &Site, sv: &SiteView, p: &Page) -> Job {
    let description = p
        .front
        .summary
        .clone()
        .unwrap_or_else(|| site.config.description.clone());
    let contents: Vec<LinkView> = p
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| link(&h.text, format!("#{}", h.id)))
        .collect();
    let meta = PageMeta {
        quick_exit: p.front.quick_exit == Some(true),
        draft: p.front.draft,
        record: Some(p.file.display().to_string()),
        ..page_meta(
            &p.front.title,
            &description,
            routes::page(&p.slug),
            vec![link("Home", routes::home())],
            "",
        )
    };
    let governance =
        (p.front.list == Some(PageList::ClustersByGovernance)).then(|| GovernanceList::new(site));
    let mut contents = contents;
    if governance.is_some() {
        contents.push(link(
            GovernanceList::TITLE,
            format!("#{}", GovernanceList::ID),
        ));
    }
    let job = Job::new(PageKind::Page, sv, meta, "html", &p.html)
        .with("contents", &contents)
        .with("governance", &governance);
    if p.front.list == Some(PageList::Glossary) {
        // The page that defines the terms lists them, and leaves them as they are.
        job.with("glossary", &sv.glossary.a_to_z())
            .without_glossary()
    } else {
        job
    }
}

/// `list = "clusters-by-governance"`: every cluster under the model its record names.
#[derive(Debug, Serialize)]
struct GovernanceList {
    models: Vec<ModelClusters>,
    /// Clusters whose record names no model.
    unknown: Vec<LinkView>,
}

#[derive(Debug, Serialize)]
struct ModelClusters {
    label: &'static str,
    clusters: Vec<LinkView>,
}

impl GovernanceList {
    const TITLE: &'static str = "Which model each cluster uses";
    const ID: &'static str = "by-model";

    fn new(site: &Site) -> Self {
        let models = GovernanceModel::ALL;
        let mut list = GovernanceList {
            models: models
                .iter()
                .map(|m| ModelClusters {
                    label: m.label(),
                    clusters: Vec::new(),
                })
                .collect(),
            unknown: Vec::new(),
        };
        for c in site.clusters_in_order() {
            let entry = link(&c.record.name, routes::cluster(&c.slug));
            let model = c.record.governance.as_ref().and_then(|g| g.model);
            match model.and_then(|m| models.iter().position(|x| *x == m)) {
                Some(i) => list.models[i].clusters.push(entry),
                None => list.unknown.push(entry),
            }
        }
        list
    }
}
