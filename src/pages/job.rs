//! A page to render: its output file, its template and its Tera context, and the helpers
//! every page kind uses to make one.

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::pages::common::{LinkView, PageMeta, SiteView};
use crate::pages::glossary::Glossary;
use crate::pages::report::ReportView;
use crate::pages::templates::Templates;
use crate::routes::{file_for, route_of, PageKind};
use std::sync::Arc;

/// One page to render: where it goes, which template, and its context.
pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub ctx: Context,
    /// Terms to explain where they first appear (empty on the glossary page itself).
    pub glossary: Arc<Glossary>,
    /// Parts rendered on their own before the page, when the page has any.
    pub parts: Option<Parts>,
}

/// What each part of a page is rendered from, one part at a time.
pub trait PartSource: Send + Sync {
    /// How many parts there are.
    fn count(&self) -> usize;
    /// The context of part `i` (made when it is rendered, dropped after).
    fn context(&self, i: usize) -> Context;
}

/// Parts of a page too big for one Tera context (the schools A to Z's letters), each
/// rendered by its own template from a small context of its own, then handed to the
/// page's template as a list of HTML under `key`: only one part's values are ever a
/// Tera context.
pub struct Parts {
    key: &'static str,
    template: &'static str,
    source: Box<dyn PartSource>,
}

impl Parts {
    /// Every part's template and context, in order (what the render cache hashes).
    pub fn each(&self) -> impl Iterator<Item = (&'static str, Context)> + '_ {
        (0..self.source.count()).map(|i| (self.template, self.source.context(i)))
    }

    /// Every part rendered, in order.
    fn render(&self, templates: &Templates) -> Result<Vec<String>, Diagnostic> {
        self.each()
            .map(|(template, ctx)| templates.render(template, &ctx))
            .collect()
    }
}

impl Job {
    /// The page of `kind` at `url`, drawn by the template the route table gives it, with
    /// the layout's `site` and `page` values and one value of its own under `key`.
    pub fn new(
        kind: PageKind,
        sv: &SiteView,
        meta: PageMeta,
        key: &str,
        value: &impl Serialize,
    ) -> Job {
        let path = file_for(&meta.url);
        let report = ReportView::new(sv, &meta);
        let mut ctx = ctx_with(sv, meta, key, value);
        ctx.insert("report", &report);
        Job {
            path,
            template: route_of(kind).template,
            ctx,
            glossary: sv.glossary.clone(),
            parts: None,
        }
    }

    /// Render the parts of `source` with `template` before the page, and give them to
    /// the page as a list of HTML under `key`.
    pub fn with_parts(
        mut self,
        key: &'static str,
        template: &'static str,
        source: impl PartSource + 'static,
    ) -> Job {
        self.parts = Some(Parts {
            key,
            template,
            source: Box::new(source),
        });
        self
    }

    /// Leave the glossary's terms as they are (on the page that defines them).
    pub fn without_glossary(mut self) -> Job {
        self.glossary = Arc::default();
        self
    }

    /// The page's HTML: its template rendered, then its terms explained.
    pub fn render(&self, templates: &Templates) -> Result<String, Diagnostic> {
        let html = match &self.parts {
            None => templates.render(self.template, &self.ctx)?,
            Some(parts) => self.render_with_parts(parts, templates)?,
        };
        if self.glossary.terms.is_empty() {
            return Ok(html);
        }
        let mut html = self.glossary.explain(&html);
        html.shrink_to_fit();
        Ok(html)
    }

    /// The page with its parts: each part rendered, then the page with the parts' HTML
    /// moved (not copied) into its context, into a buffer of the page's size (the page
    /// rendered with empty parts, plus the parts), so that a page of many megabytes is
    /// never copied into a buffer twice its size as it grows.
    fn render_with_parts(
        &self,
        parts: &Parts,
        templates: &Templates,
    ) -> Result<String, Diagnostic> {
        let html = parts.render(templates)?;
        let size = self.size_with(parts.key, &html, templates)?;
        templates.render_sized(self.template, &self.ctx_with(parts.key, html), size)
    }

    /// The page's size with `html` as its parts: the page rendered with empty parts (a
    /// few kilobytes), plus the parts.
    fn size_with(
        &self,
        key: &str,
        html: &[String],
        templates: &Templates,
    ) -> Result<usize, Diagnostic> {
        let empty = vec![String::new(); html.len()];
        let skeleton = templates.render(self.template, &self.ctx_with(key, empty))?;
        Ok(skeleton.len() + html.iter().map(String::len).sum::<usize>())
    }

    /// The page's context with `list` under `key` (moved in, not copied).
    fn ctx_with(&self, key: &str, list: Vec<String>) -> Context {
        let mut json = self.ctx.clone().into_json();
        if let serde_json::Value::Object(map) = &mut json {
            let list = list.into_iter().map(serde_json::Value::String).collect();
            map.insert(key.to_string(), serde_json::Value::Array(list));
        }
        Context::from_value(json).unwrap_or_default()
    }

    /// Add another value to the page's context.
    pub fn with(mut self, key: &str, value: &impl Serialize) -> Job {
        self.ctx.insert(key, value);
        self
    }
}

/// What a page says about itself, with the usual defaults (no quick exit, not a draft).
pub fn page_meta(
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
        record: None,
        report_email: None,
    }
}

/// A Tera context with the layout's `site` and `page` values and one value of its own.
pub fn ctx_with(
    site_view: &SiteView,
    meta: PageMeta,
    key: &str,
    value: &impl Serialize,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", site_view);
    ctx.insert("page", &meta);
    ctx.insert(key, value);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with parts (the schools A to Z of a generated site, seeded) is rendered
    /// into a buffer made at its final size, so it never grows by doubling and copying.
    #[test]
    fn a_page_with_parts_is_rendered_into_a_buffer_of_its_exact_size() {
        for seed in [2, 31] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("site");
            crate::scaffold::generate::generate(&root, 15, 0, seed).unwrap();
            let checked = crate::build::check(&root);
            let site = checked.site.as_ref().unwrap();
            let sv = crate::pages::common::SiteView::new(site);
            let job = crate::pages::schools::job(site, &sv);
            let mut diags = crate::diagnostics::Diagnostics::default();
            let theme = crate::pages::theme::Theme::built_in();
            let templates = Templates::load(&root, &theme, &mut diags).unwrap();
            let parts = job.parts.as_ref().unwrap();
            let html = parts.render(&templates).unwrap();
            let size = job.size_with(parts.key, &html, &templates).unwrap();
            let page = job.render(&templates).unwrap();
            assert_eq!(size, page.len(), "seed {seed}");
            assert!(page.contains(&html[0]), "seed {seed}");
        }
    }
}
