//! Render the site model into HTML pages (in memory), with Tera templates fed
//! small typed views.
//!
//! Every page kind is declared in the route table ([`crate::routes`]: its address and
//! template); here each kind gets its view builder, in [`jobs_for`]. One module per
//! page kind holds its views and builds its jobs: [`home`], [`clusters`], [`cluster`],
//! [`core_offer`], [`schools`], [`guides`], [`page`], [`search`], [`not_found`] and
//! [`data`]. Shared pieces: [`common`] views, [`offer`] (a service as pages show it),
//! [`charts`], [`job`] (a page to render), [`templates`] (the theme, templates and
//! static files) and [`cache`] (the preview's render cache). Pages never read the data
//! files, except the data page, which lists their sizes and is rendered after them.

use std::time::{Duration, Instant};

use rayon::prelude::*;

pub mod assets;
pub mod cache;
pub mod charts;
pub mod cluster;
pub mod clusters;
pub mod common;
pub mod core_offer;
pub mod data;
pub mod glossary;
pub mod guides;
pub mod home;
pub mod job;
pub mod not_found;
pub mod offer;
pub mod page;
pub mod report;
pub mod schools;
pub mod search;
pub mod templates;
pub mod theme;

pub use cache::RenderCache;
pub use data::render_data_page;
pub use templates::Templates;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{File, Output};
use crate::pages::cache::render_job;
use crate::pages::common::SiteView;
use crate::pages::job::Job;
use crate::routes::{PageKind, ROUTES};
use crate::site::Site;

/// Time taken by each part of rendering the pages (reported by the benchmark).
#[derive(Debug, Clone, Default)]
pub struct PageTimings {
    /// Building the views and contexts of every page but the clusters' own (summed
    /// over the threads that build them, beside rendering).
    pub contexts: Duration,
    /// The clusters' own pages: their views and contexts, and running the templates.
    pub cluster_pages: Duration,
    /// The other pages: their views and contexts, and running the templates.
    pub pages: Duration,
}

/// Lists several page kinds show, made once: every cluster in name order (home, the
/// clusters page, search, "not found") and the guides, current and replaced (home,
/// the guides page).
struct Lists {
    clusters: Vec<clusters::ClusterSummary>,
    current_guides: Vec<guides::GuideSummary>,
    replaced_guides: Vec<guides::GuideSummary>,
}

impl Lists {
    fn new(site: &Site) -> Self {
        let (current_guides, replaced_guides) = guides::guides_index(site);
        Lists {
            clusters: clusters::summaries(site),
            current_guides,
            replaced_guides,
        }
    }
}

/// The view builder of each page kind: the pages of that kind, ready to render.
/// Kinds with a page per cluster, guide or page are made one at a time as they are
/// rendered ([`render_streamed`], [`render_documents`]), and the data page after the
/// data files ([`render_data_page`]).
fn jobs_for(kind: PageKind, site: &Site, sv: &SiteView, lists: &Lists) -> Vec<Job> {
    match kind {
        PageKind::Home => vec![home::job(site, sv, &lists.clusters, &lists.current_guides)],
        PageKind::Clusters => vec![clusters::clusters_job(site, sv, &lists.clusters)],
        PageKind::CoreOffer => vec![core_offer::job(site, sv)],
        PageKind::Schools => vec![schools::job(site, sv)],
        PageKind::Guides => vec![guides::index_job(
            sv,
            &lists.current_guides,
            &lists.replaced_guides,
        )],
        PageKind::Search => vec![search::job(sv, &lists.clusters)],
        PageKind::NotFound => vec![not_found::job(sv, &lists.clusters)],
        PageKind::Cluster
        | PageKind::ClusterOffer
        | PageKind::CoreOfferPart
        | PageKind::Guide
        | PageKind::Page
        | PageKind::Data => Vec::new(),
    }
}

/// A rendered page handed over to the output (written at once when it streams), or
/// the problem that stopped it.
type Made = Result<(String, File), Diagnostic>;

fn hand_over(out: &Output, rendered: Result<(String, Vec<u8>), Diagnostic>) -> Made {
    rendered.map(|(path, bytes)| {
        let file = out.prepare(&path, bytes);
        (path, file)
    })
}

