//! `data/clusters.json`: the whole directory in clusterdir's own format, with a version
//! number, as serde records (the CSV tables are made from the same records).

use std::io::Write as _;

use serde::Serialize;

use crate::content::model::{self, Governance, Help, School};
use crate::routes;
use crate::site::{text, PersonView};
use crate::site::{Cluster, MeetingEntry, Site, UpdateEntry};

/// Version of the `clusters.json` format; raised when a field changes meaning or goes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Directory {
    pub format_version: u32,
    pub title: String,
    pub city: String,
    pub contact: ContactOut,
    pub categories: Vec<CategoryOut>,
    pub clusters: Vec<ClusterOut>,
}

#[derive(Debug, Serialize)]
pub struct ContactOut {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CategoryOut {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct ClusterOut {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub short_name: Option<String>,
    pub area: Option<String>,
    pub status: &'static str,
    pub reopens: Option<String>,
    pub alert: Option<String>,
    pub last_reviewed: String,
    pub schools: Vec<SchoolOut>,
    pub children_centres: Vec<String>,
    pub offer: Vec<OfferOut>,
    pub help: HelpOut,
    pub contacts: Vec<PersonOut>,
    pub governance_model: Option<String>,
    pub governing_body: Option<String>,
    pub meetings: Vec<MeetingOut>,
    pub updates: Vec<UpdateOut>,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SchoolOut {
    pub name: String,
    pub phase: String,
}

#[derive(Debug, Serialize)]
pub struct OfferOut {
    pub service: String,
    pub category: String,
    pub provider: Option<String>,
    pub description: Option<String>,
    pub who_for: Option<String>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub access: Option<String>,
    pub self_referral: Option<bool>,
    pub cost_pounds: Option<f64>,
    pub cost_basis: Option<String>,
    pub status: &'static str,
    pub reopens: Option<String>,
    pub alert: Option<String>,
    pub last_reviewed: String,
}

#[derive(Debug, Serialize)]
pub struct HelpOut {
    pub self_referral: Option<String>,
    pub request_form_url: Option<String>,
    /// National format with the usual grouping (`0113 378 5254`).
    pub phone: Option<String>,
    pub email: Option<String>,
    /// True when the cluster publishes no phone or email of its own here.
    pub uses_city_contact: bool,
}

#[derive(Debug, Serialize)]
pub struct PersonOut {
    pub role: String,
    pub name: Option<String>,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: Vec<String>,
}

impl From<PersonView> for PersonOut {
    fn from(p: PersonView) -> Self {
        PersonOut {
            role: p.role,
            name: p.name,
            job_title: p.job_title,
            organisation: p.organisation,
            phone: p.phone.map(|x| x.display),
            mobile: p.mobile.map(|x| x.display),
            email: p.email,
            address: p.address,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MeetingOut {
    pub title: String,
    pub date: String,
    pub time: Option<String>,
    pub place: Option<String>,
    pub public: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct UpdateOut {
    pub date: String,
    pub title: String,
}

/// A phone number in the usual UK grouping.
fn phone(t: &Option<model::Text>) -> Option<String> {
    crate::site::phone(t).map(|p| p.display)
}

/// The whole directory: the site's title, city and contact, the offer categories and
/// every cluster, in name order.
pub fn directory(site: &Site) -> Directory {
    let (format_version, title, city, contact, categories) = header(site);
    Directory {
        format_version,
        title,
        city,
        contact,
        categories,
        clusters: site.clusters_in_order().into_iter().map(cluster).collect(),
    }
}

type Header = (u32, String, String, ContactOut, Vec<CategoryOut>);

fn header(site: &Site) -> Header {
    let contact = ContactOut {
        name: site.config.contact.name.clone(),
        phone: phone(&site.config.contact.phone),
        email: text(&site.config.contact.email),
    };
    let categories = site
        .categories
        .iter()
        .map(|c| CategoryOut {
            slug: c.slug.get_ref().clone(),
            name: c.name.clone(),
            description: c.description.clone(),
        })
        .collect();
    (
        FORMAT_VERSION,
        site.config.title.clone(),
        site.config.city.clone(),
        contact,
        categories,
    )
}

/// [`Directory`] as it is written: the same fields, with the clusters' records made
/// one at a time as they are serialised, each shown to `each` (the CSV tables) and
/// dropped, so the records of every cluster are never all in memory.
#[derive(Serialize)]
#[serde(bound = "")]
struct DirectoryFile<'a, F: FnMut(&ClusterOut)> {
    format_version: u32,
    title: String,
    city: String,
    contact: ContactOut,
    categories: &'a [CategoryOut],
    clusters: Clusters<'a, F>,
}

impl<'a, F: FnMut(&ClusterOut)> DirectoryFile<'a, F> {
    /// The directory file: the site's header, the categories, then `list`'s clusters,
    /// each record shown to `each` as it is written.
    fn new(site: &Site, categories: &'a [CategoryOut], list: Vec<&'a Cluster>, each: F) -> Self {
        let (format_version, title, city, contact, _) = header(site);
        DirectoryFile {
            format_version,
            title,
            city,
            contact,
            categories,
            clusters: Clusters {
                list,
                each: std::cell::RefCell::new(each),
            },
        }
    }
}

struct Clusters<'a, F> {
    list: Vec<&'a Cluster>,
    each: std::cell::RefCell<F>,
}

impl<F: FnMut(&ClusterOut)> Serialize for Clusters<'_, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.list.iter().map(|c| {
            let record = cluster(c);
            (self.each.borrow_mut())(&record);
            record
        }))
    }
}

