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
        }
    }

    /// Leave the glossary's terms as they are (on the page that defines them).
    pub fn without_glossary(mut self) -> Job {
        self.glossary = Arc::default();
        self
    }

    /// The page's HTML: its template rendered, then its terms explained.
    pub fn render(&self, templates: &Templates) -> Result<String, Diagnostic> {
        let html = templates.render(self.template, &self.ctx)?;
        if self.glossary.terms.is_empty() {
            return Ok(html);
        }
        let mut html = self.glossary.explain(&html);
        html.shrink_to_fit();
        Ok(html)
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
