//! Checks of `site.toml`: the city-wide contact's phone, email and web addresses,
//! `base_url` and `quick_exit_url`, the categories, and the `[[deploy]]` targets
//! (`deploy.rs`). Messages: "`base_url` is not set, so the Open Referral UK feed
//! (/oruk) cannot be validated", "the city-wide
//! `contact` has no phone, email or url", "category slug ... may use only a-z, 0-9 and
//! single hyphens", "category ... is defined twice", and the value messages of
//! [`super::fields`].

use std::collections::HashMap;
use std::path::Path;

use crate::content::load::Loaded;
use crate::content::model::{Category, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::{is_valid_slug, slugify};

use super::fields::{ascii_slug, check_email_field, check_phone, check_url_field, span_of};

pub(super) fn check_config(loaded: &Loaded, diags: &mut Diagnostics) {
    check_addresses(loaded, diags);
    check_categories(&loaded.config_file, &loaded.config.categories, diags);
    super::glossary::check_glossary(&loaded.config_file, &loaded.config.glossary, diags);
    super::deploy::check_deploy_targets(&loaded.config_file, &loaded.config.deploy, diags);
}

/// The city-wide contact (which every page falls back to) and the site's own addresses.
fn check_addresses(loaded: &Loaded, diags: &mut Diagnostics) {
    let file = &loaded.config_file;
    let c = &loaded.config;
    if let Some(p) = &c.contact.phone {
        check_phone(file, "contact.phone", p, diags);
    }
    if let Some(e) = &c.report_email {
        check_email_field(file, "report_email", e, diags);
    }
    if let Some(e) = &c.contact.email {
        check_email_field(file, "contact.email", e, diags);
    }
    if let Some(u) = &c.contact.url {
        check_url_field(file, "contact.url", u, diags);
    }
    match &c.base_url {
        Some(u) => check_url_field(file, "base_url", u, diags),
        None => diags.push(
            Diagnostic::warning(
                file,
                None,
                "`base_url` is not set, so the Open Referral UK feed (/oruk) cannot be validated",
            )
            .with_hint("add `base_url = \"https://…/\"`, the address the site is published at, before the first [section] of site.toml: the feed's base document needs it to give its `profile` and `openapi_url` as absolute addresses, which the ORUK validator reads first"),
        ),
    }
    if let Some(u) = &c.quick_exit_url {
        check_url_field(file, "quick_exit_url", u, diags);
    }
    if c.contact.phone.is_none() && c.contact.email.is_none() && c.contact.url.is_none() {
        diags.push(
            Diagnostic::error(
                file,
                None,
                "the city-wide `contact` has no phone, email or url",
            )
            .with_hint("every page falls back to this contact, so give at least a phone number"),
        );
    }
}

/// Every category has a valid slug of its own.
fn check_categories(file: &Path, categories: &[Category], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Text> = HashMap::new();
    for cat in categories {
        let slug = cat.slug.get_ref().as_str();
        if !is_valid_slug(slug) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&cat.slug),
                    format!("category slug \"{slug}\" may use only a-z, 0-9 and single hyphens"),
                )
                .with_hint(format!("use \"{}\"", ascii_slug(&slugify(slug)))),
            );
        }
        if let Some(first) = seen.insert(slug, &cat.slug) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&cat.slug),
                    format!("category \"{slug}\" is defined twice"),
                )
                .with_note(file, first.span(), "first defined here")
                .with_hint("give each category its own slug"),
            );
        }
    }
}
