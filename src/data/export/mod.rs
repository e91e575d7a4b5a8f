//! Open data written on every build, beside the pages (documented in docs/open-data.md):
//! `data/clusters.json` (the whole directory in clusterdir's own format, with a version
//! number), `data/core-offer.csv` (one row per offer item) and `data/schools.csv`.

use crate::output::Output;
use crate::routes;
use crate::site::Site;

mod csv;
mod json;

pub use self::csv::{OFFER_COLUMNS, SCHOOL_COLUMNS};
pub use self::json::{
    directory, CategoryOut, ClusterOut, ContactOut, Directory, HelpOut, MeetingOut, OfferOut,
    PersonOut, SchoolOut, UpdateOut, FORMAT_VERSION,
};

/// Write every export file, in one pass over the clusters: each cluster's record is
/// made once, written to `clusters.json` and to the tables, and dropped.
pub fn write_exports(site: &Site, out: &mut Output) {
    let categories = json::categories(site);
    let mut tables = self::csv::Tables::new(&categories);
    let json = json::clusters_json_with(site, &categories, |c| tables.add(c));
    out.insert_parts(routes::output_path(routes::files::CLUSTERS_JSON), json);
    tables.write(out);
}
