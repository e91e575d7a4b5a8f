//! Checks of how families reach a cluster: the `[help]` phone, email, request form and
//! opening hours, and the phone numbers and emails of `[[contacts]]`. Messages: "...
//! is not charged at a local rate, and `help.call_cost` is not set" (a warning),
//! "`opening_hours.opens` ... is not a time", "closes at ... but opens at ...", plus the
//! value messages of [`super::fields`].

use std::path::Path;

use crate::content::contact::UkPhone;
use crate::content::load::Record;
use crate::content::model::{ClusterRecord, Contact, Help, OpeningHours, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};

use super::fields::{check_email_field, check_phone, check_url_field, is_clock_time, span_of};

pub(super) fn check_cluster_contacts(rec: &Record<ClusterRecord>, diags: &mut Diagnostics) {
    if let Some(h) = &rec.data.help {
        check_help(&rec.file, h, diags);
    }
    check_contacts(&rec.file, &rec.data.contacts, diags);
    if let Some(e) = &rec.data.report_email {
        check_email_field(&rec.file, "report_email", e, diags);
    }
}

fn check_help(file: &Path, h: &Help, diags: &mut Diagnostics) {
    if let Some(p) = &h.phone {
        check_help_phone(file, p, h.call_cost.is_some(), diags);
    }
    for o in &h.opening_hours {
        check_opening_hours(file, o, diags);
    }
    if let Some(e) = &h.email {
        check_email_field(file, "help.email", e, diags);
    }
    if let Some(u) = &h.request_form_url {
        check_url_field(file, "help.request_form_url", u, diags);
    }
}

/// A UK number; one not charged at a local rate needs `help.call_cost`.
fn check_help_phone(file: &Path, p: &Text, has_call_cost: bool, diags: &mut Diagnostics) {
    check_phone(file, "help.phone", p, diags);
    if let Ok(phone) = UkPhone::parse(p.get_ref()) {
        if is_premium_or_non_geographic(&phone) && !has_call_cost {
            diags.push(
                Diagnostic::warning(file, span_of(p), format!("{} is not charged at a local rate, and `help.call_cost` is not set", phone.display()))
                    .with_hint("add `call_cost = \"...\"` saying what a call costs, so families are not surprised"),
            );
        }
    }
}

/// Numbers that are not charged at a local rate: callers should be told the cost.
fn is_premium_or_non_geographic(phone: &UkPhone) -> bool {
    let d = phone.digits();
    ["084", "087", "09", "070", "118"]
        .iter()
        .any(|p| d.starts_with(p))
}

/// Both times are clock times, and closing comes after opening.
fn check_opening_hours(file: &Path, o: &OpeningHours, diags: &mut Diagnostics) {
    for (field, t) in [
        ("opening_hours.opens", &o.opens),
        ("opening_hours.closes", &o.closes),
    ] {
        if !is_clock_time(t.get_ref()) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(t),
                    format!("`{field}` \"{}\" is not a time", t.get_ref()),
                )
                .with_hint("write times on the 24-hour clock, like 09:00 or 17:30"),
            );
        }
    }
    if is_clock_time(o.opens.get_ref())
        && is_clock_time(o.closes.get_ref())
        && o.opens.get_ref() >= o.closes.get_ref()
    {
        diags.push(
            Diagnostic::error(
                file,
                span_of(&o.closes),
                format!(
                    "closes at {} but opens at {}",
                    o.closes.get_ref(),
                    o.opens.get_ref()
                ),
            )
            .with_hint("the closing time comes after the opening time"),
        );
    }
}

fn check_contacts(file: &Path, contacts: &[Contact], diags: &mut Diagnostics) {
    for c in contacts {
        if let Some(p) = &c.phone {
            check_phone(file, "contacts.phone", p, diags);
        }
        if let Some(p) = &c.mobile {
            check_phone(file, "contacts.mobile", p, diags);
        }
        if let Some(e) = &c.email {
            check_email_field(file, "contacts.email", e, diags);
        }
    }
}