/// `clusters.json` (the directory as indented JSON, ending in a newline) in pieces of
/// [`Chunks::SIZE`], one after another, with each cluster's record shown to `each` as
/// it is written.
pub(super) fn clusters_json_with(
    site: &Site,
    categories: &[CategoryOut],
    each: impl FnMut(&ClusterOut),
) -> Vec<Vec<u8>> {
    let file = DirectoryFile::new(site, categories, site.clusters_in_order(), each);
    let mut chunks = Chunks::new(Chunks::SIZE);
    serde_json::to_writer_pretty(&mut chunks, &file).expect("the directory serialises");
    chunks.write_all(b"\n").expect("writing to memory");
    chunks.into_parts()
}

/// Bytes written in chunks (of [`Chunks::SIZE`] in a build), so that growing never
/// copies what is already written (a `Vec` that doubles holds the old and the new buffer
/// at once: for the 170 MB `clusters.json` of 10,000 clusters, 128 MB and 256 MB), and
/// handed over as they are ([`crate::output::Output::insert_parts`]), never joined.
struct Chunks {
    size: usize,
    full: Vec<Vec<u8>>,
    current: Vec<u8>,
}

impl Chunks {
    const SIZE: usize = 4 << 20;

    fn new(size: usize) -> Chunks {
        Chunks {
            size,
            full: Vec::new(),
            current: Vec::with_capacity(size),
        }
    }

    /// The chunks, in order.
    fn into_parts(mut self) -> Vec<Vec<u8>> {
        self.full.push(self.current);
        self.full
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.current.len() == self.current.capacity() {
            let next = Vec::with_capacity(self.size.max(buf.len()));
            self.full.push(std::mem::replace(&mut self.current, next));
        }
        let n = buf.len().min(self.current.capacity() - self.current.len());
        self.current.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `clusters.json` as [`clusters_json_with`] writes it, from each cluster's record
/// already written by [`cluster_json`], in name order.
pub(super) fn clusters_json_of(
    site: &Site,
    categories: &[CategoryOut],
    clusters: &[&[u8]],
) -> Vec<u8> {
    let file = DirectoryFile::new(site, categories, Vec::new(), |_: &ClusterOut| {});
    let mut json = serde_json::to_vec_pretty(&file).expect("the directory serialises");
    // The list is the last field: `"clusters": []` then the closing brace.
    if !clusters.is_empty() && json.ends_with(b"[]\n}") {
        json.truncate(json.len() - b"[]\n}".len());
        json.extend_from_slice(b"[\n    ");
        json.extend_from_slice(&clusters.join(&b",\n    "[..]));
        json.extend_from_slice(b"\n  ]\n}");
    }
    json.push(b'\n');
    json
}

/// A cluster's record as `clusters.json` holds it (indented for its place in the list;
/// JSON strings hold no raw line breaks, so every line break is the layout's), with
/// the record itself.
pub(super) fn cluster_json(c: &Cluster) -> (Vec<u8>, ClusterOut) {
    let record = cluster(c);
    let alone = serde_json::to_vec_pretty(&record).expect("a cluster serialises");
    let mut json = Vec::with_capacity(alone.len() + alone.len() / 8);
    for (i, line) in alone.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            json.extend_from_slice(b"\n    ");
        }
        json.extend_from_slice(line);
    }
    (json, record)
}

/// The offer categories as written.
pub(super) fn categories(site: &Site) -> Vec<CategoryOut> {
    header(site).4
}

