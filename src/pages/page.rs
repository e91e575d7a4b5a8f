//! The site's own pages (about, governance, ...): Markdown with a list of contents.

use crate::pages::common::{link, record_file, LinkView, PageMeta, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::routes::{self, PageKind};
use crate::site::{Page, Site};

/// Each page's job.
pub fn jobs(site: &Site, sv: &SiteView) -> Vec<Job> {
    site.pages.values().map(|p| job(site, sv, p)).collect()
}

fn job(site: &Site, sv: &SiteView, p: &Page) -> Job {
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
        record: Some(record_file("pages", &p.file)),
        ..page_meta(
            &p.front.title,
            &description,
            routes::page(&p.slug),
            vec![link("Home", routes::home())],
            "",
        )
    };
    Job::new(PageKind::Page, sv, meta, "html", &p.html).with("contents", &contents)
}
