//! Stage 4: render the site model into files (in memory), using Tera templates.
//!
//! Templates are found in three places, later ones overriding earlier ones by name:
//! the built-in default theme (compiled into the binary), `themes/<theme>/templates/`
//! in the site folder, and the site's own `templates/` folder. Static assets follow
//! the same order (`themes/<theme>/static/`, then the site's `static/`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

pub mod charts;
pub mod views;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::pages::views::{
    link, ClusterSummary, ClusterView, CoreOfferView, GuideView, LinkView, PageMeta, SiteView,
};
use crate::routes::{self, file_for, PageKind};
use crate::site::{Cluster, Site};

/// Embed files of the built-in default theme: `(name, contents)` pairs.
macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The built-in default theme's templates, embedded so the binary works on its own.
const BUILTIN_TEMPLATES: &[(&str, &str)] = embed!("templates":
    "base.html",
    "macros.html",
    "home.html",
    "clusters.html",
    "cluster.html",
    "cluster_offer.html",
    "core_offer.html",
    "schools.html",
    "guides.html",
    "guide.html",
    "page.html",
    "search.html",
    "data.html",
    "404.html",
);

/// The built-in default theme's static files.
const BUILTIN_STATIC: &[(&str, &str)] = embed!("static":
    "style.css",
    "syntax.css",
    "search-core.mjs",
    "search.mjs",
    "quick-exit.mjs",
);

/// Where each template came from, so template errors name the right file.
pub struct Templates {
    tera: Tera,
    origin: BTreeMap<String, PathBuf>,
    /// A hash of every template's text: part of each page's cache key, so that editing
    /// a template re-renders the pages.
    fingerprint: u64,
}

/// The text of every template, after the site and theme have overridden the built-in
/// ones, with where each came from and a hash of them all.
struct TemplateSources {
    list: Vec<(String, String)>,
    origin: BTreeMap<String, PathBuf>,
    fingerprint: u64,
}

impl TemplateSources {
    fn read(root: &Path, theme: &str, diags: &mut Diagnostics) -> TemplateSources {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (
                        PathBuf::from(format!("(built-in)/themes/default/templates/{name}")),
                        text.to_string(),
                    ),
                )
            })
            .collect();
        for dir in [
            root.join("themes").join(theme).join("templates"),
            root.join("templates"),
        ] {
            for (name, path, text) in read_dir_files(root, &dir, diags) {
                if name.ends_with(".html") {
                    sources.insert(name, (path, text));
                }
            }
        }
        let origin: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(n, (p, _))| (n.clone(), p.clone()))
            .collect();
        let list: Vec<(String, String)> = sources.into_iter().map(|(n, (_, t))| (n, t)).collect();
        let fingerprint = hash_of(
            &list
                .iter()
                .flat_map(|(n, t)| [n.as_bytes(), t.as_bytes()])
                .collect::<Vec<_>>(),
        );
        TemplateSources {
            list,
            origin,
            fingerprint,
        }
    }
}

/// A rendered page and the hash of what it was rendered from.
type CachedPage = (u64, std::sync::Arc<Vec<u8>>);

/// Pages rendered by an earlier build in the same process (`serve`), keyed by their
/// address, with a hash of the template set and of the page's context. A page whose
/// context and templates did not change is not rendered again: a change to one cluster
/// re-renders that cluster's pages and the pages that list clusters, not every guide.
#[derive(Default)]
pub struct RenderCache {
    pages: std::sync::Mutex<HashMap<String, CachedPage>>,
    /// What the last build wrote into the output folder.
    pub written: crate::output::Written,
    /// The templates the last build compiled.
    templates: std::sync::Mutex<Option<std::sync::Arc<Templates>>>,
    /// The pages the last build actually rendered (for tests and the summary).
    rendered: std::sync::Mutex<Vec<String>>,
}

impl RenderCache {
    /// The pages the last build rendered, sorted.
    pub fn last_rendered(&self) -> Vec<String> {
        let mut v = self.rendered.lock().map(|v| v.clone()).unwrap_or_default();
        v.sort();
        v
    }
}

