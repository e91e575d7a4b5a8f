//! Synthetic sites for benchmarks and scale tests (`clusterdir generate`, hidden from
//! the main help). Deterministic for a given seed. Never writes into a folder that
//! already has files in it, so it cannot touch real content.
//!
//! Each cluster has 20 schools, 3 children's centres, 15 offer items, 5 contacts,
//! 4 meetings and 6 updates; each guide about 600 words with headings, lists, a table
//! and a code block. Phone numbers are from Ofcom's ranges reserved for drama
//! (0113 496 0xxx, 07700 900xxx), emails use example.org: nothing real.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

const PLACES: &[&str] = &[
    "Ashby",
    "Barrow",
    "Calder",
    "Dunmore",
    "Elmfield",
    "Farley",
    "Garston",
    "Hollin",
    "Ingle",
    "Jarrow",
    "Kirkby",
    "Langdon",
    "Marsden",
    "Netherby",
    "Oakworth",
    "Pendle",
    "Quarry",
    "Rawdon",
    "Silsden",
    "Thornby",
    "Upton",
    "Valley",
    "Westfield",
    "Yeadon",
];
const SUFFIXES: &[&str] = &[
    "Park", "Hill", "Green", "Vale", "Moor", "Bridge", "Field", "Lane", "Brook", "Grange",
];
const SAINTS: &[&str] = &[
    "St Mary's",
    "St John's",
    "St Paul's",
    "St Anne's",
    "St Peter's",
    "Holy Trinity",
];
const PHASES: &[&str] = &[
    "primary",
    "primary",
    "primary",
    "primary",
    "secondary",
    "through",
    "special",
    "nursery",
];
const SERVICES: &[(&str, &str)] = &[
    ("Family support workers", "family-support"),
    ("Parenting programme", "family-support"),
    ("Mental health practitioner in school", "emotional-health"),
    ("Emotional wellbeing group work", "emotional-health"),
    ("Pupil counselling", "counselling"),
    ("Parent counselling", "counselling"),
    ("Play therapy", "counselling"),
    ("Attendance support", "attendance"),
    ("Educational psychology", "educational-psychology"),
    ("Holiday activities", "activities"),
    ("Personalisation fund", "activities"),
    ("Targeted youth work", "youth-work"),
    ("Early Start outreach", "early-years"),
    ("Intensive family support", "intensive-support"),
    ("Domestic abuse support", "family-support"),
];
const WORDS: &[&str] = &[
    "family",
    "support",
    "school",
    "worker",
    "plan",
    "child",
    "parent",
    "help",
    "meeting",
    "team",
    "local",
    "service",
    "review",
    "week",
    "attendance",
    "wellbeing",
    "referral",
    "practitioner",
    "goal",
    "home",
    "early",
    "cluster",
    "partner",
    "health",
    "learning",
    "time",
    "need",
    "safe",
    "together",
    "progress",
    "agree",
    "listen",
    "visit",
    "record",
    "share",
    "advice",
    "group",
    "session",
    "talk",
    "friend",
];
const ROLES: &[&str] = &[
    "cluster-leader",
    "cluster-manager",
    "targeted-services-leader",
    "chair",
    "local-authority-partner",
];

/// Write a synthetic site with `clusters` clusters and `guides` guides into `dir`.
pub fn generate(dir: &Path, clusters: usize, guides: usize, seed: u64) -> io::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty; generate writes only into a new or empty folder",
                dir.display()
            ),
        ));
    }
    let content = dir.join("content");
    for sub in ["clusters", "guides", "pages"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    std::fs::write(content.join("site.toml"), site_toml())?;
    for i in 0..clusters {
        std::fs::write(
            content.join(format!("clusters/cluster-{i:05}.toml")),
            cluster_toml(i, &mut rng),
        )?;
    }
    for i in 0..guides {
        std::fs::write(
            content.join(format!("guides/guide-{i:05}.md")),
            guide_md(i, &mut rng),
        )?;
    }
    std::fs::write(
        content.join("pages/about.md"),
        "+++\ntitle = \"About this synthetic site\"\n+++\n\n## What this is\n\nGenerated for benchmarks. Nothing here is real.\n",
    )?;
    Ok(())
}

