//! Checks of single values, shared by every record kind: UK phone numbers, email and
//! web addresses (and the normal form outputs write them in), dates, slugs, clock
//! times, amounts of money, and a `reopens` date without a temporarily-closed `status`.
//! Messages: "`field` is not a UK phone number", "`field`: ..." for emails, addresses
//! (including "... has a tab at character 9: a web address cannot hold spaces, line
//! breaks or control characters") and dates, "`slug` ... may use only a-z, 0-9 and
//! single hyphens", "`field` is nan / is infinite / is negative / is more than
//! £1,000,000,000,000" for amounts, "`reopens` is set, but `status` is not
//! \"temporarily-closed\"".

use std::path::Path;

use crate::content::contact::{check_email, check_web_url, deceptive_host, UkPhone};
use crate::content::load::Loaded;
use crate::content::model::{DateValue, PartialDate, Status, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::{is_valid_slug, slugify, MAX_SLUG_LEN};
use toml::Spanned;

pub(super) fn span_of<T>(v: &Spanned<T>) -> Option<std::ops::Range<usize>> {
    Some(v.span())
}

pub(super) fn check_phone(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    if let Err(e) = UkPhone::parse(v.get_ref()) {
        diags.push(
            Diagnostic::error(
                file,
                span_of(v),
                format!("`{field}` is not a UK phone number: {e}"),
            )
            .with_hint("write a UK number with its area code, like 0113 496 0000 or 07700 900000"),
        );
    }
}

pub(super) fn check_email_field(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    if let Err(e) = check_email(v.get_ref()) {
        diags.push(
            Diagnostic::error(file, span_of(v), format!("`{field}`: {e}"))
                .with_hint("an email address looks like name@leeds.gov.uk"),
        );
    }
}

pub(super) fn check_url_field(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    match check_web_url(v.get_ref()) {
        Err(e) => diags.push(
            Diagnostic::error(file, span_of(v), format!("`{field}`: {e}"))
                .with_hint("copy the full address from the browser's address bar"),
        ),
        Ok(url) => {
            if let Some(w) = deceptive_host(&url) {
                diags.push(look_alike_host(
                    file,
                    span_of(v),
                    &format!("`{field}`: {w}"),
                ));
            }
        }
    }
}

/// The warning for a web address whose host may look like another (see
/// [`deceptive_host`]), in a field or a Markdown link.
pub(super) fn look_alike_host(
    file: &Path,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> Diagnostic {
    Diagnostic::warning(file, span, message).with_hint(
        "check the address letter by letter against the real site's, and copy it from the browser's address bar",
    )
}

/// Every web address held in a field, as the outputs write it: the normalised form
/// [`check_web_url`] gives (lowercase scheme and host, percent-encoded), never the raw
/// text. Addresses that are not valid are left as written; their check reports them.
/// The fields: `contact.url`, `base_url` and `quick_exit_url` in `site.toml`, each
/// cluster's `help.request_form_url`, and the sources of clusters, guides and pages
/// that are web addresses.
pub(super) fn normalise_web_addresses(loaded: &mut Loaded) {
    let c = &mut loaded.config;
    for v in [&mut c.contact.url, &mut c.base_url, &mut c.quick_exit_url]
        .into_iter()
        .flatten()
    {
        normalise(v);
    }
    for r in &mut loaded.clusters {
        if let Some(v) = r
            .data
            .help
            .as_mut()
            .and_then(|h| h.request_form_url.as_mut())
        {
            normalise(v);
        }
        r.data.sources.iter_mut().for_each(normalise_source);
    }
    for g in &mut loaded.guides {
        g.front.sources.iter_mut().for_each(normalise_source);
    }
    for p in &mut loaded.pages {
        p.front.sources.iter_mut().for_each(normalise_source);
    }
}

fn normalise(v: &mut Text) {
    if let Ok(u) = check_web_url(v.get_ref()) {
        *v.get_mut() = u;
    }
}

/// A source is words or a web address; only a web address is normalised.
fn normalise_source(v: &mut Text) {
    let s = v.get_ref().trim_start().to_ascii_lowercase();
    if s.starts_with("https://") || s.starts_with("http://") {
        normalise(v);
    }
}

pub(super) fn check_date(
    file: &Path,
    field: &str,
    v: &Spanned<DateValue>,
    diags: &mut Diagnostics,
) -> Option<PartialDate> {
    match v.get_ref().parse() {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(file, span_of(v), format!("`{field}`: {e}")).with_hint(
                    "write dates as year-month-day, like 2025-01-31, or year-month, like 2025-01",
                ),
            );
            None
        }
    }
}