fn hash_of(parts: &[&[u8]]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

impl Templates {
    /// Load templates: built-in, then theme folder, then site `templates/`.
    pub fn load(root: &Path, theme: &str, diags: &mut Diagnostics) -> Option<Templates> {
        Self::compile(TemplateSources::read(root, theme, diags), diags)
    }

    /// [`Templates::load`], reusing the templates compiled by the last build when no
    /// template file changed (compiling them is most of a small site's build time).
    pub fn load_cached(
        root: &Path,
        theme: &str,
        cache: &RenderCache,
        diags: &mut Diagnostics,
    ) -> Option<std::sync::Arc<Templates>> {
        let sources = TemplateSources::read(root, theme, diags);
        let mut slot = cache.templates.lock().ok()?;
        if let Some(t) = slot
            .as_ref()
            .filter(|t| t.fingerprint == sources.fingerprint)
        {
            return Some(std::sync::Arc::clone(t));
        }
        let compiled = std::sync::Arc::new(Self::compile(sources, diags)?);
        *slot = Some(std::sync::Arc::clone(&compiled));
        Some(compiled)
    }

    fn compile(sources: TemplateSources, diags: &mut Diagnostics) -> Option<Templates> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        let TemplateSources {
            list,
            origin,
            fingerprint,
        } = sources;
        if let Err(e) = tera.add_raw_templates(list) {
            let (file, msg) = template_error(&origin, &e);
            diags.push(
                Diagnostic::error(file, None, msg)
                    .with_hint("fix the template syntax; Tera's documentation lists the tags"),
            );
            return None;
        }
        Some(Templates {
            tera,
            origin,
            fingerprint,
        })
    }

    /// Render a page. The text is trimmed to its length: thousands of pages are held
    /// until they are written, and a growing string can be up to twice its length.
    fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        let mut html = self.tera.render(name, ctx).map_err(|e| {
            let (file, msg) = template_error(&self.origin, &e);
            Diagnostic::error(file, None, msg)
                .with_hint("a template uses a value the page does not have, or has a mistake")
        })?;
        html.shrink_to_fit();
        Ok(html)
    }
}

/// Escape text for HTML text and quoted attributes. Unlike Tera's default, `/` is left
/// alone: it is harmless in both and escaping it makes every link unreadable.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut done = 0;
    // The five characters are ASCII, so byte positions are character boundaries.
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// The full chain of a Tera error, with the template it came from.
fn template_error(origin: &BTreeMap<String, PathBuf>, e: &tera::Error) -> (PathBuf, String) {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let file = origin
        .iter()
        .find(|(name, _)| msg.contains(&format!("'{name}'")))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| PathBuf::from("templates"));
    (file, msg)
}

/// Files directly in `dir` (templates and assets are flat): name, display path, text.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf, String)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => out.push((rel_name, shown, text)),
            Err(e) => diags.push(Diagnostic::error(
                shown,
                None,
                format!("could not read this file: {e}"),
            )),
        }
    }
    out
}

/// One page to render: where it goes, which template, and its context.
struct Job {
    path: String,
    template: &'static str,
    ctx: Context,
}

fn page_meta(
    title: &str,
    description: &str,
    url: String,
    crumbs: Vec<LinkView>,
    section: &str,
) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        url,
        breadcrumbs: crumbs,
        section: section.to_string(),
        quick_exit: false,
        draft: false,
    }
}

fn ctx_with(site_view: &SiteView, meta: PageMeta, key: &str, value: &impl Serialize) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", site_view);
    ctx.insert("page", &meta);
    ctx.insert(key, value);
    ctx
}

