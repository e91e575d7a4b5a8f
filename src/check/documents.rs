//! What guides and pages (Markdown documents with front matter) share: a valid slug of
//! their own, and rendering in parallel. Messages: "two guides have the slug ..." (or
//! pages), plus the slug messages of [`super::fields`].

use std::collections::HashMap;

use crate::content::load::Document;
use crate::content::markdown::{self, Rendered};
use crate::content::model::Text;
use crate::diagnostics::{Diagnostic, Diagnostics};

use super::fields::{check_slug, span_of};

/// Check the document's slug, and that no earlier document of its kind (`what`) has
/// it. Returns false for a duplicate, which is left out of the site.
pub(super) fn check_unique_slug<'a, T>(
    doc: &'a Document<T>,
    explicit: Option<&Text>,
    seen: &mut HashMap<String, &'a Document<T>>,
    what: &str,
    diags: &mut Diagnostics,
) -> bool {
    check_slug(&doc.file, &doc.slug, explicit, diags);
    if let Some(first) = seen.get(&doc.slug) {
        diags.push(
            Diagnostic::error(
                &doc.file,
                explicit.and_then(span_of),
                format!("two {what}s have the slug \"{}\"", doc.slug),
            )
            .with_hint(format!(
                "{} already uses it; rename one file or set a different `slug`",
                first.file.display()
            )),
        );
        return false;
    }
    seen.insert(doc.slug.clone(), doc);
    true
}

/// The Markdown of every document, rendered in parallel (headings from level 2). Each
/// body is let go once rendered: nothing reads it again, and it can be long.
pub(super) fn render_all<F: Send>(docs: &mut [Document<F>]) -> Vec<Rendered> {
    use rayon::prelude::*;
    docs.par_iter_mut()
        .map(|d| {
            let rendered = markdown::render(&d.body, 2);
            d.body = String::new();
            rendered
        })
        .collect()
}
