//! The CSV downloads, made from the same records as `clusters.json`:
//! `data/core-offer.csv` (one row per offer item) and `data/schools.csv` (one row per
//! school or children's centre, by name).

use super::json::{CategoryOut, ClusterOut, OfferOut};
use crate::output::Output;
use crate::routes;
use crate::text;

/// Columns of `core-offer.csv`, in order.
pub const OFFER_COLUMNS: &[&str] = &[
    "cluster",
    "cluster_slug",
    "category",
    "service",
    "provider",
    "ages",
    "how_to_access",
    "self_referral",
    "indicative_cost",
    "status",
    "last_reviewed",
];

/// Columns of `schools.csv`, in order.
pub const SCHOOL_COLUMNS: &[&str] = &["name", "kind", "phase", "cluster", "cluster_slug"];

/// `core-offer.csv` and `schools.csv`, filled one cluster at a time as the clusters'
/// records are made ([`Tables::add`]), then written ([`Tables::write`]).
pub(super) struct Tables {
    /// Category slug to name.
    categories: std::collections::HashMap<String, String>,
    /// `core-offer.csv` so far, as written.
    offer: Vec<u8>,
    schools: Vec<Vec<String>>,
}

impl Tables {
    pub(super) fn new(categories: &[CategoryOut]) -> Tables {
        Tables {
            categories: categories
                .iter()
                .rev() // the first of two with one slug wins, as a search would find
                .map(|c| (c.slug.clone(), c.name.clone()))
                .collect(),
            offer: csv_writer(OFFER_COLUMNS)
                .into_inner()
                .expect("writing to memory"),
            schools: Vec::new(),
        }
    }

    /// A cluster's rows: its offer items (written at once, in cluster order) and its
    /// schools and children's centres (sorted by name at the end).
    pub(super) fn add(&mut self, c: &ClusterOut) {
        let (offer, schools) = self.rows_of(c);
        self.offer.extend(offer);
        self.schools.extend(schools);
    }

    /// A cluster's rows on their own: its `core-offer.csv` rows as written (no header)
    /// and its `schools.csv` rows, for a later build to add again.
    pub(super) fn rows_of(&self, c: &ClusterOut) -> (Vec<u8>, Vec<Vec<String>>) {
        let mut offer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for o in &c.offer {
            write_row(
                &mut offer,
                &offer_row(c, o, self.category_name(&o.category)),
            );
        }
        let offer = offer.into_inner().expect("writing to memory");
        (offer, school_rows(c))
    }

    /// Add a cluster's `core-offer.csv` rows made by [`Tables::rows_of`] (its school
    /// rows go to [`Tables::write`]).
    pub(super) fn add_offer_rows(&mut self, offer: &[u8]) {
        self.offer.extend_from_slice(offer);
    }

    fn category_name(&self, slug: &str) -> String {
        self.categories
            .get(slug)
            .map_or_else(|| slug.to_string(), Clone::clone)
    }

    /// Write both tables; `more_schools` are rows of `schools.csv` besides those added
    /// (the preview's remembered rows, not copied in).
    pub(super) fn write(self, more_schools: &[&[Vec<String>]], out: &mut Output) {
        out.insert(
            routes::output_path(routes::files::CORE_OFFER_CSV),
            self.offer,
        );
        let mut schools: Vec<&Vec<String>> = self.schools.iter().collect();
        schools.extend(more_schools.iter().flat_map(|rows| rows.iter()));
        // By name ignoring case, then kind; each name lowered once, not per comparison.
        schools.sort_by_cached_key(|r| (r[0].to_lowercase(), r[1].clone()));
        let mut w = csv_writer(SCHOOL_COLUMNS);
        for r in schools {
            write_row(&mut w, r);
        }
        out.insert(
            routes::output_path(routes::files::SCHOOLS_CSV),
            w.into_inner().expect("writing to memory"),
        );
    }
}

fn csv_writer(header: &[&str]) -> ::csv::Writer<Vec<u8>> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    w
}

fn write_row(w: &mut ::csv::Writer<Vec<u8>>, row: &[String]) {
    w.write_record(row.iter().map(|c| csv_cell(c)))
        .expect("writing to memory");
}

/// What a spreadsheet may read as the start of a formula (OWASP, CSV injection). Their
/// compatibility forms (full-width `＝`, small `﹦` `﹢` `﹣` `﹫`) count too: see
/// [`is_formula_start`].
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\n'];

/// Signs that look like (or are read as) plus or minus without being a compatibility
/// form of one: the minus sign, heavy plus and minus, hyphens and dashes.
const SIGN_LOOK_ALIKES: &[char] = &[
    '\u{2212}', '\u{2795}', '\u{2796}', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}',
    '\u{2015}', '\u{fe58}', '\u{2043}',
];

