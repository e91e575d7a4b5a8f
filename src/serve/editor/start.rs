//! The editor's start page: every record with its completeness and when it was last
//! checked, and the ways to add one or make the most frequent changes.

use hyper::Response;

use crate::content::schema::{self, Kind};
use crate::edit::{self, RecordSummary};
use crate::serve::body::Body;
use crate::serve::editor::guard::Session;
use crate::serve::editor::page::{self, PREFIX};
use crate::serve::editor::record::form_address;
use crate::serve::reply;
use crate::text::escape_markup as esc;

pub fn page(session: &Session) -> Response<Body> {
    let overview = match edit::overview(&session.root) {
        Ok(r) => r,
        Err(e) => {
            let body = format!(
                "<p>The records could not be listed: {}.</p>\n",
                esc(&e.to_string())
            );
            return reply::html(500, page::layout("Site editor", &body));
        }
    };
    let mut body = String::from(
        "<p>Change the site's records here; each save is checked as <code>clusterdir check</code> checks it, and the preview updates at once. The previous version of a file is kept each time.</p>\n",
    );
    body.push_str(&site_problems(&overview.errors, session.build_error()));
    body.push_str(&quick_links());
    let records = overview.records;
    for kind in schema::all() {
        let of_kind: Vec<&RecordSummary> = records
            .iter()
            .filter(|r| r.target.kind == kind.kind)
            .collect();
        body.push_str(&table(kind.kind, &of_kind));
    }
    reply::html(200, page::layout("Site editor", &body))
}

/// The site's errors and the preview's last failed build, if any: until they are fixed
/// the preview shows the last good site.
fn site_problems(errors: &[String], build_error: Option<String>) -> String {
    if errors.is_empty() && build_error.is_none() {
        return String::new();
    }
    let items: String = errors
        .iter()
        .map(|e| format!("<li>{}</li>\n", esc(e)))
        .collect();
    let build = build_error
        .map(|e| {
            format!(
                "<p>The preview's last build failed:</p>\n<pre class=\"editor-diff\">{}</pre>\n",
                esc(&e)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"editor-warning-summary\" role=\"status\">\n<h2 class=\"govuk-heading-m\">The preview shows the last good site until these problems are fixed</h2>\n\
         {build}<ul class=\"govuk-list\">\n{items}</ul>\n</div>\n"
    )
}

fn quick_links() -> String {
    format!(
        "<h2 class=\"govuk-heading-m\">Common jobs</h2>\n<ul class=\"govuk-list\">\n\
         <li><a href=\"{PREFIX}update\">Post an update on a cluster</a></li>\n\
         <li><a href=\"{PREFIX}meeting\">Add a meeting</a></li>\n\
         <li><a href=\"{PREFIX}new/cluster\">Add a cluster</a></li>\n\
         <li><a href=\"{PREFIX}new/guide\">Add a guide</a> (for a new edition of a guide, use \"New edition\" beside it below)</li>\n\
         <li><a href=\"{PREFIX}new/page\">Add a page</a></li>\n</ul>\n"
    )
}

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Cluster => "Clusters",
        Kind::Guide => "Guides",
        Kind::Page => "Pages",
    }
}

fn table(kind: Kind, records: &[&RecordSummary]) -> String {
    let extra = if kind == Kind::Guide {
        "<th scope=\"col\">Next edition</th>"
    } else {
        ""
    };
    let rows: String = records.iter().map(|r| row(r)).collect();
    format!(
        "<h2 class=\"govuk-heading-m\">{}</h2>\n<div class=\"table-scroll\">\n<table class=\"govuk-table\">\n\
         <thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Complete</th><th scope=\"col\">Last checked</th>{extra}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n",
        heading(kind)
    )
}

fn row(r: &RecordSummary) -> String {
    let complete = r.completeness.map_or("-".to_string(), |c| format!("{c}%"));
    let checked = r.last_checked.as_deref().unwrap_or("-");
    let edition = if r.target.kind == Kind::Guide {
        format!(
            "<td><a href=\"{PREFIX}new/guide?from={}\">New edition<span class=\"govuk-visually-hidden\"> of {}</span></a></td>",
            esc(&r.target.slug),
            esc(&r.title)
        )
    } else {
        String::new()
    };
    if let Some(why) = &r.unreadable {
        let file = edit::path_of(std::path::Path::new(""), &r.target)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| r.target.slug.clone());
        let cells = if kind_has_edition(r) { 4 } else { 3 };
        return format!(
            "<tr><td colspan=\"{cells}\"><a href=\"{}\">{}</a>: cannot be read ({}): {}</td></tr>\n",
            esc(&form_address(&r.target)),
            esc(&r.title),
            esc(&file),
            esc(why)
        );
    }
    format!(
        "<tr><td><a href=\"{}\">{}</a></td><td>{complete}</td><td>{}</td>{edition}</tr>\n",
        esc(&form_address(&r.target)),
        esc(&r.title),
        esc(checked)
    )
}

fn kind_has_edition(r: &RecordSummary) -> bool {
    r.target.kind == Kind::Guide
}
