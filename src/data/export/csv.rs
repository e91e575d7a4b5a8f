//! The CSV downloads, made from the same records as `clusters.json`:
//! `data/core-offer.csv` (one row per offer item) and `data/schools.csv` (one row per
//! school or children's centre, by name).

use super::json::{ClusterOut, Directory, OfferOut};
use crate::output::Output;
use crate::routes;

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

/// Write `core-offer.csv` and `schools.csv`.
pub(super) fn write_tables(dir: &Directory, out: &mut Output) {
    out.insert(
        routes::output_path(routes::files::CORE_OFFER_CSV),
        csv_bytes(OFFER_COLUMNS, offer_rows(dir)),
    );
    out.insert(
        routes::output_path(routes::files::SCHOOLS_CSV),
        csv_bytes(SCHOOL_COLUMNS, school_rows(dir)),
    );
}

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for r in rows {
        w.write_record(r.iter().map(|c| csv_cell(c)))
            .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// What a spreadsheet may read as the start of a formula (OWASP, CSV injection), with
/// the full-width forms some spreadsheets treat the same way.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

/// A cell as written to a CSV file: every cell passes through here. A cell whose first
/// character a spreadsheet could take as a formula (after any spaces or control
/// characters it may skip) gets a leading `'`, so it is shown as text, as OWASP's
/// guidance on CSV injection says. Quoting is left to the CSV writer.
fn csv_cell(cell: &str) -> String {
    let first = cell
        .chars()
        .find(|c| !(c.is_whitespace() || c.is_control()) || FORMULA_STARTS.contains(c));
    match first {
        Some(c) if FORMULA_STARTS.contains(&c) => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Every offer item, cluster by cluster.
fn offer_rows(dir: &Directory) -> Vec<Vec<String>> {
    let category_name = |slug: &str| {
        dir.categories
            .iter()
            .find(|c| c.slug == slug)
            .map_or(slug.to_string(), |c| c.name.clone())
    };
    dir.clusters
        .iter()
        .flat_map(|c| {
            c.offer
                .iter()
                .map(move |o| offer_row(c, o, category_name(&o.category)))
        })
        .collect()
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

/// Every school and children's centre, sorted by name (ignoring case), then kind.
fn school_rows(dir: &Directory) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for c in &dir.clusters {
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
    }
    rows.sort_by(|a, b| (a[0].to_lowercase(), &a[1]).cmp(&(b[0].to_lowercase(), &b[1])));
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
}
