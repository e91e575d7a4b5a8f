//! Checks of the money and core offer of a cluster record (`[[offer]]` items and
//! `[[funding]]`): a known category, an age range that is the right way round, costs
//! and funding amounts that are amounts, and each item's own dates. Messages: "unknown
//! category ... for ...", "... has ages from ... to ...: the lower age is above the
//! upper", "`offer.cost.amount` is negative" (or nan, infinite, too large; the same for
//! `funding.total` and `funding.sources.amount`), plus the date messages of
//! [`super::fields`].

use std::path::Path;

use crate::content::load::Record;
use crate::content::model::{ClusterRecord, OfferItem, MAX_AGE};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::site::OfferDates;

use super::fields::{check_amount, check_date, check_reopens, span_of};

/// Each offer item's `last_reviewed` and `reopens` dates, in the order of the items.
pub(super) fn check_offer_dates(
    rec: &Record<ClusterRecord>,
    diags: &mut Diagnostics,
) -> Vec<OfferDates> {
    let file = &rec.file;
    rec.data
        .offer
        .iter()
        .map(|o| OfferDates {
            last_reviewed: o
                .last_reviewed
                .as_ref()
                .and_then(|d| check_date(file, "offer.last_reviewed", d, diags)),
            reopens: check_reopens(file, o.status, o.reopens.as_ref(), diags),
        })
        .collect()
}

pub(super) fn check_offer(
    rec: &Record<ClusterRecord>,
    categories: &[&str],
    diags: &mut Diagnostics,
) {
    for item in &rec.data.offer {
        check_category(&rec.file, item, categories, diags);
        check_ages(&rec.file, item, diags);
        check_cost(&rec.file, item, diags);
    }
}

/// The item's category is one of those in `site.toml`.
fn check_category(file: &Path, item: &OfferItem, categories: &[&str], diags: &mut Diagnostics) {
    let cat = item.category.get_ref();
    if categories.contains(&cat.as_str()) {
        return;
    }
    let hint = match did_you_mean(cat, categories.iter().copied()) {
        Some(best) => {
            format!("did you mean \"{best}\"? Categories are listed in content/site.toml")
        }
        None => format!(
            "use one of the categories in content/site.toml: {}",
            categories.join(", ")
        ),
    };
    diags.push(
        Diagnostic::error(
            file,
            span_of(&item.category),
            format!("unknown category \"{cat}\" for \"{}\"", item.service),
        )
        .with_hint(hint),
    );
}

/// An age range goes from a lower age to a higher one, within 0 to [`MAX_AGE`].
fn check_ages(file: &Path, item: &OfferItem, diags: &mut Diagnostics) {
    let Some(spanned) = &item.ages else { return };
    let a = spanned.get_ref();
    let problem = if a.max > MAX_AGE {
        format!(
            "`offer.ages` of \"{}\" goes to {}: services here are for children and young people aged 0 to {MAX_AGE}",
            item.service, a.max
        )
    } else if a.min > a.max {
        format!(
            "`offer.ages` of \"{}\" goes from {} to {}: the lower age is above the upper",
            item.service, a.min, a.max
        )
    } else {
        return;
    };
    diags.push(
        Diagnostic::error(file, span_of(spanned), problem).with_hint(format!(
            "write `ages = {{ min = 4, max = 16 }}`: whole years, min no larger than max, max at most {MAX_AGE}"
        )),
    );
}

fn check_cost(file: &Path, item: &OfferItem, diags: &mut Diagnostics) {
    if let Some(c) = &item.cost {
        check_amount(file, "offer.cost.amount", &c.amount, diags);
    }
}

/// Every amount of every year's funding: its total, and each source and spending line.
pub(super) fn check_funding(rec: &Record<ClusterRecord>, diags: &mut Diagnostics) {
    for f in &rec.data.funding {
        let lines = [
            ("funding.sources.amount", &f.sources),
            ("funding.spending.amount", &f.spending),
        ];
        let amounts = lines
            .iter()
            .flat_map(|(field, list)| list.iter().map(move |m| (*field, m.amount.as_ref())))
            .chain([("funding.total", f.total.as_ref())]);
        for (field, amount) in amounts {
            if let Some(a) = amount {
                check_amount(&rec.file, field, a, diags);
            }
        }
    }
}
