//! Check the loaded content and build the [`crate::site`] model.
//!
//! [`validate`] runs every rule on the loaded records, one module per record kind, and
//! builds the [`Site`]; each rule adds diagnostics and carries on, so one run reports
//! every problem. After rendering, `check` and `build` run [`check_anchors`],
//! [`check_review_dates`] and [`check_external`], and `check` prints the
//! [`completeness_table`].

use crate::content::load::Loaded;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;

// Before the model is built: one module per record kind, and the checks they share.
mod clusters;
mod config;
mod contacts;
mod deploy;
mod documents;
mod fields;
mod glossary;
mod guides;
mod links;
mod offer;
mod pages;
mod schools;

// After rendering, on the whole site.
mod anchors;
mod completeness;
mod external;
mod review;

pub use anchors::check_anchors;
pub use completeness::{completeness, completeness_table, Completeness, RECOMMENDED};
pub use external::check_external;
pub use review::{check_review_dates, DEFAULT_REVIEW_WARNING_MONTHS};

use links::MarkdownUse;

/// What a build can be told from outside the content.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date to judge staleness against (today, unless a test or a reproducible
    /// build fixes it).
    pub today: chrono::NaiveDate,
    /// Include drafts (and mark them as drafts on their pages).
    pub drafts: bool,
    /// Also request every external link (`check --external`).
    pub external_links: bool,
    /// Let `external_links` request loopback addresses too (127.0.0.1, ::1), for tests
    /// with a server of their own. Not offered on the command line: by default only
    /// public addresses are requested.
    pub external_loopback: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: chrono::Local::now().date_naive(),
            drafts: false,
            external_links: false,
            external_loopback: false,
        }
    }
}

/// Check everything and build the site model. Returns the model even when there are
/// errors (so `check` can report them all); callers must not write output then.
pub fn validate(mut loaded: Loaded, options: &Options, diags: &mut Diagnostics) -> Site {
    if !options.drafts {
        drop_drafts(&mut loaded);
    }
    fields::normalise_web_addresses(&mut loaded);
    let mut md_uses = Vec::new();
    let categories = loaded.config.categories.clone();
    let category_slugs: Vec<String> = if loaded.config_usable {
        config::check_config(&loaded, diags);
        categories
            .iter()
            .map(|c| c.slug.get_ref().clone())
            .collect()
    } else {
        // site.toml could not be read, so its categories are not known: accept the
        // records' own rather than report each as unknown.
        loaded
            .clusters
            .iter()
            .flat_map(|r| r.data.offer.iter().map(|o| o.category.get_ref().clone()))
            .collect()
    };
    let category_slugs: Vec<&str> = category_slugs.iter().map(String::as_str).collect();

    let records = std::mem::take(&mut loaded.clusters);
    let clusters = clusters::check_clusters(records, &category_slugs, diags, &mut md_uses);
    let guides = guides::check_guides(&mut loaded.guides, diags, &mut md_uses);
    let pages = pages::check_pages(&mut loaded.pages, diags, &mut md_uses);

    let config_file = loaded.config_file.clone();
    if loaded.config_usable {
        glossary::check_glossary_page(&config_file, &loaded.config.glossary, &pages, diags);
    }
    let unusable = std::mem::take(&mut loaded.unusable);
    let mut site = Site {
        today: options.today,
        drafts: options.drafts,
        links: Vec::new(),
        external_links: Vec::new(),
        config: loaded.config,
        categories,
        clusters,
        guides,
        pages,
    };
    check_markdown_uses(&mut site, &md_uses, &unusable, diags);
    links::record_field_addresses(&mut site, &config_file);
    site
}

/// Leave out every record and document marked `draft = true`.
fn drop_drafts(loaded: &mut Loaded) {
    loaded.clusters.retain(|c| !c.data.draft);
    loaded.guides.retain(|g| !g.front.draft);
    loaded.pages.retain(|p| !p.front.draft);
}

/// Now that every page's address is known: report the problems the Markdown renderer
/// found, and check every link, remembering internal and external links on the site.
fn check_markdown_uses(
    site: &mut Site,
    md_uses: &[MarkdownUse],
    unusable: &crate::content::load::Unusable,
    diags: &mut Diagnostics,
) {
    let addresses = links::site_addresses(site, unusable);
    for u in md_uses {
        report_markdown_problems(u, diags);
        for link in &u.rendered.links {
            links::check_and_record(site, u, link, &addresses, diags);
        }
    }
}

/// The renderer's own problems (such as script addresses), placed in the source file.
fn report_markdown_problems(u: &MarkdownUse, diags: &mut Diagnostics) {
    for p in &u.rendered.problems {
        diags.push(
            Diagnostic::error(
                &u.file,
                Some(p.span.start + u.offset..p.span.end + u.offset),
                &p.message,
            )
            .with_hint(&p.hint),
        );
    }
}
