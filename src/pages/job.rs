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
            Some(parts) => {
                templates.render(self.template, &self.ctx_with_parts(parts, templates)?)?
            }
        };
        if self.glossary.terms.is_empty() {
            return Ok(html);
        }
        let mut html = self.glossary.explain(&html);
        html.shrink_to_fit();
        Ok(html)
    }

    /// The page's context with its parts rendered under their key. The parts' HTML is
    /// moved into the context, not copied.
    fn ctx_with_parts(&self, parts: &Parts, templates: &Templates) -> Result<Context, Diagnostic> {
        let html = parts.render(templates)?;
        let mut json = self.ctx.clone().into_json();
        if let serde_json::Value::Object(map) = &mut json {
            let list = html.into_iter().map(serde_json::Value::String).collect();
            map.insert(parts.key.to_string(), serde_json::Value::Array(list));
        }
        Ok(Context::from_value(json).unwrap_or_default())
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
