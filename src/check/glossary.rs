//! The glossary (`[[glossary]]` in `site.toml`): each term is words a page can contain
//! ("CAMHS", "traded service", "A.R.M"), given once, with its meaning; and a site with
//! a glossary has a page that lists it (`list = "glossary"`), or its terms can only be
//! explained in brackets, never linked. Messages: "glossary term ... is given twice",
//! "glossary term ... may use only letters, digits, spaces, full stops, hyphens and
//! apostrophes", "the glossary has terms but no page lists them".

use std::collections::HashMap;
use std::path::Path;

use crate::content::model::{GlossaryEntry, PageList, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Page;

use super::fields::span_of;

/// The longest term, in characters.
const MAX_TERM: usize = 60;

/// Whether a term is words a page can contain: letters, digits, single spaces, full
/// stops, hyphens and apostrophes, starting with a letter or digit.
pub fn is_valid_term(term: &str) -> bool {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '’');
    term.chars().count() <= MAX_TERM
        && term.chars().next().is_some_and(char::is_alphanumeric)
        && !term.ends_with(' ')
        && !term.contains("  ")
        && term.chars().all(allowed)
}

pub(super) fn check_glossary(file: &Path, entries: &[GlossaryEntry], diags: &mut Diagnostics) {
    let mut seen: HashMap<String, &Text> = HashMap::new();
    for e in entries {
        let term = e.term.get_ref();
        if !is_valid_term(term) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&e.term),
                    format!("glossary term {term:?} may use only letters, digits, single spaces, full stops, hyphens and apostrophes (at most {MAX_TERM} characters)"),
                )
                .with_hint("write the term as pages write it, like \"CAMHS\" or \"traded service\""),
            );
        }
        if e.meaning.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&e.term),
                    format!("glossary term {term:?} has an empty `meaning`"),
                )
                .with_hint("say what the term means in a sentence a parent would understand"),
            );
        }
        if let Some(first) = seen.insert(term.to_lowercase(), &e.term) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&e.term),
                    format!("glossary term {term:?} is given twice"),
                )
                .with_note(file, first.span(), "first given here")
                .with_hint("keep one entry for each term"),
            );
        }
    }
}

/// A glossary with a phrase (a term without `stands_for`) needs a page that lists it,
/// for the phrase to link to: an abbreviation is explained in brackets without one.
pub(super) fn check_glossary_page(
    file: &Path,
    entries: &[GlossaryEntry],
    pages: &std::collections::BTreeMap<String, Page>,
    diags: &mut Diagnostics,
) {
    let listed = pages
        .values()
        .any(|p| p.front.list == Some(PageList::Glossary));
    let phrase = entries.iter().find(|e| e.stands_for.is_none());
    if let (Some(first), false) = (phrase, listed) {
        diags.push(
            Diagnostic::warning(
                file,
                span_of(&first.term),
                format!("the glossary has terms but no page lists them, so {:?} and other terms without `stands_for` are not explained on the pages that use them", first.term.get_ref()),
            )
            .with_hint("add a page, for example content/pages/glossary.md, with `list = \"glossary\"` in its front matter"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_words_a_page_can_contain() {
        for ok in [
            "CAMHS",
            "traded service",
            "A.R.M",
            "Schools Forum",
            "children's centre",
            "MindMate SPA",
            "0-19 service",
        ] {
            assert!(is_valid_term(ok), "{ok}");
        }
        for bad in [
            "",
            " CAMHS",
            "CAMHS ",
            "two  spaces",
            "<b>",
            "a&b",
            "x\u{200b}y",
            "(SPA)",
            "-x",
            &"a".repeat(61),
        ] {
            assert!(!is_valid_term(bad), "{bad:?}");
        }
    }
}