/// The jobs for one cluster: its page and its printable offer.
fn cluster_jobs(site: &Site, sv: &SiteView, c: &crate::site::Cluster) -> [Job; 2] {
    let view = ClusterView::new(site, c);
    let description = format!(
        "How to get early help from the {} cluster, what it offers, its schools and contacts.",
        c.record.name
    );
    let crumbs = vec![
        link("Home", routes::home()),
        link("Clusters", routes::clusters()),
    ];
    let title = format!("{} cluster", c.record.name);
    let mut meta = page_meta(
        &title,
        &description,
        routes::cluster(&c.slug),
        crumbs.clone(),
        "Clusters",
    );
    meta.quick_exit = view.quick_exit;
    meta.draft = c.record.draft;
    let mut print_meta = page_meta(
        &format!("{} cluster: offer to print or save", c.record.name),
        &format!(
            "The {} cluster's offer, how to get help and contacts, on one or two printed pages.",
            c.record.name
        ),
        routes::cluster_offer(&c.slug),
        [crumbs, vec![link(&title, routes::cluster(&c.slug))]].concat(),
        "Clusters",
    );
    print_meta.quick_exit = view.quick_exit;
    [
        Job {
            path: file_for(&routes::cluster_offer(&c.slug)),
            template: "cluster_offer.html",
            ctx: ctx_with(sv, print_meta, "cluster", &view),
        },
        Job {
            path: file_for(&routes::cluster(&c.slug)),
            template: "cluster.html",
            ctx: ctx_with(sv, meta, "cluster", &view),
        },
    ]
}

/// Part `n` (from 1) of a core offer split over several pages.
fn core_offer_part_job(site: &Site, sv: &SiteView, parts: &[Vec<&Cluster>], n: usize) -> Job {
    let links = views::core_offer_part_links(parts, Some(n));
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
    Job {
        path: file_for(&routes::core_offer_part(n)),
        template: "core_offer.html",
        ctx: ctx_with(sv, meta, "offer", &view),
    }
}

/// Render one page, through the cache when there is one.
fn render_job(
    templates: &Templates,
    cache: Option<&RenderCache>,
    job: Job,
) -> Result<(String, Vec<u8>), Diagnostic> {
    match cache {
        None => templates
            .render(job.template, &job.ctx)
            .map(|html| (job.path, html.into_bytes())),
        Some(cache) => render_cached(templates, cache, job),
    }
}

/// Render a page unless the cache holds it with the same templates and context.
fn render_cached(
    templates: &Templates,
    cache: &RenderCache,
    job: Job,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let context = serde_json::to_vec(&job.ctx.clone().into_json()).unwrap_or_default();
    let key = hash_of(&[
        &templates.fingerprint.to_le_bytes(),
        job.template.as_bytes(),
        &context,
    ]);
    if let Some((k, bytes)) = cache
        .pages
        .lock()
        .ok()
        .and_then(|p| p.get(&job.path).cloned())
    {
        if k == key {
            return Ok((job.path, bytes.as_ref().clone()));
        }
    }
    let html = templates.render(job.template, &job.ctx)?.into_bytes();
    if let Ok(mut r) = cache.rendered.lock() {
        r.push(job.path.clone());
    }
    if let Ok(mut p) = cache.pages.lock() {
        p.insert(job.path.clone(), (key, std::sync::Arc::new(html.clone())));
    }
    Ok((job.path, html))
}

/// Time taken by each part of rendering the pages (reported by the benchmark).
#[derive(Debug, Clone, Default)]
pub struct PageTimings {
    /// Building the views and contexts of every page but the clusters' own.
    pub contexts: Duration,
    /// The clusters' own pages: their views and contexts, and running the templates.
    pub cluster_pages: Duration,
    /// Running the templates of the other pages.
    pub pages: Duration,
}

/// The data page, which lists the downloads with their sizes in this build: rendered
/// once the data files are made.
pub fn render_data_page(
    site: &Site,
    templates: &Templates,
    out: &mut Output,
    diags: &mut Diagnostics,
) {
    let mut ctx = ctx_with(
        &SiteView::new(site),
        page_meta(
            "Open data",
            "Download the whole directory as data: JSON, CSV, Open Referral UK and calendars.",
            routes::data(),
            vec![link("Home", routes::home())],
            "",
        ),
        "downloads",
        &views::downloads(site, out),
    );
    ctx.insert("licence", &site.config.data_licence);
    match templates.render(routes::route_of(PageKind::Data).template, &ctx) {
        Ok(html) => {
            out.insert(file_for(&routes::data()), html.into_bytes());
        }
        Err(d) => diags.push(d),
    }
}