fn cluster(c: &Cluster) -> ClusterOut {
    let r = &c.record;
    ClusterOut {
        slug: c.slug.clone(),
        url: routes::cluster(&c.slug),
        name: r.name.clone(),
        short_name: r.short_name.clone(),
        area: r.area.clone(),
        status: r.status.unwrap_or_default().slug(),
        reopens: c.reopens.map(|d| d.iso()),
        alert: r.alert.clone(),
        last_reviewed: c.last_reviewed.iso(),
        schools: r.schools.iter().map(school).collect(),
        children_centres: r
            .children_centres
            .iter()
            .map(|cc| cc.name.get_ref().clone())
            .collect(),
        offer: (0..r.offer.len()).map(|i| offer(c, i)).collect(),
        help: help(&r.help.clone().unwrap_or_default()),
        contacts: r
            .contacts
            .iter()
            .map(|p| PersonOut::from(PersonView::from(p)))
            .collect(),
        governance_model: governance_model(r.governance.as_ref()),
        governing_body: r.governance.as_ref().and_then(|g| g.body.clone()),
        meetings: c.meetings.iter().map(meeting).collect(),
        updates: c.updates.iter().map(update).collect(),
        sources: r.sources.iter().map(|s| s.get_ref().clone()).collect(),
    }
}

fn school(s: &School) -> SchoolOut {
    SchoolOut {
        name: s.name.get_ref().clone(),
        phase: s.phase.label().to_string(),
    }
}

/// The cluster's offer item `i`, with its own status and review dates.
fn offer(c: &Cluster, i: usize) -> OfferOut {
    let o = &c.record.offer[i];
    let dates = c.offer_dates.get(i).copied().unwrap_or_default();
    OfferOut {
        service: o.service.clone(),
        category: o.category.get_ref().clone(),
        provider: o.provider.clone(),
        description: o.description.clone(),
        who_for: o.who_for.clone(),
        min_age: o.age_range().map(|a| a.min),
        max_age: o.age_range().map(|a| a.max),
        access: o.access.clone(),
        self_referral: o.self_referral,
        cost_pounds: o.cost.as_ref().map(|c| *c.amount.get_ref()),
        cost_basis: o.cost.as_ref().map(|c| c.basis.clone()),
        status: c.offer_status(o).slug(),
        reopens: dates.reopens.map(|d| d.iso()),
        alert: o.alert.clone(),
        last_reviewed: dates.last_reviewed.unwrap_or(c.last_reviewed).iso(),
    }
}

fn help(help: &Help) -> HelpOut {
    HelpOut {
        uses_city_contact: help.phone.is_none() && help.email.is_none(),
        self_referral: help.self_referral.clone(),
        request_form_url: text(&help.request_form_url),
        phone: phone(&help.phone),
        email: text(&help.email),
    }
}

fn governance_model(governance: Option<&Governance>) -> Option<String> {
    governance
        .and_then(|g| g.model)
        .map(|m| m.label().to_string())
}

fn meeting(m: &MeetingEntry) -> MeetingOut {
    MeetingOut {
        title: m.title.clone(),
        date: m.date.iso(),
        time: m.time.clone(),
        place: m.place.clone(),
        public: m.public,
    }
}

fn update(u: &UpdateEntry) -> UpdateOut {
    UpdateOut {
        date: u.date.iso(),
        title: u.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes of generated lengths (seeded; empty, shorter than a chunk, exactly a
    /// chunk, longer than one) come back in order, in chunks that never grew: each
    /// holds what it was made with room for.
    #[test]
    fn chunks_hold_what_was_written_in_order_and_never_grow() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for size in [1, 7, 64, 1000] {
            let mut chunks = Chunks::new(size);
            let mut want = Vec::new();
            for _ in 0..500 {
                let len = (next() % (3 * size as u64 + 2)) as usize;
                let buf: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                chunks.write_all(&buf).unwrap();
                want.extend_from_slice(&buf);
            }
            let parts = chunks.into_parts();
            assert_eq!(parts.concat(), want, "chunks of {size}");
            for p in &parts[..parts.len() - 1] {
                assert_eq!(p.len(), p.capacity(), "chunks of {size}: a full chunk");
            }
        }
    }

    /// `clusters.json` of a generated site is the directory as indented JSON and a
    /// newline, made in pieces of at most [`Chunks::SIZE`] that are never joined (a
    /// doubling `Vec` held the old and the new buffer at once as it grew, and left up
    /// to half of the last one unused).
    #[test]
    fn clusters_json_is_made_in_pieces_never_one_growing_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::scaffold::generate::generate(&root, 260, 0, 9).unwrap();
        let checked = crate::build::check(&root);
        assert!(checked.ok(), "{}", checked.report(false));
        let site = checked.site.unwrap();
        let parts = clusters_json_with(&site, &categories(&site), |_| {});
        assert!(parts.iter().all(|p| p.capacity() <= Chunks::SIZE));
        let json = parts.concat();
        assert!(
            json.len() > Chunks::SIZE,
            "more than one piece: {}",
            json.len()
        );
        assert_eq!(json.last(), Some(&b'\n'));
        let mut whole = serde_json::to_vec_pretty(&directory(&site)).unwrap();
        whole.push(b'\n');
        assert!(
            whole == json,
            "the same bytes as the directory written at once"
        );
        let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed["clusters"].as_array().unwrap().len(), 260);
    }
}
