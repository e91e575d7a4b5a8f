//! Checks of guides (`content/guides/*.md`), building each [`Guide`] of the site, and of
//! their editions: a guide's `replaces` names an earlier edition of the same guide
//! number, each edition is replaced by one newer edition at most, each guide number has
//! one current edition, an edition is dated after the one it replaces, and editions do not replace each other in a circle. Messages:
//! "this guide says it replaces itself", "this is guide No. ... but it replaces ...",
//! "this guide replaces ..., but there is no guide with that slug", "both ... and ...
//! say they replace ...", "this edition (...) replaces ..., but is older than that
//! edition (...)", "guide No. ... has two current editions", "the editions of
//! this guide replace each other in a circle", plus those of [`super::documents`].

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::load::Document;
use crate::content::model::{GuideFrontMatter, PartialDate, Text};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::routes;
use crate::site::Guide;

use super::documents::{check_unique_slug, render_all};
use super::fields::{check_date, span_of};
use super::links::MarkdownUse;

/// Guides keyed by slug.
type Guides = BTreeMap<String, Guide>;

/// Check every guide and link its editions; the guides that pass are keyed by slug.
pub(super) fn check_guides(
    docs: &mut [Document<GuideFrontMatter>],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> Guides {
    let mut seen = HashMap::new();
    let mut out = BTreeMap::new();
    let rendered = render_all(docs);
    for (doc, mut rendered) in docs.iter().zip(rendered) {
        if !check_unique_slug(doc, doc.front.slug.as_ref(), &mut seen, "guide", diags) {
            continue;
        }
        let edition = check_date(&doc.file, "edition", &doc.front.edition, diags);
        let guide = Guide {
            slug: doc.slug.clone(),
            file: doc.file.clone(),
            front: doc.front.clone(),
            edition: edition.unwrap_or(PartialDate {
                year: 1970,
                month: 1,
                day: None,
            }),
            // Moved, not copied (they can be long): the link checks need only the
            // links and problems.
            html: std::mem::take(&mut rendered.html),
            headings: rendered.headings.clone(),
            text: std::mem::take(&mut rendered.text),
            replaced_by: None,
        };
        md_uses.push(MarkdownUse {
            file: doc.file.clone(),
            offset: doc.body_offset,
            page_url: routes::guide(&doc.slug),
            rendered,
        });
        out.insert(doc.slug.clone(), guide);
    }
    link_editions(&mut out, diags);
    out
}

/// Connect each guide to the edition that replaces it, and check the chain of editions.
fn link_editions(guides: &mut Guides, diags: &mut Diagnostics) {
    let replaced_by = collect_replacements(guides, diags);
    set_replaced_by(guides, replaced_by, diags);
    check_one_current_edition(guides, diags);
    check_no_circle(guides, diags);
}

/// For each guide named by another's `replaces`: the guides that say they replace it,
/// in slug order.
fn collect_replacements(guides: &Guides, diags: &mut Diagnostics) -> BTreeMap<String, Vec<String>> {
    let mut replaced_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in guides.values() {
        let Some(target) = &g.front.replaces else {
            continue;
        };
        if let Some(old) = check_replaces(g, target, guides, diags) {
            replaced_by
                .entry(old.to_string())
                .or_default()
                .push(g.slug.clone());
        }
    }
    replaced_by
}

/// Check one guide's `replaces`; returns the slug it replaces when that is another guide.
fn check_replaces<'a>(
    g: &Guide,
    target: &'a Text,
    guides: &Guides,
    diags: &mut Diagnostics,
) -> Option<&'a str> {
    let t = target.get_ref();
    let span = span_of(target);
    if t == &g.slug {
        diags.push(
            Diagnostic::error(&g.file, span, "this guide says it replaces itself")
                .with_hint("`replaces` names the slug of the earlier edition"),
        );
        return None;
    }
    let Some(old) = guides.get(t) else {
        let hint = match did_you_mean(t, guides.keys().map(String::as_str)) {
            Some(best) => format!("did you mean \"{best}\"? `replaces` names another guide's slug (its file name without .md)"),
            None => "`replaces` names another guide's slug (its file name without .md)".to_string(),
        };
        diags.push(
            Diagnostic::error(
                &g.file,
                span,
                format!("this guide replaces \"{t}\", but there is no guide with that slug"),
            )
            .with_hint(hint),
        );
        return None;
    };
    if old.front.number != g.front.number {
        diags.push(
            Diagnostic::error(
                &g.file,
                span,
                format!(
                    "this is guide No. {} but it replaces \"{t}\", which is guide No. {}",
                    g.front.number, old.front.number
                ),
            )
            .with_hint("an edition replaces an earlier edition of the same guide number"),
        );
    }
    check_edition_order(g, old, diags);
    Some(t)
}

