//! Records due for review: a cluster record last checked longer ago than the site's
//! `review_warning_months` gets a warning, "this record was last checked in ..., more
//! than ... months ago". In the text report they are one block, "... records were last
//! checked more than ... months ago", with one line per record.

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
            let when = c.last_reviewed.human();
            let ago = how_long_ago(c.last_reviewed.last_day(), site.today);
            diags.push(
                Diagnostic::warning(
                    &c.file,
                    Some(c.record.last_reviewed.span()),
                    overdue(&c.last_reviewed, months),
                )
                .with_hint("confirm each record's details with its cluster, then set `last_reviewed` to the date you checked")
                .in_group(
                    format!("record was last checked more than {months} months ago"),
                    format!("records were last checked more than {months} months ago"),
                    format!("last checked {when}, {ago}"),
                ),
            );
        }
    }
}

/// "this record was last checked on 24 July 2014, ..." for a whole day, "in July 2014"
/// for a month.
fn overdue(last: &crate::content::model::PartialDate, months: u32) -> String {
    format!(
        "this record was last checked {}, more than {months} months ago",
        last.on()
    )
}

/// "14 months ago", "over 2 years ago", "3 years ago": whole months from `then` to `today`.
fn how_long_ago(then: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let mut months = 0u32;
    while then
        .checked_add_months(chrono::Months::new(months + 1))
        .is_some_and(|d| d <= today)
    {
        months += 1;
    }
    let (years, rest) = (months / 12, months % 12);
    match (years, rest) {
        (0..=1, _) if months != 12 => format!("{months} months ago"),
        (y, 0) => format!("{y} year{} ago", if y == 1 { "" } else { "s" }),
        (y, _) => format!("over {y} years ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::{how_long_ago, overdue};
    use crate::content::model::PartialDate;

    /// Generated dates: a whole day reads "on 24 July 2014", a month "in July 2014".
    #[test]
    fn a_day_is_checked_on_and_a_month_in() {
        let mut rng = fastrand::Rng::with_seed(206);
        for _ in 0..300 {
            let (year, month) = (rng.i32(1990..2030), rng.u32(1..=12));
            let day = rng.bool().then(|| rng.u32(1..=28));
            let when = PartialDate { year, month, day };
            let message = overdue(&when, 12);
            let expected = match day {
                Some(d) => format!("checked on {d} "),
                None => "checked in ".to_string(),
            };
            assert!(message.contains(&expected), "{message}");
            assert!(message.contains(&when.human()), "{message}");
        }
    }

    #[test]
    fn how_long_ago_counts_whole_months_then_years() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            how_long_ago(d("2025-01-31"), d("2026-03-30")),
            "13 months ago"
        );
        assert_eq!(how_long_ago(d("2025-01-31"), d("2026-01-31")), "1 year ago");
        assert_eq!(
            how_long_ago(d("2014-07-24"), d("2026-11-23")),
            "over 12 years ago"
        );
        assert_eq!(
            how_long_ago(d("2016-01-31"), d("2026-01-31")),
            "10 years ago"
        );
    }
}
