//! `clusterdir new` and `clusterdir init`: starter files with every field present and
//! explained, that pass `check` as written. They never overwrite an existing file.

mod example;
pub mod generate;

use std::io;
use std::path::{Path, PathBuf};

use crate::text::slugify;

/// What `new` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cluster,
    Guide,
    Page,
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// Where a site explains its content format, if it does: `FORMAT.md` (written by
/// `init`), else `docs/content-format.md`.
pub fn format_guide(root: &Path) -> Option<&'static str> {
    ["FORMAT.md", "docs/content-format.md"]
        .into_iter()
        .find(|f| root.join(f).is_file())
}

/// A cluster record with every field of the model, each with a one-line note. Only
/// `name`, `last_reviewed`, `status` and `sources` are in use: the rest are commented
/// out (with an example value) until someone knows them. `guide` is the file that
/// explains the format, named in the first note.
pub fn cluster_template(name: &str, today: &str, guide: Option<&str>) -> String {
    let more = match guide {
        Some(g) => format!("# A cluster record. Every field has a note after it; {g} says more.\n"),
        None => "# A cluster record. Every field has a note after it.\n".to_string(),
    };
    format!(
        r#"{more}# Lines starting with # are notes, or fields not in use yet: to use a field, remove
# the # at the start of its line (and of its table's [heading] line) and write what is
# true. Leave out what you do not know, and never guess contact details: a cluster with
# no phone or email of its own shows the city-wide contact instead.

name = {name:<24} # the cluster's name, as families know it
# short_name = "A.B.C"           # a shorter name or initials
# slug = "abc"                   # the page's address; defaults to the file name
# area = "North Example City"    # the areas it serves, in words people use
# summary = """What the cluster does."""   # a plain-English summary; **Markdown** is allowed
last_reviewed = {today}      # the date you last confirmed these details with the cluster
status = "active"                # active, temporarily-closed or ended
# reopens = "2026-09"            # when it reopens: only with status = "temporarily-closed"
# alert = "The office is moving; phones may be slow this week."   # a banner at the top of the page
# quick_exit = true              # show the quick-exit control even without a sensitive kind of help
# draft = true                   # keep the record off the published site until it is ready
sources = []                     # where the facts come from, e.g. ["Cluster business plan 2025"]

# [help]                         # how a family asks for help; every field is optional
# self_referral = "Call the cluster office or fill in the request form."   # how families ask themselves
# request_form = "Schools and families can get the form from the cluster office."   # how to get the form
# request_form_url = "https://example.org/request-form"   # where the form is online
# phone = "0113 496 0000"        # the cluster office's phone number
# email = "cluster@example.org"  # the cluster office's email address
# opening_hours = [{{ days = "Monday to Friday", opens = "09:00", closes = "17:00" }}]   # days and 24-hour times
# opening_exceptions = ["Closed on bank holidays"]   # days it is closed or the hours differ
# opening_times = "Late opening on Thursdays."   # anything opening_hours cannot say
# call_cost = "Calls cost the same as a local call."   # needed for 084, 087 and 09 numbers
# reply_time = "We reply within two working days."   # how soon someone replies
# mindmate_spa = true            # requests can also come through MindMate SPA
# notes = "Bring a letter from school if you have one."   # anything else a family should know first

# [[schools]]                    # one [[schools]] table per school
# name = "Example Primary School"   # the school's name, as on its sign
# phase = "primary"              # nursery, primary, secondary, through, all-through, special, pupil-referral-unit, other
# also_known_as = ["Example Primary"]   # other names people use, to help them find it

# [[children_centres]]           # one [[children_centres]] table per children's centre
# name = "Example Children's Centre"   # the centre's name
# based_at = "on the Example Primary School site"   # where it is, in words

# [[offer]]                      # one [[offer]] table per service the cluster offers
# service = "Family support workers"   # what the service is called
# category = "family-support"    # a category slug from content/site.toml
# provider = "Cluster team"      # who provides it
# description = "A worker helps the whole family, at home and with the school."   # a sentence or two
# who_for = "Children aged 4 to 11 and their families"   # who it is for, in words
# ages = {{ min = 4, max = 11 }}   # youngest and oldest age, in years
# access = "Through the school or the cluster office"   # how to get it
# self_referral = true           # can families ask for it themselves?
# capacity = "3 workers"         # how much of it the cluster has
# funded_by = "Cluster budget"   # who pays for it
# cost = {{ amount = 250.0, basis = "estimate per family: 2 hours a week for 12 weeks" }}   # pounds, and what that covers
# status = "active"              # active, temporarily-closed or ended
# reopens = "2026-09"            # when it reopens: only with status = "temporarily-closed"
# alert = "Waiting list until September."   # a short message shown beside it
# last_reviewed = {today}    # when this service was confirmed, if not with the rest of the record

# [[contacts]]                   # one [[contacts]] table per role
# role = "cluster-manager"       # cluster-leader, cluster-manager, targeted-services-leader, chair, local-authority-partner, other
# name = "Their name"            # only with the person's agreement; the role is shown either way
# job_title = "Deputy head teacher"   # where it says more than the role
# organisation = "Example Primary School"   # where they work
# phone = "0113 496 0999"        # a work phone number
# mobile = "07700 900000"        # a work mobile number
# email = "cluster.manager@example.org"   # a work email address
# address = ["Cluster office", "Street", "Town", "Postcode"]   # a postal address, one entry per line

# [governance]                   # how the cluster is run
# model = "joint-collaborative-committee"   # joint-collaborative-committee, trust or informal-partnership
# body = "Example Cluster Joint Committee"   # the governing body's name
# accountable_body = "Example Primary School"   # for an informal partnership: who employs staff and holds the money
# committees = ["Resources committee"]   # its committees
# voting = "Each school has one vote."   # how voting works, in words
# membership = ["Head teachers of the cluster's schools", "Partners"]   # who sits on the governing body
# notes = "The committee meets each half term."   # anything else about how it is run

# [[priorities]]                 # one [[priorities]] table per priority
# title = "Emotional health and wellbeing"   # the priority, in a few words
# detail = "Fewer families waiting for counselling."   # one or two sentences about it

# [[funding]]                    # one [[funding]] table per financial year
# year = "2025/26"               # the financial year, as text
# total = 100000                 # total planned spending, in pounds
# sources = [{{ name = "Schools", amount = 80000 }}, {{ name = "Health" }}]   # where the money comes from (amount optional)
# spending = [{{ name = "Family support workers", amount = 60000 }}]   # what it is spent on (amount optional)
# notes = "Figures are planned, not spent."   # anything to know about the figures

# [[meetings]]                   # one [[meetings]] table per meeting
# title = "Cluster joint committee"   # what the meeting is
# date = {today}             # the date, or "2026-02" if only the month is known
# time = "16:00"                 # the start time, 24-hour clock
# place = "Example Primary School"   # where it is
# public = false                 # may members of the public attend?

# [[updates]]                    # one [[updates]] table per news item, shown newest first
# date = {today}             # when it happened
# title = "New family support worker"   # a headline
# body = "Families can now ask us directly."   # the news itself; **Markdown** is allowed
"#,
        name = toml_string(name)
    )
}

