//! The schools and children's centres A to Z, grouped by first letter.
//!
//! A big directory lists hundreds of thousands of schools: the page is rendered one
//! letter at a time (`schools_letter.html`, each letter's entries its own small Tera
//! context), and `schools.html` joins the letters' HTML. The entries are held as
//! compact rows until then: each names its cluster by number, not with copies of the
//! cluster's name and addresses.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeStruct, Serializer};
use tera::Context;

use crate::content::model::Phase;
use crate::pages::common::{link, LinkView, SiteView};
use crate::pages::job::{page_meta, Job, PartSource};
use crate::routes::{self, PageKind};
use crate::site::Site;
use crate::text::index_letter;

/// The template of one letter's section of the page.
const LETTER_TEMPLATE: &str = "schools_letter.html";

/// A school (with its phase) or a children's centre (without).
type Kind = Option<Phase>;

fn kind_label(kind: Kind) -> String {
    match kind {
        Some(phase) => format!("{} school", phase.label()),
        None => "Children's centre".into(),
    }
}

/// One school or children's centre: its name, its kind and its cluster's number in
/// [`AtoZ::clusters`].
struct Entry {
    name: String,
    kind: Kind,
    cluster: usize,
}

/// A cluster as the entries link to it.
struct ClusterLinks {
    link: LinkView,
    help_url: String,
}

/// Every school and children's centre, A to Z, grouped by first letter: names that do
/// not start with A to Z go together under "#", after Z.
pub struct AtoZ {
    clusters: Vec<ClusterLinks>,
    groups: Vec<(char, Vec<Entry>)>,
}

/// The letter's place on the page: `letter-a`, or `letter-other` for "#".
pub fn letter_id(letter: char) -> String {
    if letter == '#' {
        "letter-other".into()
    } else {
        format!("letter-{}", letter.to_ascii_lowercase())
    }
}

/// Where a letter goes among the others: A to Z, then "#".
fn letter_order(letter: char) -> (bool, char) {
    (letter == '#', letter)
}

/// Every name the A to Z lists, with its kind and its cluster's number, in the order of
/// the clusters and, in each, schools before centres.
fn entries(site: &Site) -> impl Iterator<Item = Entry> + '_ {
    site.clusters.values().enumerate().flat_map(|(n, c)| {
        let schools = c.record.schools.iter().map(move |s| Entry {
            name: s.name.get_ref().clone(),
            kind: Some(s.phase),
            cluster: n,
        });
        let centres = c.record.children_centres.iter().map(move |cc| Entry {
            name: cc.name.get_ref().clone(),
            kind: None,
            cluster: n,
        });
        schools.chain(centres)
    })
}

/// The letters the A to Z has entries under, in its order (for the home page's links).
pub fn letters(site: &Site) -> Vec<char> {
    let names = site.clusters.values().flat_map(|c| {
        let schools = c.record.schools.iter().map(|s| s.name.get_ref());
        schools.chain(c.record.children_centres.iter().map(|cc| cc.name.get_ref()))
    });
    let mut letters: Vec<char> = names.map(|n| index_letter(n)).collect();
    letters.sort_by_key(|l| letter_order(*l));
    letters.dedup();
    letters
}

impl AtoZ {
    pub fn new(site: &Site) -> AtoZ {
        let clusters = site
            .clusters
            .values()
            .map(|c| ClusterLinks {
                link: link(&c.record.name, routes::cluster(&c.slug)),
                help_url: format!("{}#how-to-get-help", routes::cluster(&c.slug)),
            })
            .collect();
        let mut all: Vec<Entry> = entries(site).collect();
        // By name ignoring case, then kind: each name lowered once, not per comparison.
        all.sort_by_cached_key(|e| (e.name.to_lowercase(), kind_label(e.kind)));
        let mut by_letter: BTreeMap<(bool, char), Vec<Entry>> = BTreeMap::new();
        for e in all {
            let letter = index_letter(&e.name);
            by_letter.entry(letter_order(letter)).or_default().push(e);
        }
        let groups = by_letter
            .into_iter()
            .map(|((_, letter), entries)| (letter, entries))
            .collect();
        AtoZ { clusters, groups }
    }

    /// Each letter and its place on the page, for the page's links to the letters.
    fn letter_links(&self) -> Vec<LetterLink> {
        self.groups
            .iter()
            .map(|(letter, _)| LetterLink {
                letter: letter.to_string(),
                id: letter_id(*letter),
            })
            .collect()
    }
}

/// A letter as the page's "jump to a letter" links show it.
#[derive(serde::Serialize)]
struct LetterLink {
    letter: String,
    id: String,
}

