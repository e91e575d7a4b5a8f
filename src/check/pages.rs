//! Checks of pages (`content/pages/*.md`), building each [`Page`] of the site: a slug
//! of its own that is not an address the site itself uses (the reserved slugs come from
//! [`crate::routes`]). Messages: "the address /.../ is used by the site itself", plus
//! those of [`super::documents`].

use std::collections::{BTreeMap, HashMap};

use crate::content::load::Document;
use crate::content::model::PageFrontMatter;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::routes;
use crate::site::Page;

use super::documents::{check_unique_slug, render_all};
use super::fields::span_of;
use super::links::MarkdownUse;

/// Check every page; the pages that pass are keyed by slug.
pub(super) fn check_pages(
    docs: &mut [Document<PageFrontMatter>],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> BTreeMap<String, Page> {
    let mut seen = HashMap::new();
    let mut out = BTreeMap::new();
    let rendered = render_all(docs);
    for (doc, mut rendered) in docs.iter().zip(rendered) {
        if !check_unique_slug(doc, doc.front.slug.as_ref(), &mut seen, "page", diags) {
            continue;
        }
        if is_reserved(doc, diags) {
            continue;
        }
        // The HTML and text move to the page (they can be long); the link checks need
        // only the links and problems.
        out.insert(
            doc.slug.clone(),
            Page {
                slug: doc.slug.clone(),
                file: doc.file.clone(),
                front: doc.front.clone(),
                html: std::mem::take(&mut rendered.html),
                headings: rendered.headings.clone(),
                text: std::mem::take(&mut rendered.text),
            },
        );
        md_uses.push(MarkdownUse {
            file: doc.file.clone(),
            offset: doc.body_offset,
            page_url: routes::page(&doc.slug),
            rendered,
        });
    }
    out
}

/// Whether the page's slug is an address of the site itself (reported if so).
fn is_reserved(doc: &Document<PageFrontMatter>, diags: &mut Diagnostics) -> bool {
    let reserved = routes::reserved_slugs();
    if !reserved.contains(&doc.slug.as_str()) {
        return false;
    }
    diags.push(
        Diagnostic::error(
            &doc.file,
            doc.front.slug.as_ref().and_then(span_of),
            format!(
                "the address {} is used by the site itself",
                routes::page(&doc.slug)
            ),
        )
        .with_hint(format!(
            "choose another file name or `slug`; these are taken: {}",
            reserved.join(", ")
        )),
    );
    true
}