/// A guide with every front-matter field; `number` is its series number.
pub fn guide_template(title: &str, number: u32, today: &str) -> String {
    format!(
        r#"+++
title = {title}
number = {number}{pad}# the guide series number
edition = {today}          # the date of this edition
summary = "One or two sentences saying what the guide covers."
# replaces = "slug-of-the-earlier-edition"
# quick_exit = true        # for guides about domestic abuse
# draft = true
sources = []
+++

## First section

Write in short sentences and everyday words. Sections start with `##`.
"#,
        title = toml_string(title),
        pad = " ".repeat(18usize.saturating_sub(number.to_string().len()).max(1)),
    )
}

/// The next guide number: one more than the highest `number = N` in the front matter
/// of the guides in `content/guides/` (1 when there are none). Every edition counts,
/// so the new guide never shares a number with a current one.
pub fn next_guide_number(root: &Path) -> u32 {
    let Ok(entries) = std::fs::read_dir(root.join("content/guides")) else {
        return 1;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| front_matter_number(&text))
        .max()
        .map_or(1, |n| n.saturating_add(1))
}

/// The `number = N` line of a document's `+++` front matter, if it has one.
fn front_matter_number(text: &str) -> Option<u32> {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next()?.trim_end() != "+++" {
        return None;
    }
    lines.take_while(|l| l.trim_end() != "+++").find_map(|l| {
        let (key, value) = l.split_once('=')?;
        if key.trim() != "number" {
            return None;
        }
        let value = value.split('#').next()?.trim();
        value.parse().ok()
    })
}

