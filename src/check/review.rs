//! Records due for review: a cluster record last checked longer ago than the site's
//! `review_warning_months` gets a warning, "this record was last checked in ..., more
//! than ... months ago".

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;

/// Default for `review_warning_months`.
pub const DEFAULT_REVIEW_WARNING_MONTHS: u32 = 12;

/// Records last checked longer ago than the site's review limit are warnings.
pub fn check_review_dates(site: &Site, diags: &mut Diagnostics) {
    let months = site
        .config
        .review_warning_months
        .unwrap_or(DEFAULT_REVIEW_WARNING_MONTHS);
    for c in site.clusters.values() {
        if c.last_reviewed.is_older_than(months, site.today) {
            diags.push(
                Diagnostic::warning(
                    &c.file,
                    Some(c.record.last_reviewed.span()),
                    format!("this record was last checked in {}, more than {months} months ago", c.last_reviewed.human()),
                )
                .with_hint("confirm the details with the cluster, then set `last_reviewed` to the date you checked"),
            );
        }
    }
}