/// One letter's section as its template reads it: `g.letter`, `g.id` and `g.entries`,
/// each entry with `name`, `kind`, `cluster` (`title`, `url`) and `help_url`.
struct LetterView<'a> {
    atoz: &'a AtoZ,
    letter: char,
    entries: &'a [Entry],
}

/// An entry as the template reads it.
struct EntryView<'a> {
    atoz: &'a AtoZ,
    entry: &'a Entry,
}

/// The entries of a letter, serialised one at a time as they are read.
struct EntriesView<'a>(&'a AtoZ, &'a [Entry]);

impl Serialize for LetterView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut v = s.serialize_struct("LetterGroup", 3)?;
        v.serialize_field("letter", &self.letter.to_string())?;
        v.serialize_field("id", &letter_id(self.letter))?;
        v.serialize_field("entries", &EntriesView(self.atoz, self.entries))?;
        v.end()
    }
}

impl Serialize for EntriesView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|entry| EntryView {
            atoz: self.0,
            entry,
        }))
    }
}

impl Serialize for EntryView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cluster = &self.atoz.clusters[self.entry.cluster];
        let mut v = s.serialize_struct("SchoolEntry", 4)?;
        v.serialize_field("name", &self.entry.name)?;
        v.serialize_field("kind", &kind_label(self.entry.kind))?;
        v.serialize_field("cluster", &cluster.link)?;
        v.serialize_field("help_url", &cluster.help_url)?;
        v.end()
    }
}

impl PartSource for AtoZ {
    fn count(&self) -> usize {
        self.groups.len()
    }

    fn context(&self, i: usize) -> Context {
        let (letter, entries) = &self.groups[i];
        let mut ctx = Context::new();
        ctx.insert(
            "g",
            &LetterView {
                atoz: self,
                letter: *letter,
                entries,
            },
        );
        ctx
    }
}

/// The schools A to Z page: the letters' links in its context (`groups`), and each
/// letter's section rendered on its own (`sections`).
pub fn job(site: &Site, sv: &SiteView) -> Job {
    let meta = page_meta(
        "Schools and children's centres A to Z",
        "Find the cluster of a school or children's centre.",
        routes::schools(),
        vec![link("Home", routes::home())],
        "Schools A to Z",
    );
    let atoz = AtoZ::new(site);
    Job::new(PageKind::Schools, sv, meta, "groups", &atoz.letter_links()).with_parts(
        "sections",
        LETTER_TEMPLATE,
        atoz,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checked generated site of `clusters` clusters (20 schools and 3 children's
    /// centres each).
    fn generated(clusters: usize) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::scaffold::generate::generate(&root, clusters, 0, 5).unwrap();
        let checked = crate::build::check(&root);
        assert!(checked.ok(), "{}", checked.report(false));
        checked.site.unwrap()
    }

    /// The size of the page's own Tera context, as JSON.
    fn page_context_bytes(site: &Site) -> usize {
        let job = job(site, &SiteView::new(site));
        serde_json::to_vec(&job.ctx.into_json()).unwrap().len()
    }

    /// The page's own context holds the letters, not the entries: ten times the schools
    /// leave it the same size (it held every entry, about 1.5 KB each as a Tera value,
    /// 600 MB for 230,000 schools).
    #[test]
    fn the_page_context_does_not_grow_with_the_schools() {
        let (small, large) = (generated(4), generated(40));
        let (a, b) = (page_context_bytes(&small), page_context_bytes(&large));
        assert!(
            b < a + 2_000,
            "the page's context grew from {a} to {b} bytes with 10 times the schools"
        );
    }

    /// Each part's context is one letter's entries, and the parts hold every entry
    /// once, in the letters' order.
    #[test]
    fn each_part_holds_one_letter_and_together_every_entry() {
        let site = generated(12);
        let total = entries(&site).count();
        let job = job(&site, &SiteView::new(&site));
        let parts = job.parts.as_ref().expect("the letters are parts");
        let mut seen = 0;
        let mut ids = Vec::new();
        for (template, ctx) in parts.each() {
            assert_eq!(template, LETTER_TEMPLATE);
            let g = ctx.into_json()["g"].take();
            let entries = g["entries"].as_array().unwrap();
            let letter = g["letter"].as_str().unwrap().chars().next().unwrap();
            for e in entries {
                assert_eq!(index_letter(e["name"].as_str().unwrap()), letter, "{e}");
            }
            seen += entries.len();
            ids.push(g["id"].as_str().unwrap().to_string());
        }
        assert_eq!(seen, total);
        let want: Vec<String> = letters(&site).into_iter().map(letter_id).collect();
        assert_eq!(ids, want);
    }
}
