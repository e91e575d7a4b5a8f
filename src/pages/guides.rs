//! The guides: the list of current and earlier editions, and each guide's page with
//! its editions linked both ways.

use serde::Serialize;

use crate::pages::common::{json_for_script, link, DateView, LinkView, PageMeta, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};
use crate::site::{Guide, Site};

#[derive(Debug, Clone, Serialize)]
pub struct GuideSummary {
    pub title: String,
    pub url: String,
    pub number: u32,
    pub edition: DateView,
    pub summary: String,
    pub replaced_by: Option<LinkView>,
}

pub fn guide_summary(site: &Site, g: &Guide) -> GuideSummary {
    GuideSummary {
        title: g.front.title.clone(),
        url: routes::guide(&g.slug),
        number: g.front.number,
        edition: g.edition.into(),
        summary: g.front.summary.clone(),
        replaced_by: g
            .replaced_by
            .as_ref()
            .and_then(|s| site.guides.get(s))
            .map(|n| link(&edition_title(n), routes::guide(&n.slug))),
    }
}

/// "Cluster working (January 2025 edition)".
pub fn edition_title(g: &Guide) -> String {
    format!("{} ({} edition)", g.front.title, g.edition.human())
}

pub fn guides_index(site: &Site) -> (Vec<GuideSummary>, Vec<GuideSummary>) {
    let current = site.current_guides();
    let mut replaced: Vec<&Guide> = site
        .guides
        .values()
        .filter(|g| g.replaced_by.is_some())
        .collect();
    replaced.sort_by(|a, b| {
        (a.front.number, std::cmp::Reverse(a.edition))
            .cmp(&(b.front.number, std::cmp::Reverse(b.edition)))
    });
    (
        current
            .into_iter()
            .map(|g| guide_summary(site, g))
            .collect(),
        replaced
            .into_iter()
            .map(|g| guide_summary(site, g))
            .collect(),
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideView {
    pub title: String,
    pub number: u32,
    pub edition: DateView,
    pub summary: String,
    pub html: String,
    pub contents: Vec<LinkView>,
    /// The newest edition, when this one has been replaced.
    pub current: Option<LinkView>,
    /// The edition that directly replaced this one.
    pub replaced_by: Option<LinkView>,
    /// Earlier editions of this guide, newest first.
    pub earlier: Vec<LinkView>,
    pub sources: Vec<String>,
    /// schema.org Article, as JSON ready for a script data block.
    pub json_ld: String,
}

impl GuideView {
    pub fn new(site: &Site, g: &Guide) -> Self {
        let next = |s: &str| site.guides.get(s).and_then(|g| g.replaced_by.clone());
        // Follow the chain forward to the current edition (bounded by the number of guides).
        let mut current = None;
        let mut at = g.replaced_by.clone();
        for _ in 0..site.guides.len() {
            let Some(s) = at else { break };
            at = next(&s);
            current = Some(s);
        }
        let mut earlier = Vec::new();
        let mut back = g.front.replaces.as_ref().map(|t| t.get_ref().clone());
        for _ in 0..site.guides.len() {
            let Some(s) = back else { break };
            let Some(old) = site.guides.get(&s) else {
                break;
            };
            earlier.push(link(&edition_title(old), routes::guide(&old.slug)));
            back = old.front.replaces.as_ref().map(|t| t.get_ref().clone());
        }
        let to_link = |s: &String| {
            site.guides
                .get(s)
                .map(|n| link(&edition_title(n), routes::guide(&n.slug)))
        };
        GuideView {
            title: g.front.title.clone(),
            number: g.front.number,
            edition: g.edition.into(),
            summary: g.front.summary.clone(),
            html: g.html.clone(),
            contents: g
                .headings
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| link(&h.text, format!("#{}", h.id)))
                .collect(),
            current: current.as_ref().and_then(to_link),
            replaced_by: g.replaced_by.as_ref().and_then(to_link),
            earlier,
            sources: g
                .front
                .sources
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            json_ld: json_for_script(&serde_json::json!({
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": g.front.title,
                "description": g.front.summary,
                "datePublished": g.edition.iso(),
                "isPartOf": { "@type": "CreativeWorkSeries", "name": format!("One-minute guide No. {}", g.front.number) },
            })),
        }
    }
}

/// The guides page.
pub fn index_job(sv: &SiteView, current: &[GuideSummary], replaced: &[GuideSummary]) -> Job {
    let meta = page_meta(
        "Guides",
        "Short guides to cluster working, current and earlier editions.",
        routes::guides(),
        vec![link("Home", routes::home())],
        "Guides",
    );
    Job::new(PageKind::Guides, sv, meta, "current", &current).with("replaced", &replaced)
}

/// A guide's page (made just before it is rendered: a site may have thousands).
pub fn guide_job(site: &Site, sv: &SiteView, g: &Guide) -> Job {
    let title = if g.replaced_by.is_some() {
        edition_title(g)
    } else {
        g.front.title.clone()
    };
    let crumbs = vec![
        link("Home", routes::home()),
        link("Guides", routes::guides()),
    ];
    let meta = PageMeta {
        quick_exit: g.front.quick_exit == Some(true),
        draft: g.front.draft,
        record: Some(g.file.display().to_string()),
        ..page_meta(
            &title,
            &g.front.summary,
            routes::guide(&g.slug),
            crumbs,
            "Guides",
        )
    };
    Job::new(PageKind::Guide, sv, meta, "guide", &GuideView::new(site, g))
}