/// Every page rendered from a template (except the data page, which lists the data
/// files' sizes), and the static files.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    root: &Path,
    cache: Option<&RenderCache>,
    diags: &mut Diagnostics,
    timings: &mut PageTimings,
) -> Output {
    let started = Instant::now();
    if let Some(c) = cache {
        if let Ok(mut r) = c.rendered.lock() {
            r.clear();
        }
    }
    let sv = SiteView::new(site);
    let home_crumb = || vec![link("Home", routes::home())];
    let mut jobs: Vec<Job> = Vec::new();

    // Home
    let clusters: Vec<ClusterSummary> = site
        .clusters_in_order()
        .into_iter()
        .map(ClusterSummary::from)
        .collect();
    let letters: Vec<LinkView> = views::schools_a_to_z(site)
        .iter()
        .map(|g| link(&g.letter, format!("{}#{}", routes::schools(), g.id)))
        .collect();
    let (current_guides, replaced_guides) = views::guides_index(site);
    let mut ctx = ctx_with(
        &sv,
        page_meta(
            &site.config.title,
            &site.config.description,
            routes::home(),
            vec![],
            "Home",
        ),
        "clusters",
        &clusters,
    );
    ctx.insert("letters", &letters);
    ctx.insert("latest", &views::latest_updates(site, 5));
    ctx.insert("recently_checked", &views::recently_checked(site, 5));
    ctx.insert("guides", &current_guides);
    jobs.push(Job {
        path: file_for(&routes::home()),
        template: "home.html",
        ctx,
    });

    // Clusters list and each cluster
    jobs.push(Job {
        path: file_for(&routes::clusters()),
        template: "clusters.html",
        ctx: ctx_with(
            &sv,
            page_meta(
                "Clusters",
                &format!(
                    "Every early help cluster in {}, with the area it serves.",
                    site.config.city
                ),
                routes::clusters(),
                home_crumb(),
                "Clusters",
            ),
            "clusters",
            &clusters,
        ),
    });
    // Each cluster's page and printable offer, in parallel, each context made just
    // before its page is rendered and dropped after: the contexts of thousands of
    // clusters are never all in memory at once.
    let t = Instant::now();
    let mut results: Vec<Result<(String, Vec<u8>), Diagnostic>> = site
        .clusters
        .par_iter()
        .flat_map_iter(|(_, c)| {
            cluster_jobs(site, &sv, c)
                .into_iter()
                .map(|job| render_job(templates, cache, job))
        })
        .collect();
    timings.cluster_pages = t.elapsed();

    // Core offer: one page, or an index and parts rendered like the cluster pages
    let parts = crate::routes::core_offer_parts(site);
    let offer_view = match parts.len() {
        1 => CoreOfferView::new(site),
        _ => CoreOfferView::index(site, views::core_offer_part_links(&parts, None)),
    };
    jobs.push(Job {
        path: file_for(&routes::core_offer()),
        template: "core_offer.html",
        ctx: ctx_with(
            &sv,
            page_meta(
                "Core offer of every cluster",
                "What each cluster offers, side by side by kind of help.",
                routes::core_offer(),
                home_crumb(),
                "Core offer",
            ),
            "offer",
            &offer_view,
        ),
    });
    if parts.len() > 1 {
        let t = Instant::now();
        results.par_extend(
            (1..=parts.len())
                .into_par_iter()
                .map(|n| render_job(templates, cache, core_offer_part_job(site, &sv, &parts, n))),
        );
        timings.cluster_pages += t.elapsed();
    }
    jobs.push(Job {
        path: file_for(&routes::schools()),
        template: "schools.html",
        ctx: ctx_with(
            &sv,
            page_meta(
                "Schools and children's centres A to Z",
                "Find the cluster of a school or children's centre.",
                routes::schools(),
                home_crumb(),
                "Schools A to Z",
            ),
            "groups",
            &views::schools_a_to_z(site),
        ),
    });

    // Guides
    let mut ctx = ctx_with(
        &sv,
        page_meta(
            "Guides",
            "Short guides to cluster working, current and earlier editions.",
            routes::guides(),
            home_crumb(),
            "Guides",
        ),
        "current",
        &current_guides,
    );
    ctx.insert("replaced", &replaced_guides);
    jobs.push(Job {
        path: file_for(&routes::guides()),
        template: "guides.html",
        ctx,
    });
    for g in site.guides.values() {
        let view = GuideView::new(site, g);
        let title = if g.replaced_by.is_some() {
            views::edition_title(g)
        } else {
            g.front.title.clone()
        };
        let crumbs = vec![
            link("Home", routes::home()),
            link("Guides", routes::guides()),
        ];
        jobs.push(Job {
            path: file_for(&routes::guide(&g.slug)),
            template: "guide.html",
            ctx: ctx_with(
                &sv,
                PageMeta {
                    quick_exit: g.front.quick_exit == Some(true),
                    draft: g.front.draft,
                    ..page_meta(
                        &title,
                        &g.front.summary,
                        routes::guide(&g.slug),
                        crumbs,
                        "Guides",
                    )
                },
                "guide",
                &view,
            ),
        });
    }

    // Other pages
    for p in site.pages.values() {
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
        let mut ctx = ctx_with(
            &sv,
            PageMeta {
                quick_exit: p.front.quick_exit == Some(true),
                draft: p.front.draft,
                ..page_meta(
                    &p.front.title,
                    &description,
                    routes::page(&p.slug),
                    home_crumb(),
                    "",
                )
            },
            "html",
            &p.html,
        );
        ctx.insert("contents", &contents);
        jobs.push(Job {
            path: file_for(&routes::page(&p.slug)),
            template: "page.html",
            ctx,
        });
    }

    jobs.push(Job {
        path: file_for(&routes::search()),
        template: "search.html",
        ctx: ctx_with(
            &sv,
            page_meta(
                "Search",
                "Search for a cluster, school, service or guide.",
                routes::search(),
                home_crumb(),
                "Search",
            ),
            "clusters",
            &clusters,
        ),
    });

    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        ctx: ctx_with(
            &sv,
            page_meta(
                "Page not found",
                "This page could not be found.",
                "/404.html".into(),
                vec![],
                "",
            ),
            "clusters",
            &clusters,
        ),
    });

    timings.contexts = started.elapsed() - timings.cluster_pages;
    let t = Instant::now();
    results.par_extend(
        jobs.into_par_iter()
            .map(|job| render_job(templates, cache, job)),
    );
    let mut out = Output::new();
    for r in results {
        match r {
            Ok((path, bytes)) => {
                out.insert(path, bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    write_static(site, root, &mut out, diags);
    timings.pages = t.elapsed();
    out
}

fn write_static(site: &Site, root: &Path, out: &mut Output, diags: &mut Diagnostics) {
    for (name, text) in BUILTIN_STATIC {
        out.insert(format!("static/{name}"), text.as_bytes().to_vec());
    }
    for dir in [
        root.join("themes").join(&site.config.theme).join("static"),
        root.join("static"),
    ] {
        for (name, _, text) in read_dir_files(root, &dir, diags) {
            out.insert(format!("static/{name}"), text.into_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>Tom & Jerry</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(escape_html("é/ü – ٱلعربية 👪&"), "é/ü – ٱلعربية 👪&amp;");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn site_templates_override_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/404.html"),
            "custom {{ page.title }}",
        )
        .unwrap();
        let mut diags = Diagnostics::default();
        let t = Templates::load(dir.path(), "default", &mut diags).unwrap();
        let mut ctx = Context::new();
        ctx.insert(
            "page",
            &page_meta("Gone", "", "/404.html".into(), vec![], ""),
        );
        assert_eq!(t.render("404.html", &ctx).unwrap(), "custom Gone");
        assert_eq!(t.origin["404.html"], PathBuf::from("templates/404.html"));
    }

    #[test]
    fn broken_site_template_is_reported_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/page.html"), "{% if %}").unwrap();
        let mut diags = Diagnostics::default();
        assert!(Templates::load(dir.path(), "default", &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.file, PathBuf::from("templates/page.html"), "{d:?}");
    }
}
