//! Checks of the schools and children's centres listed in cluster records: each has a
//! name and belongs to one cluster only, however its name is written (names are
//! compared by [`name_key`], the identity rule the search shares). Messages: "a school has an empty name", "the
//! school ... is listed twice in this cluster", "the school ... is also listed in the
//! cluster ..." (and the same for children's centres).

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::content::load::Record;
use crate::content::model::{ClusterRecord, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::name_key;

use super::fields::span_of;

/// Who lists each school or centre so far: `kind:name key` -> (file, span, cluster slug).
pub(super) type SchoolOwners = HashMap<String, (PathBuf, Range<usize>, String)>;

pub(super) fn check_schools(
    rec: &Record<ClusterRecord>,
    owner: &mut SchoolOwners,
    diags: &mut Diagnostics,
) {
    let names = rec.data.schools.iter().map(|s| (&s.name, "school")).chain(
        rec.data
            .children_centres
            .iter()
            .map(|c| (&c.name, "children's centre")),
    );
    for (name, kind) in names {
        let key = name_key(name.get_ref());
        if !name.get_ref().chars().any(char::is_alphanumeric) {
            diags.push(
                Diagnostic::error(
                    &rec.file,
                    span_of(name),
                    format!("a {kind} has an empty name"),
                )
                .with_hint("write the name the way families know it"),
            );
            continue;
        }
        // A name of filler words alone ("Primary School") is compared as written.
        let key = match key.is_empty() {
            true => format!("{kind}:={}", name.get_ref().trim().to_lowercase()),
            false => format!("{kind}:{key}"),
        };
        match owner.get(&key) {
            Some(first) => report_listed_twice(rec, name, kind, first, diags),
            None => {
                owner.insert(key, (rec.file.clone(), name.span(), rec.slug.clone()));
            }
        }
    }
}

/// A school or centre listed before, in this cluster or in another.
fn report_listed_twice(
    rec: &Record<ClusterRecord>,
    name: &Text,
    kind: &str,
    (file, span, cluster): &(PathBuf, Range<usize>, String),
    diags: &mut Diagnostics,
) {
    if *cluster == rec.slug {
        diags.push(
            Diagnostic::error(
                &rec.file,
                span_of(name),
                format!(
                    "the {kind} \"{}\" is listed twice in this cluster",
                    name.get_ref()
                ),
            )
            .with_note(file, span.clone(), "first listed here")
            .with_hint("remove one of the two entries"),
        );
    } else {
        diags.push(
            Diagnostic::error(
                &rec.file,
                span_of(name),
                format!("the {kind} \"{}\" is also listed in the cluster \"{cluster}\"", name.get_ref()),
            )
            .with_note(file, span.clone(), "listed here too")
            .with_hint(format!("a {kind} belongs to one cluster: remove it from the record it no longer belongs to")),
        );
    }
}