fn site_toml() -> String {
    let mut s = String::from(
        "title = \"Synthetic cluster directory\"\ndescription = \"Generated for benchmarks; nothing here is real.\"\ncity = \"Synthville\"\n\n[contact]\nname = \"Synthetic help desk\"\nphone = \"0113 496 0000\"\nemail = \"help@example.org\"\n",
    );
    let mut cats: Vec<&str> = SERVICES.iter().map(|(_, c)| *c).collect();
    cats.sort();
    cats.dedup();
    for c in cats {
        let _ = write!(s, "\n[[categories]]\nslug = \"{c}\"\nname = \"{}\"\ndescription = \"Synthetic category.\"\n", c.replace('-', " "));
    }
    s
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s: String = (0..words)
        .map(|_| pick(rng, WORDS))
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

/// A school's name, unique in the whole site under the identity rule that treats spaces
/// and hyphens as nothing ("451-4" and "45-14" would be one name): the numbers have a
/// fixed width.
fn school_name(rng: &mut fastrand::Rng, i: usize, n: usize) -> String {
    if n % 5 == 0 {
        format!(
            "{} {} {}",
            pick(rng, SAINTS),
            pick(rng, PLACES),
            number(i, n)
        )
    } else {
        format!(
            "{} {} {}",
            pick(rng, PLACES),
            pick(rng, SUFFIXES),
            number(i, n)
        )
    }
}

/// Cluster `i`'s `n`th school or centre, numbered with fixed widths.
fn number(i: usize, n: usize) -> String {
    format!("{i:06}-{n:02}")
}

fn cluster_toml(i: usize, rng: &mut fastrand::Rng) -> String {
    let place = format!("{} {}", pick(rng, PLACES), pick(rng, SUFFIXES));
    let mut s = String::new();
    let _ = writeln!(s, "name = \"{place} {i}\"");
    let _ = writeln!(s, "area = \"the {place} area\"");
    let _ = writeln!(s, "summary = \"{}\"", sentence(rng, 30));
    let _ = writeln!(
        s,
        "last_reviewed = 2025-{:02}-{:02}",
        rng.u32(1..=12),
        rng.u32(1..=28)
    );
    let _ = writeln!(s, "\n[help]\nself_referral = \"{}\"\nphone = \"0113 496 {:04}\"\nemail = \"cluster{i}@example.org\"\nopening_times = \"Monday to Friday, 9am to 5pm\"", sentence(rng, 12), rng.u32(0..1000));
    for n in 0..20 {
        let name = school_name(rng, i, n);
        let _ = writeln!(
            s,
            "\n[[schools]]\nname = \"{name}\"\nphase = \"{}\"",
            pick(rng, PHASES)
        );
    }
    for n in 0..3 {
        let _ = writeln!(
            s,
            "\n[[children_centres]]\nname = \"{} Children's Centre {}\"",
            pick(rng, PLACES),
            number(i, n)
        );
    }
    for (n, (service, category)) in SERVICES.iter().enumerate() {
        let min = rng.u8(0..8);
        let _ = writeln!(
            s,
            "\n[[offer]]\nservice = \"{service}\"\ncategory = \"{category}\"\nprovider = \"{} Trust\"\ndescription = \"{}\"\nwho_for = \"{}\"\nages = {{ min = {min}, max = {} }}\naccess = \"{}\"\nself_referral = {}",
            pick(rng, PLACES),
            sentence(rng, 20),
            sentence(rng, 8),
            min + rng.u8(4..12),
            sentence(rng, 8),
            n % 3 == 0
        );
    }
    for role in ROLES {
        let _ = writeln!(
            s,
            "\n[[contacts]]\nrole = \"{role}\"\nname = \"Person {i}-{role}\"\nphone = \"0113 496 {:04}\"\nmobile = \"07700 900{:03}\"\nemail = \"{role}{i}@example.org\"\naddress = [\"{} Road\", \"Synthville\"]",
            rng.u32(0..1000),
            rng.u32(0..1000),
            rng.u32(1..200)
        );
    }
    let _ = writeln!(s, "\n[governance]\nmodel = \"joint-collaborative-committee\"\nbody = \"{place} {i} Joint Committee\"\ncommittees = [\"Resources\", \"Families\"]");
    for n in 0..4 {
        let _ = writeln!(s, "\n[[meetings]]\ntitle = \"Partnership meeting {n}\"\ndate = 2026-{:02}-{:02}\ntime = \"16:00\"\nplace = \"{} School\"\npublic = {}", 1 + n * 3, rng.u32(1..=28), pick(rng, PLACES), n % 2 == 0);
    }
    for n in 0..6 {
        let _ = writeln!(
            s,
            "\n[[updates]]\ndate = 2025-{:02}-{:02}\ntitle = \"Update {n}\"\nbody = \"{}\"",
            1 + n * 2,
            rng.u32(1..=28),
            sentence(rng, 25)
        );
    }
    s
}

fn guide_md(i: usize, rng: &mut fastrand::Rng) -> String {
    let mut s = format!(
        "+++\ntitle = \"Guide {i}: {} {}\"\nnumber = {}\nedition = 2025-{:02}-01\nsummary = \"{}\"\n+++\n",
        pick(rng, WORDS),
        pick(rng, WORDS),
        i + 100,
        rng.u32(1..=12),
        sentence(rng, 12)
    );
    for h in 0..5 {
        let _ = write!(s, "\n## Section {h}: {}\n\n", pick(rng, WORDS));
        for _ in 0..4 {
            s.push_str(&sentence(rng, 22));
            s.push(' ');
        }
        s.push_str("\n\n");
        if h == 1 {
            for _ in 0..4 {
                let _ = writeln!(s, "- {}", sentence(rng, 6));
            }
        }
        if h == 2 {
            s.push_str("| Service | Weeks | Cost |\n|---|---|---|\n");
            for _ in 0..3 {
                let _ = writeln!(
                    s,
                    "| {} | {} | £{} |",
                    pick(rng, WORDS),
                    rng.u32(4..20),
                    rng.u32(100..900)
                );
            }
        }
        if h == 3 {
            let _ = write!(
                s,
                "```json\n{{ \"service\": \"{}\", \"weeks\": {} }}\n```\n",
                pick(rng, WORDS),
                rng.u32(4..20)
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_names_stay_distinct_under_the_identity_rule_across_a_big_site() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut seen = std::collections::HashMap::new();
        // The pairs that once collided ("451-4" and "45-14"), then a sweep of clusters.
        let pairs = [(451, 4), (45, 14), (1, 11), (11, 1)];
        let sweep = (0..2000)
            .step_by(7)
            .flat_map(|i| (0..20).map(move |n| (i, n)));
        for (i, n) in pairs.into_iter().chain(sweep) {
            let key = crate::text::name_key(&number(i, n));
            if let Some(other) = seen.insert(key, (i, n)) {
                assert_eq!(other, (i, n), "{:?} and {:?} are one name", other, (i, n));
            }
        }
        assert!(school_name(&mut rng, 451, 4) != school_name(&mut rng, 45, 14));
    }

    #[test]
    fn generated_site_builds_and_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), 3, 2, 7).unwrap();
        generate(b.path(), 3, 2, 7).unwrap();
        for f in [
            "content/site.toml",
            "content/clusters/cluster-00002.toml",
            "content/guides/guide-00001.md",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(f)).unwrap(),
                std::fs::read(b.path().join(f)).unwrap(),
                "{f}"
            );
        }
        let checked = crate::build::check(a.path());
        assert!(checked.ok(), "{}", checked.report(false));
        let site = checked.site.unwrap();
        let c = &site.clusters["cluster-00001"].record;
        assert_eq!(
            (c.schools.len(), c.children_centres.len(), c.offer.len()),
            (20, 3, 15)
        );
        assert_eq!(
            (c.contacts.len(), c.meetings.len(), c.updates.len()),
            (5, 4, 6)
        );
        let words = site.guides["guide-00000"].text.split_whitespace().count();
        assert!((450..=800).contains(&words), "{words} words");
    }

    #[test]
    fn refuses_a_folder_that_has_files() {
        let a = tempfile::tempdir().unwrap();
        std::fs::write(a.path().join("keep.txt"), "x").unwrap();
        assert!(generate(a.path(), 1, 1, 1).is_err());
        assert_eq!(std::fs::read_dir(a.path()).unwrap().count(), 1);
    }
}