/// Whether a spreadsheet could take a cell starting with `c` as a formula: one of
/// [`FORMULA_STARTS`], a character whose compatibility form begins with one, or a
/// [`SIGN_LOOK_ALIKES`] sign.
fn is_formula_start(c: char) -> bool {
    if FORMULA_STARTS.contains(&c) || SIGN_LOOK_ALIKES.contains(&c) {
        return true;
    }
    let mut first = None;
    unicode_normalization::char::decompose_compatible(c, |d| {
        first.get_or_insert(d);
    });
    first.is_some_and(|d| d != c && FORMULA_STARTS.contains(&d))
}

/// What a spreadsheet may pass over before a formula's first character: spaces,
/// controls and every invisible character (zero-width space, byte-order mark, soft
/// hyphen, word joiner, bidirectional controls).
fn is_skipped(c: char) -> bool {
    c.is_whitespace() || text::is_invisible(c) || text::is_bidi_control(c)
}

/// A cell as written to a CSV file: every cell passes through here. Bidirectional
/// controls are dropped (they would reorder what a reader sees). A cell whose first
/// character a spreadsheet could take as a formula (after any spaces, controls or
/// invisible characters) gets a leading `'`, so it is shown as text, as OWASP's
/// guidance on CSV injection says. Quoting is left to the CSV writer.
fn csv_cell(cell: &str) -> String {
    let cell: String = cell
        .chars()
        .filter(|&c| !text::is_bidi_control(c))
        .collect();
    let first = cell
        .chars()
        .find(|&c| !is_skipped(c) || FORMULA_STARTS.contains(&c));
    match first {
        Some(c) if is_formula_start(c) => format!("'{cell}"),
        _ => cell,
    }
}

fn offer_row(c: &ClusterOut, o: &OfferOut, category_name: String) -> Vec<String> {
    vec![
        c.name.clone(),
        c.slug.clone(),
        category_name,
        o.service.clone(),
        o.provider.clone().unwrap_or_default(),
        match (o.min_age, o.max_age) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => String::new(),
        },
        o.access.clone().unwrap_or_default(),
        match o.self_referral {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        o.cost_pounds.map(|p| format!("{p:.2}")).unwrap_or_default(),
        o.status.to_string(),
        o.last_reviewed.clone(),
    ]
}

/// A cluster's schools and children's centres, as rows.
fn school_rows(c: &ClusterOut) -> Vec<Vec<String>> {
    let mut rows = Vec::with_capacity(c.schools.len() + c.children_centres.len());
    for s in &c.schools {
        rows.push(vec![
            s.name.clone(),
            "school".into(),
            s.phase.clone(),
            c.name.clone(),
            c.slug.clone(),
        ]);
    }
    for cc in &c.children_centres {
        rows.push(vec![
            cc.clone(),
            "children's centre".into(),
            String::new(),
            c.name.clone(),
            c.slug.clone(),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_become_text() {
        for start in FORMULA_STARTS {
            for pad in ["", " ", "\u{0}", " \u{a0}"] {
                let cell = format!("{pad}{start}SUM(A1:A9)");
                assert_eq!(csv_cell(&cell), format!("'{cell}"), "{cell:?}");
            }
        }
        assert_eq!(csv_cell("Family support"), "Family support");
        assert_eq!(csv_cell("4-16"), "4-16");
        assert_eq!(csv_cell(""), "");
    }

    /// Every invisible character (all of Unicode's format, control, unassigned and
    /// default-ignorable code points), one to three of them, before every sign a
    /// spreadsheet could read as a formula's start, still gives a cell that starts with
    /// `'`; no bidirectional control is left in any cell.
    #[test]
    fn invisible_characters_and_look_alike_signs_do_not_hide_a_formula() {
        let invisible: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| text::is_invisible(c) && !c.is_whitespace())
            .collect();
        let signs: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_formula_start(c))
            .collect();
        for want in [
            '\u{fe66}', '\u{fe62}', '\u{fe63}', '\u{2212}', '\u{2796}', '\u{ff1d}', '\u{fe6b}',
        ] {
            assert!(signs.contains(&want), "U+{:04X}", want as u32);
        }
        let mut rng = fastrand::Rng::with_seed(6);
        for _ in 0..20_000 {
            let mut cell: String = (0..rng.usize(1..4))
                .map(|_| invisible[rng.usize(..invisible.len())])
                .collect();
            cell.push(signs[rng.usize(..signs.len())]);
            cell.push_str("HYPERLINK(\"https://example.org\")");
            let written = csv_cell(&cell);
            assert!(written.starts_with('\''), "{cell:?} gave {written:?}");
            assert!(!written.chars().any(text::is_bidi_control), "{written:?}");
        }
        for c in [
            '\u{200b}', '\u{feff}', '\u{202e}', '\u{61c}', '\u{2060}', '\u{ad}',
        ] {
            assert!(
                csv_cell(&format!("{c}=1+1")).starts_with('\''),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(csv_cell("a\u{202e}b\u{2066}c"), "abc");
        assert_eq!(csv_cell("\u{200b}Family"), "\u{200b}Family");
    }
}
