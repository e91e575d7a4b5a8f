//! The open data page: every download with its size in this build. It is rendered
//! after the data files are made.

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::output::Output;
use crate::pages::common::{link, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::pages::templates::Templates;
use crate::routes::{self, files, PageKind};
use crate::site::Site;

#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub title: String,
    pub url: String,
    pub format: String,
    pub size: String,
    pub about: String,
}

fn size_of(out: &crate::output::Output, prefix: &str) -> usize {
    out.sizes()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, n)| n)
        .sum()
}

fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// The downloads listed on the Data page, with their sizes in this build.
pub fn downloads(_site: &Site, out: &crate::output::Output) -> Vec<Download> {
    // `url` is what the list links to; `files` is what its size counts (a folder's
    // address counts every file in it).
    let d = |title: &str, url: &str, files: &str, format: &str, about: &str| Download {
        title: title.into(),
        url: url.into(),
        format: format.into(),
        size: human_size(size_of(out, &routes::output_path(files))),
        about: about.into(),
    };
    vec![
        d("The whole directory", files::CLUSTERS_JSON, files::CLUSTERS_JSON, "JSON",
          "Every cluster with its schools, children's centres, core offer, how to get help, contacts, governance, meetings and news. The field format_version says which version of the format this is."),
        d("Core offer", files::CORE_OFFER_CSV, files::CORE_OFFER_CSV, "CSV (UTF-8)",
          "One row per service per cluster: cluster, cluster_slug, category, service, provider, ages, how_to_access, self_referral (yes, no or blank when not known), indicative_cost (pounds), status, last_reviewed."),
        d("Schools and children's centres", files::SCHOOLS_CSV, files::SCHOOLS_CSV, "CSV (UTF-8)",
          "One row per school or children's centre: name, kind, phase, cluster, cluster_slug."),
        d("Open Referral UK", files::ORUK_SERVICES, files::ORUK, "JSON (Open Referral UK 3.0)",
          "The directory in the UK standard for local services, as a feed at /oruk that the ORUK validator can test: /oruk/services lists services (the file /oruk/services/index.json), /oruk/services/<id> gives each in full (the file /oruk/services/<id>.json); the same for /oruk/organizations (one per cluster), /oruk/taxonomy_terms (the kinds of help), /oruk/taxonomies and /oruk/service_at_locations."),
        d("Public meetings", files::MEETINGS_ICS, files::MEETINGS_ICS, "iCalendar",
          "Public meetings of every cluster, for a calendar app to subscribe to. Each cluster also has its own, at /clusters/<slug>/meetings.ics."),
    ]
}

/// Render the data page into `out`, which already holds the data files.
pub fn render_data_page(
    site: &Site,
    templates: &Templates,
    out: &mut Output,
    diags: &mut Diagnostics,
) {
    let meta = page_meta(
        "Open data",
        "Download the whole directory as data: JSON, CSV, Open Referral UK and calendars.",
        routes::data(),
        vec![link("Home", routes::home())],
        "",
    );
    let job = Job::new(
        PageKind::Data,
        &SiteView::new(site),
        meta,
        "downloads",
        &downloads(site, out),
    )
    .with("licence", &site.config.data_licence);
    match job.render(templates) {
        Ok(html) => {
            out.insert(job.path, html.into_bytes());
        }
        Err(d) => diags.push(d),
    }
}