/// The file name for a title: letters with accents lose them ("Café Ünïon" becomes
/// `cafe-union`), a few letters without a decomposition are spelled out (ß, æ, ø, œ,
/// ł, đ, þ), and anything else that is not ASCII separates words. The result is a
/// valid slug, or empty when the title has no letter or digit.
pub fn file_slug(title: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut plain = String::with_capacity(title.len());
    for c in title.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => plain.push_str("ss"),
            'æ' => plain.push_str("ae"),
            'Æ' => plain.push_str("AE"),
            'ø' => plain.push('o'),
            'Ø' => plain.push('O'),
            'œ' => plain.push_str("oe"),
            'Œ' => plain.push_str("OE"),
            'ł' => plain.push('l'),
            'Ł' => plain.push('L'),
            'đ' => plain.push('d'),
            'Đ' => plain.push('D'),
            'þ' => plain.push_str("th"),
            'Þ' => plain.push_str("Th"),
            c => plain.push(c),
        }
    }
    // slugify keeps apostrophes out ("Children’s" -> "childrens"); what is still not
    // ASCII after that separates words.
    let ascii: String = slugify(&plain)
        .chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect();
    slugify(&ascii)
}

/// A page with every front-matter field.
pub fn page_template(title: &str) -> String {
    format!(
        r#"+++
title = {title}
summary = "One sentence for search engines and page lists."
# weight = 5               # order in the footer, lower first
# quick_exit = true        # for pages about domestic abuse
# draft = true
sources = []
+++

## First section

Text in Markdown.
"#,
        title = toml_string(title)
    )
}

/// Write a file that must not exist yet.
fn create(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    e.kind(),
                    format!("{} already exists; nothing was written", path.display()),
                )
            } else {
                io::Error::new(
                    e.kind(),
                    format!("could not create {}: {e}", path.display()),
                )
            }
        })?;
    io::Write::write_all(&mut f, text.as_bytes())
}

/// `clusterdir new <kind> "<title>"`: returns the file written.
pub fn new(root: &Path, kind: Kind, title: &str, today: &str) -> io::Result<PathBuf> {
    let slug = file_slug(title);
    if slug.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the name needs at least one letter or digit",
        ));
    }
    let reserved = crate::routes::reserved_slugs();
    if kind == Kind::Page && reserved.contains(&slug.as_str()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the address {} is used by the site itself, so a page cannot have it; \
                 choose another name (these are taken: {}); nothing was written",
                crate::routes::page(&slug),
                reserved.join(", ")
            ),
        ));
    }
    let (dir, ext, text) = match kind {
        Kind::Cluster => (
            "clusters",
            "toml",
            cluster_template(title, today, format_guide(root)),
        ),
        Kind::Guide => (
            "guides",
            "md",
            guide_template(title, next_guide_number(root), today),
        ),
        Kind::Page => ("pages", "md", page_template(title)),
    };
    let path = root.join("content").join(dir).join(format!("{slug}.{ext}"));
    create(&path, &text)?;
    Ok(path)
}