/// An edition replaces an earlier one: its `edition` date must come after the date of
/// the edition it replaces (an older edition must never become the current one).
fn check_edition_order(new: &Guide, old: &Guide, diags: &mut Diagnostics) {
    let (Ok(new_date), Ok(old_date)) = (
        new.front.edition.get_ref().parse(),
        old.front.edition.get_ref().parse(),
    ) else {
        return; // a date that cannot be read is reported already
    };
    if !is_not_later(new_date, old_date) {
        return;
    }
    let when = if new_date == old_date {
        "the same date as"
    } else {
        "older than"
    };
    diags.push(
        Diagnostic::error(
            &new.file,
            span_of(&new.front.edition),
            format!(
                "this edition ({}) replaces \"{}\", but is {when} that edition ({})",
                new_date.iso(),
                old.slug,
                old_date.iso()
            ),
        )
        .with_note(&old.file, old.front.edition.span(), "the edition it replaces")
        .with_hint("the newer edition replaces the older: check both `edition` dates, or move `replaces` to the newer edition's front matter, naming the older"),
    );
}

/// Whether `new` is not after `old`. A month-only date and a whole day in that month
/// are not compared (either may be the later).
fn is_not_later(new: PartialDate, old: PartialDate) -> bool {
    match (new.year, new.month).cmp(&(old.year, old.month)) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => match (new.day, old.day) {
            (Some(a), Some(b)) => a <= b,
            (None, None) => true,
            _ => false,
        },
    }
}

/// Record on each replaced guide the (first) edition that replaces it; two editions
/// replacing the same one is an error.
fn set_replaced_by(
    guides: &mut Guides,
    replaced_by: BTreeMap<String, Vec<String>>,
    diags: &mut Diagnostics,
) {
    for (old, newer) in replaced_by {
        if newer.len() > 1 {
            let g = &guides[&newer[1]];
            diags.push(
                Diagnostic::error(&g.file, g.front.replaces.as_ref().and_then(span_of), format!("both \"{}\" and \"{}\" say they replace \"{old}\"", newer[0], newer[1]))
                    .with_hint("only the next edition replaces an edition; make the newest replace the one before it"),
            );
        }
        if let Some(g) = guides.get_mut(&old) {
            g.replaced_by = newer.first().cloned();
        }
    }
}

/// Two current editions of one guide number: one of them should replace the other.
fn check_one_current_edition(guides: &Guides, diags: &mut Diagnostics) {
    let mut current: BTreeMap<u32, &Guide> = BTreeMap::new();
    for g in guides.values().filter(|g| g.replaced_by.is_none()) {
        if let Some(first) = current.insert(g.front.number, g) {
            diags.push(
                Diagnostic::error(&g.file, None, format!("guide No. {} has two current editions: \"{}\" and \"{}\"", g.front.number, first.slug, g.slug))
                    .with_hint("add `replaces = \"<slug of the older edition>\"` to the newer edition's front matter"),
            );
        }
    }
}

/// A cycle (a replaces b replaces a) would leave no current edition.
fn check_no_circle(guides: &Guides, diags: &mut Diagnostics) {
    for start in guides.keys() {
        let mut seen = HashSet::new();
        let mut at = start.clone();
        while let Some(next) = guides.get(&at).and_then(|g| g.replaced_by.clone()) {
            if !seen.insert(at.clone()) {
                let g = &guides[start];
                diags.push(Diagnostic::error(&g.file, g.front.replaces.as_ref().and_then(span_of), "the editions of this guide replace each other in a circle").with_hint("the newest edition replaces the one before it; the oldest replaces nothing"));
                break;
            }
            at = next;
        }
    }
}
