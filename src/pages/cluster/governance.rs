//! How a cluster is run and funded, as its page shows it: governance, priorities and
//! each year's funding with a chart of the main spending.

use serde::Serialize;

use crate::content::model::{self, ClusterRecord};
use crate::pages::charts::bar_chart;
use crate::text::money;

#[derive(Debug, Clone, Serialize)]
pub struct GovernanceView {
    pub model: Option<String>,
    pub body: Option<String>,
    pub accountable_body: Option<String>,
    pub committees: Vec<String>,
    pub voting: Option<String>,
    pub membership: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoneyLine {
    pub name: String,
    pub amount: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundingView {
    pub year: String,
    /// Bar chart of the spending lines (inline SVG), when they have amounts.
    pub chart_svg: Option<String>,
    pub total: Option<String>,
    pub sources: Vec<MoneyLine>,
    pub spending: Vec<MoneyLine>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityView {
    pub title: String,
    pub detail: Option<String>,
}

fn money_lines(list: &[model::Money]) -> Vec<MoneyLine> {
    list.iter()
        .map(|m| MoneyLine {
            name: m.name.clone(),
            amount: m.amount.as_ref().map(|a| money(*a.get_ref())),
        })
        .collect()
}

impl GovernanceView {
    pub fn new(g: &model::Governance) -> Self {
        GovernanceView {
            model: g.model.map(|m| m.label().to_string()),
            body: g.body.clone(),
            accountable_body: g.accountable_body.clone(),
            committees: g.committees.clone(),
            voting: g.voting.clone(),
            membership: g.membership.clone(),
            notes: g.notes.clone(),
        }
    }
}

/// The record's priorities.
pub fn priorities(r: &ClusterRecord) -> Vec<PriorityView> {
    r.priorities
        .iter()
        .map(|p| PriorityView {
            title: p.title.clone(),
            detail: p.detail.clone(),
        })
        .collect()
}

/// The id of year `i`'s spending chart, whose title and description ids begin with
/// it (reserved from headings: `RESERVED_ID_PREFIXES`).
fn chart_id(i: usize) -> String {
    format!("spending-chart-{i}")
}

/// Each year's funding, with a chart of its main spending.
pub fn funding(r: &ClusterRecord) -> Vec<FundingView> {
    r.funding
        .iter()
        .enumerate()
        .map(|(i, f)| FundingView {
            chart_svg: bar_chart(
                &chart_id(i),
                &format!("Main spending, {}", f.year),
                &f.spending
                    .iter()
                    .filter_map(|m| Some((m.name.clone(), *m.amount.as_ref()?.get_ref())))
                    .collect::<Vec<_>>(),
            ),
            year: f.year.clone(),
            total: f.total.as_ref().map(|t| money(*t.get_ref())),
            sources: money_lines(&f.sources),
            spending: money_lines(&f.spending),
            notes: f.notes.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::is_reserved_id;

    /// Every id a spending chart writes is reserved from headings and footnotes, for
    /// any number of years.
    #[test]
    fn every_id_a_chart_writes_is_reserved() {
        let mut seen = 0;
        for i in (0..40).chain([99, 1000, usize::MAX]) {
            let svg = bar_chart(&chart_id(i), "t", &[("a".into(), 1.0)]).unwrap();
            for part in svg.split(" id=\"").skip(1) {
                let id = part.split('"').next().unwrap();
                assert!(is_reserved_id(id), "#{id} may be a heading's id");
                seen += 1;
            }
        }
        assert_eq!(seen, 2 * 43);
    }

    /// Page code writes ids in one place, the charts (whose ids the test above checks):
    /// a new `id="` written by Rust code under `src/pages/` must have its ids reserved
    /// and checked too, and then be added here.
    #[test]
    fn only_the_charts_write_ids_in_rust_page_code() {
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
        let mut writers = Vec::new();
        for entry in walkdir::WalkDir::new(&pages) {
            let path = entry.unwrap().into_path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            if code.contains("id=\\\"") {
                writers.push(path.strip_prefix(&pages).unwrap().display().to_string());
            }
        }
        assert_eq!(writers, ["charts.rs"]);
    }
}