/// `clusterdir init DIR`: a small, complete example site that passes `check` as it is
/// (see [`example`]), with `FORMAT.md`, the format in plain words.
pub fn init(dir: &Path, today: &str) -> io::Result<()> {
    for taken in ["content", "FORMAT.md"] {
        if dir.join(taken).exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already has {taken}; nothing was written", dir.display()),
            ));
        }
    }
    create(&dir.join("content/site.toml"), example::SITE)?;
    create(
        &dir.join("content/clusters/example-cluster.toml"),
        &example::cluster(today),
    )?;
    create(
        &dir.join("content/guides/about-clusters.md"),
        &example::guide(today),
    )?;
    create(&dir.join("content/pages/about.md"), example::PAGE)?;
    create(&dir.join("FORMAT.md"), example::FORMAT)?;
    create(&dir.join("public/.gitkeep"), "")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = new(dir.path(), Kind::Page, "About us", "2025-01-01").unwrap();
        assert!(p.ends_with("content/pages/about-us.md"));
        std::fs::write(&p, "mine").unwrap();
        let err = new(dir.path(), Kind::Page, "About us", "2025-01-01").unwrap_err();
        assert!(err.to_string().contains("already exists"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "mine");
    }

    #[test]
    fn new_refuses_a_page_at_an_address_the_site_uses() {
        let dir = tempfile::tempdir().unwrap();
        for title in ["Search", "Clusters", "Data", "Static"] {
            let e = new(dir.path(), Kind::Page, title, "2025-01-01").unwrap_err();
            assert!(
                e.to_string().contains("is used by the site itself"),
                "{title}: {e}"
            );
        }
        assert!(
            !dir.path().join("content/pages").exists(),
            "nothing is written"
        );
        // A guide may take the name: its address is under /guides/.
        assert!(new(dir.path(), Kind::Guide, "Search", "2025-01-01").is_ok());
        assert!(new(dir.path(), Kind::Page, "Search help", "2025-01-01").is_ok());
    }

    #[test]
    fn file_names_keep_accented_letters_without_their_accents() {
        assert_eq!(file_slug("Café Ünïon"), "cafe-union");
        assert_eq!(file_slug("Crèche à Chapeltown"), "creche-a-chapeltown");
        assert_eq!(file_slug("Straße und Øresund"), "strasse-und-oresund");
        assert_eq!(file_slug("Children’s centre"), "childrens-centre");
        assert_eq!(file_slug("日本 Club — ½ day"), "club-1-2-day");
        assert_eq!(file_slug("日本"), "");
        let dir = tempfile::tempdir().unwrap();
        let p = new(dir.path(), Kind::Cluster, "Café Ünïon", "2025-01-01").unwrap();
        assert!(p.ends_with("content/clusters/cafe-union.toml"), "{p:?}");
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.contains("name = \"Café Ünïon\""),
            "the name keeps its accents"
        );
    }

    #[test]
    fn each_new_guide_takes_the_next_number() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(next_guide_number(dir.path()), 1);
        let first = new(dir.path(), Kind::Guide, "One", "2025-01-01").unwrap();
        assert!(std::fs::read_to_string(first)
            .unwrap()
            .contains("\nnumber = 1 "));
        let second = new(dir.path(), Kind::Guide, "Two", "2025-01-01").unwrap();
        assert!(std::fs::read_to_string(second)
            .unwrap()
            .contains("\nnumber = 2 "));
        // The highest number counts, whatever the order or spacing; the body does not.
        std::fs::write(
            dir.path().join("content/guides/old.md"),
            "+++\ntitle = \"Old\"\nnumber=13 # No. 13\n+++\n\nnumber = 99\n",
        )
        .unwrap();
        assert_eq!(next_guide_number(dir.path()), 14);
        assert_eq!(front_matter_number("no front matter\nnumber = 5\n"), None);
    }

    #[test]
    fn init_refuses_an_existing_site() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), "2025-01-01").unwrap();
        assert!(init(dir.path(), "2025-01-01").is_err());
    }
}
