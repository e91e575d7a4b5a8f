//! How complete each cluster record is: which of the [`RECOMMENDED`] parts it lacks,
//! shown by `check` as a plain-text table (and in `check --format json`). No messages.

use serde::Serialize;

use crate::diagnostics::terminal::escaped;
use crate::site::Site;

/// Which recommended parts of a record are missing.
#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub cluster: String,
    pub file: String,
    pub missing: Vec<&'static str>,
    /// Share of the recommended parts present, 0 to 100.
    pub percent: u32,
}

/// The recommended parts, in the order the table shows them.
pub const RECOMMENDED: &[&str] = &[
    "way to self-refer",
    "contact phone",
    "offer",
    "schools",
    "governance",
    "contacts",
];

pub fn completeness(site: &Site) -> Vec<Completeness> {
    site.clusters_in_order()
        .into_iter()
        .map(|c| {
            let r = &c.record;
            let help = r.help.clone().unwrap_or_default();
            let present = [
                help.self_referral.is_some()
                    || help.request_form.is_some()
                    || help.request_form_url.is_some(),
                help.phone.is_some()
                    || r.contacts
                        .iter()
                        .any(|p| p.phone.is_some() || p.mobile.is_some()),
                !r.offer.is_empty(),
                !r.schools.is_empty(),
                r.governance.as_ref().is_some_and(|g| g.model.is_some()),
                !r.contacts.is_empty(),
            ];
            let missing: Vec<&'static str> = RECOMMENDED
                .iter()
                .zip(present)
                .filter(|(_, p)| !p)
                .map(|(n, _)| *n)
                .collect();
            Completeness {
                cluster: r.name.clone(),
                file: c.file.display().to_string(),
                percent: ((RECOMMENDED.len() - missing.len()) * 100 / RECOMMENDED.len()) as u32,
                missing,
            }
        })
        .collect()
}

/// The completeness report as a plain-text table, for the terminal: names are shown
/// with their control characters escaped.
pub fn completeness_table(rows: &[Completeness]) -> String {
    let names: Vec<String> = rows
        .iter()
        .map(|r| escaped(&r.cluster).into_owned())
        .collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!("{:<width$}  {:>8}  missing\n", "cluster", "complete");
    for (r, name) in rows.iter().zip(&names) {
        let missing = if r.missing.is_empty() {
            "nothing".to_string()
        } else {
            r.missing.join(", ")
        };
        out.push_str(&format!("{name:<width$}  {:>7}%  {missing}\n", r.percent));
    }
    out
}