/// The pages made per cluster (each cluster's page and printable offer, the parts of a
/// big core offer), rendered in parallel, each context made just before its page is
/// rendered and dropped after, and each page handed to `out` as it is rendered: the
/// contexts and pages of thousands of clusters are never all in memory at once.
fn render_streamed(
    site: &Site,
    sv: &SiteView,
    templates: &Templates,
    cache: Option<&RenderCache>,
    out: &Output,
) -> Vec<Made> {
    let cached = cache.map(|c| (c, cluster_inputs(site, sv, templates)));
    let mut results: Vec<_> = site
        .clusters
        .par_iter()
        .flat_map_iter(|(_, c)| {
            let name = || format!("cluster/{}", c.slug);
            let jobs = || -> Vec<Job> { cluster::jobs(site, sv, c).into() };
            render_remembered(templates, cached, name, &[&c.source], jobs)
                .into_iter()
                .map(|r| hand_over(out, r))
        })
        .collect();
    if crate::routes::core_offer_part_count(site) > 1 {
        let parts = crate::routes::core_offer_parts(site);
        results.par_extend((1..=parts.len()).into_par_iter().flat_map_iter(|n| {
            // A part shows its clusters, links to every part (named by their first and
            // last clusters) and counts all clusters.
            let sources: Vec<u64> = parts[n - 1].iter().map(|c| c.source).collect();
            let links = core_offer::core_offer_part_links(&parts, Some(n));
            let inputs: [&dyn std::fmt::Debug; 3] = [&sources, &links, &site.clusters.len()];
            let name = || format!("core-offer/{n}");
            let jobs = || vec![core_offer::part_job(site, sv, &parts, n)];
            render_remembered(templates, cached, name, &inputs, jobs)
                .into_iter()
                .map(|r| hand_over(out, r))
        }));
    }
    results
}

/// The pages `jobs` makes, rendered; with a cache (and the hash of the inputs shared by
/// every page made per cluster), taken as an earlier build rendered them when neither
/// the shared inputs nor `inputs`, the group's own, changed.
fn render_remembered(
    templates: &Templates,
    cached: Option<(&RenderCache, u64)>,
    name: impl FnOnce() -> String,
    inputs: &[&dyn std::fmt::Debug],
    jobs: impl FnOnce() -> Vec<Job>,
) -> Vec<cache::Rendered> {
    match cached {
        Some((cache, shared)) => {
            let key = crate::output::debug_hash(&[&shared, &crate::output::debug_hash(inputs)]);
            cache.render_group(templates, &name(), key, jobs)
        }
        None => jobs()
            .into_iter()
            .map(|job| render_job(templates, None, job))
            .collect(),
    }
}

/// A hash of everything a cluster's own pages are made from besides the cluster
/// itself: the templates, the layout's site view (settings, navigation, footer pages,
/// glossary), the settings and categories, the date and whether drafts are shown, and
/// whether the governance page exists (see `cluster::jobs`).
fn cluster_inputs(site: &Site, sv: &SiteView, templates: &Templates) -> u64 {
    crate::output::debug_hash(&[
        &templates.fingerprint,
        sv,
        &site.config,
        &site.categories,
        &site.today,
        &site.drafts,
        &site.pages.contains_key("governance"),
    ])
}

/// Each guide's and page's page, rendered in parallel, its context made just before it
/// is rendered and dropped after (a site of 10,000 guides never holds 10,000 contexts,
/// each with a copy of its guide's HTML). The time spent making contexts is added to
/// `building`.
fn render_documents(
    site: &Site,
    sv: &SiteView,
    templates: &Templates,
    cache: Option<&RenderCache>,
    out: &Output,
    building: &std::sync::Mutex<Duration>,
) -> Vec<Made> {
    let timed = |make: &dyn Fn() -> Job| {
        let t = Instant::now();
        let job = make();
        if let Ok(mut b) = building.lock() {
            *b += t.elapsed();
        }
        hand_over(out, render_job(templates, cache, job))
    };
    let guides = site
        .guides
        .par_iter()
        .map(|(_, g)| timed(&|| guides::guide_job(site, sv, g)));
    let pages = site
        .pages
        .par_iter()
        .map(|(_, p)| timed(&|| page::job(site, sv, p)));
    guides.chain(pages).collect()
}

/// Every page rendered from a template (except the data page, which lists the data
/// files' sizes), into `out`.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    cache: Option<&RenderCache>,
    diags: &mut Diagnostics,
    timings: &mut PageTimings,
    mut out: Output,
) -> Output {
    if let Some(c) = cache {
        c.start_build();
    }
    let sv = SiteView::new(site);
    let t = Instant::now();
    let mut results = render_streamed(site, &sv, templates, cache, &out);
    timings.cluster_pages = t.elapsed();
    // Each kind's views and contexts are made just before its pages are rendered and
    // dropped after: the pages that list every cluster or school (home, search, "not
    // found", schools) are never all built at once. Their time is summed over threads.
    let t = Instant::now();
    let lists = Lists::new(site);
    let building = std::sync::Mutex::new(t.elapsed());
    let made = &out;
    results.par_extend(ROUTES.par_iter().flat_map_iter(|r| {
        let t = Instant::now();
        let jobs = jobs_for(r.kind, site, &sv, &lists);
        if let Ok(mut b) = building.lock() {
            *b += t.elapsed();
        }
        jobs.into_iter()
            .map(|job| hand_over(made, render_job(templates, cache, job)))
    }));
    results.par_extend(render_documents(
        site, &sv, templates, cache, made, &building,
    ));
    timings.contexts = building.into_inner().unwrap_or_default();
    for r in results {
        match r {
            Ok((path, file)) => out.put(path, file),
            Err(d) => diags.push(d),
        }
    }
    timings.pages = t.elapsed();
    out
}
