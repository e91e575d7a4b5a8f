//! The preview's render cache: pages rendered by an earlier build in the same process,
//! and the templates it compiled, so a rebuild renders only pages whose context or
//! templates changed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pages::job::Job;
use crate::pages::templates::Templates;

/// A rendered page and the hash of what it was rendered from.
type CachedPage = (u64, Arc<Vec<u8>>);

/// Pages rendered by an earlier build in the same process (`serve`), keyed by their
/// address, with a hash of the template set and of the page's context. A page whose
/// context and templates did not change is not rendered again: a change to one cluster
/// re-renders that cluster's pages and the pages that list clusters, not every guide.
#[derive(Default)]
pub struct RenderCache {
    pages: Mutex<HashMap<String, CachedPage>>,
    /// What the last build wrote into the output folder.
    pub written: crate::output::sync::Written,
    /// The data files made by earlier builds, by the records they come from.
    pub memo: crate::output::Memo,
    /// The cluster records parsed by earlier builds, by the text they came from.
    pub parses: crate::content::load::Parses,
    /// For each group of pages made from one record (a cluster's own pages): the hash
    /// of what they were made from and their addresses, so an unchanged record's pages
    /// are taken from `pages` without even building their contexts.
    groups: Mutex<HashMap<String, (u64, Vec<String>)>>,
    /// How many groups the last build made again rather than took as they were.
    groups_made: std::sync::atomic::AtomicUsize,
    /// The templates the last build compiled.
    templates: Mutex<Option<Arc<Templates>>>,
    /// The pages the last build actually rendered (for tests and the summary).
    rendered: Mutex<Vec<String>>,
}

impl RenderCache {
    /// [`Templates::load`], reusing the templates compiled by the last build when no
    /// template file changed (compiling them is most of a small site's build time).
    pub fn templates(
        &self,
        root: &Path,
        theme: &crate::pages::theme::Theme,
        diags: &mut Diagnostics,
    ) -> Option<Arc<Templates>> {
        let sources = crate::pages::templates::TemplateSources::read(root, theme, diags);
        let mut slot = self.templates.lock().ok()?;
        if let Some(t) = slot
            .as_ref()
            .filter(|t| t.fingerprint == sources.fingerprint && t.theme == *theme)
        {
            return Some(Arc::clone(t));
        }
        let compiled = Arc::new(Templates::compile(sources, diags)?);
        *slot = Some(Arc::clone(&compiled));
        Some(compiled)
    }

    /// The pages the last build rendered, sorted.
    pub fn last_rendered(&self) -> Vec<String> {
        let mut v = self.rendered.lock().map(|v| v.clone()).unwrap_or_default();
        v.sort();
        v
    }

    /// How many groups of pages made from one record (a cluster's own pages) the last
    /// build made again: their contexts built, then rendered unless unchanged.
    pub fn last_groups_made(&self) -> usize {
        self.groups_made.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forget which pages the last build rendered, as a new build starts.
    pub(crate) fn start_build(&self) {
        if let Ok(mut r) = self.rendered.lock() {
            r.clear();
        }
        self.groups_made
            .store(0, std::sync::atomic::Ordering::Relaxed);
        self.memo.start();
    }
}

/// A rendered page (its address and bytes), or the problem that stopped it.
pub type Rendered = Result<(String, Vec<u8>), Diagnostic>;

impl RenderCache {
    /// The pages of the group `name` (the pages made from one record), as an earlier
    /// build rendered them from inputs hashing to `key`; otherwise made by `jobs` and
    /// rendered (each through the page cache), and remembered under `key` when every
    /// one rendered.
    pub fn render_group(
        &self,
        templates: &Templates,
        name: &str,
        key: u64,
        jobs: impl FnOnce() -> Vec<Job>,
    ) -> Vec<Rendered> {
        if let Some(pages) = self.group_hit(name, key) {
            return pages.into_iter().map(Ok).collect();
        }
        self.groups_made
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rendered: Vec<Rendered> = jobs()
            .into_iter()
            .map(|job| render_cached(templates, self, job))
            .collect();
        let paths: Option<Vec<String>> = rendered
            .iter()
            .map(|r| r.as_ref().ok().map(|(p, _)| p.clone()))
            .collect();
        if let Ok(mut g) = self.groups.lock() {
            match paths {
                Some(paths) => g.insert(name.to_string(), (key, paths)),
                None => g.remove(name),
            };
        }
        rendered
    }

    /// The pages of a group remembered under `key`, if every one is still held.
    fn group_hit(&self, name: &str, key: u64) -> Option<Vec<(String, Vec<u8>)>> {
        let paths = {
            let groups = self.groups.lock().ok()?;
            let (k, paths) = groups.get(name)?;
            (*k == key).then(|| paths.clone())?
        };
        let pages = self.pages.lock().ok()?;
        paths
            .into_iter()
            .map(|p| {
                let bytes = pages.get(&p)?.1.as_ref().clone();
                Some((p, bytes))
            })
            .collect()
    }
}

/// Render one page, through the cache when there is one.
pub fn render_job(
    templates: &Templates,
    cache: Option<&RenderCache>,
    job: Job,
) -> Result<(String, Vec<u8>), Diagnostic> {
    match cache {
        None => job
            .render(templates)
            .map(|html| (job.path, html.into_bytes())),
        Some(cache) => render_cached(templates, cache, job),
    }
}

/// Render a page unless the cache holds it with the same templates and context.
fn render_cached(
    templates: &Templates,
    cache: &RenderCache,
    mut job: Job,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let key = key_of(templates, &mut job);
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
    let html = job.render(templates)?.into_bytes();
    if let Ok(mut r) = cache.rendered.lock() {
        r.push(job.path.clone());
    }
    if let Ok(mut p) = cache.pages.lock() {
        p.insert(job.path.clone(), (key, Arc::new(html.clone())));
    }
    Ok((job.path, html))
}

/// What a page is rendered from, hashed: the template set, the page's template, and
/// its context as JSON, hashed as it is written (no copy of the context, no buffer).
fn key_of(templates: &Templates, job: &mut Job) -> u64 {
    use std::hash::Hasher;
    struct Hashing(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(Default::default());
    h.0.write(&templates.fingerprint.to_le_bytes());
    h.0.write_usize(job.template.len());
    h.0.write(job.template.as_bytes());
    // The context is taken out, written as JSON and put back as it was.
    let json = std::mem::take(&mut job.ctx).into_json();
    let _ = serde_json::to_writer(&mut h, &json);
    job.ctx = tera::Context::from_value(json).unwrap_or_default();
    // A page's parts, one at a time: each part's template and context.
    for (template, ctx) in job.parts.iter().flat_map(|p| p.each()) {
        h.0.write_usize(template.len());
        h.0.write(template.as_bytes());
        let _ = serde_json::to_writer(&mut h, &ctx.into_json());
    }
    h.0.finish()
}