/// Most pounds an amount may be: more than any cluster spends, and far below where
/// pence stop being counted exactly.
const MAX_POUNDS: f64 = 1e12;

/// An amount in pounds (a cost, a funding total or line): a number, not NaN or
/// infinite (which TOML allows), not negative (nor -0, which would be shown "-£0"), not
/// absurdly large, and a whole number of pence (a smaller part would be shown as if it
/// were not there: 0.004 as £0).
pub(super) fn check_amount(file: &Path, field: &str, v: &Spanned<f64>, diags: &mut Diagnostics) {
    let a = *v.get_ref();
    let problem = if a.is_nan() {
        "is nan, which is not an amount".to_string()
    } else if a.is_infinite() {
        "is infinite, which is not an amount".to_string()
    } else if a.is_sign_negative() {
        (if a == 0.0 {
            "is -0, a negative zero"
        } else {
            "is negative"
        })
        .to_string()
    } else if a > MAX_POUNDS {
        "is more than £1,000,000,000,000".to_string()
    } else if !is_whole_pence(a) {
        format!("is {a}, which is not a whole number of pence")
    } else {
        return;
    };
    diags.push(
        Diagnostic::error(file, span_of(v), format!("`{field}` {problem}")).with_hint(
            "write the amount in pounds and pence as a number of 0 or more, like 285.12 or 0",
        ),
    );
}

/// Whether pounds `a` (0 to [`MAX_POUNDS`]) are a whole number of pence, allowing for
/// how a decimal like 285.12 is held in binary.
fn is_whole_pence(a: f64) -> bool {
    let pence = a * 100.0;
    (pence - pence.round()).abs() <= pence * f64::EPSILON * 4.0 + 1e-9
}

/// A reopening date only makes sense for something temporarily closed.
pub(super) fn check_reopens(
    file: &Path,
    status: Option<Status>,
    reopens: Option<&Spanned<DateValue>>,
    diags: &mut Diagnostics,
) -> Option<PartialDate> {
    let d = reopens?;
    let date = check_date(file, "reopens", d, diags);
    if status != Some(Status::TemporarilyClosed) {
        diags.push(
            Diagnostic::error(
                file,
                span_of(d),
                "`reopens` is set, but `status` is not \"temporarily-closed\"",
            )
            .with_hint("add `status = \"temporarily-closed\"`, or remove `reopens`"),
        );
    }
    date
}

pub(super) fn check_slug(
    file: &Path,
    slug: &str,
    explicit: Option<&Text>,
    diags: &mut Diagnostics,
) {
    if !is_valid_slug(slug) {
        let suggestion = slugify(slug);
        let d = match explicit {
            Some(s) => Diagnostic::error(file, span_of(s), format!("`slug` \"{slug}\" may use only a-z, 0-9 and single hyphens")),
            None => Diagnostic::error(file, None, format!("the file name \"{slug}\" is used as the page address, and may use only a-z, 0-9 and single hyphens")),
        };
        diags.push(if suggestion.is_empty() {
            d
        } else {
            d.with_hint(format!("use \"{}\"", ascii_slug(&suggestion)))
        });
    } else if slug.len() > MAX_SLUG_LEN {
        let what = match explicit {
            Some(_) => "`slug`".to_string(),
            None => "the file name, used as the page address,".to_string(),
        };
        diags.push(
            Diagnostic::error(
                file,
                explicit.and_then(span_of),
                format!(
                    "{what} is {} characters long; an address may have at most {MAX_SLUG_LEN} (it becomes a folder name, and file systems refuse long ones)",
                    slug.len()
                ),
            )
            .with_hint(format!("use a shorter one, like \"{}\"", shorten_slug(slug))),
        );
    }
}

/// The slug cut to [`MAX_SLUG_LEN`] at a hyphen where there is one.
fn shorten_slug(slug: &str) -> &str {
    let cut = &slug[..MAX_SLUG_LEN.min(slug.len())];
    match cut.rfind('-') {
        Some(i) if i > 0 && slug.as_bytes().get(MAX_SLUG_LEN) != Some(&b'-') => &cut[..i],
        _ => cut.trim_end_matches('-'),
    }
}

pub(super) fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A time on the 24-hour clock, written `HH:MM`.
pub(super) fn is_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times() {
        assert!(is_clock_time("09:30"));
        assert!(is_clock_time("23:59"));
        assert!(!is_clock_time("24:00"));
        assert!(!is_clock_time("9:30"));
        assert!(!is_clock_time("half nine"));
    }
}
