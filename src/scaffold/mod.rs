//! `clusterdir new` and `clusterdir init`: starter files with every field present and
//! explained, that pass `check` as written. They never overwrite an existing file.

mod example;
pub mod generate;
pub mod starters;

pub use starters::{cluster_template, guide_template, page_template};

use std::io;
use std::path::{Path, PathBuf};

use crate::content::load::split_front_matter;
use crate::text::slugify;

/// What `new` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cluster,
    Guide,
    Page,
}

/// Where a site explains its content format, if it does: `FORMAT.md` (written by
/// `init`), else `docs/content-format.md`.
pub fn format_guide(root: &Path) -> Option<&'static str> {
    ["FORMAT.md", "docs/content-format.md"]
        .into_iter()
        .find(|f| root.join(f).is_file())
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

/// The `number` in a document's front matter, if it has one (read by the loader's own
/// front-matter split).
fn front_matter_number(text: &str) -> Option<u32> {
    let parts = split_front_matter(text).ok()?;
    let front: toml::Table = text[parts.front].parse().ok()?;
    u32::try_from(front.get("number")?.as_integer()?).ok()
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
