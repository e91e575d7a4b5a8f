//! "Edit this page": the preview (never `build`) adds a link to the editor at the top
//! of the main content of every cluster, guide and page it serves.

use std::path::Path;

use crate::content::schema::Kind;
use crate::edit::{self, Target};
use crate::serve::editor::page::PREFIX;
use crate::text::escape_markup as esc;

/// The record a page address may show: `/clusters/<slug>/`, `/guides/<slug>/` or
/// `/<slug>/`.
fn candidate(url: &str) -> Option<(Kind, &str)> {
    let inner = url.strip_prefix('/')?.strip_suffix('/')?;
    let (kind, slug) = match inner.split_once('/') {
        Some(("clusters", slug)) => (Kind::Cluster, slug),
        Some(("guides", slug)) => (Kind::Guide, slug),
        Some(_) => return None,
        None => (Kind::Page, inner),
    };
    let plain = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    plain.then_some((kind, slug))
}

/// The editor address of the record shown at page address `url`, if there is one: the
/// record whose file is named as the address, or else the one whose web address name
/// (`slug`) is.
pub fn edit_address(root: &Path, url: &str) -> Option<String> {
    let (kind, slug) = candidate(url)?;
    let direct = Target {
        kind,
        slug: slug.to_string(),
    };
    let found = if edit::path_of(root, &direct).is_ok_and(|p| p.is_file()) {
        direct
    } else {
        renamed(root, kind, slug)?
    };
    let name = crate::content::schema::describe(kind).name;
    Some(format!("{PREFIX}{name}/{}", found.slug))
}

/// The record of `kind` whose `slug` field is `slug`: the files of its folder are
/// opened one by one (a whole-site check per page view would slow every page that is
/// not a record, such as the search page).
fn renamed(root: &Path, kind: Kind, slug: &str) -> Option<Target> {
    let record = crate::content::schema::describe(kind);
    let folder = std::fs::read_dir(root.join("content").join(record.folder)).ok()?;
    let mut stems: Vec<String> = folder
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == record.extension))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    stems.sort();
    stems
        .into_iter()
        .map(|stem| Target { kind, slug: stem })
        .find(|t| {
            edit::open(root, t)
                .is_ok_and(|o| o.values.iter().any(|(k, v)| k == "slug" && v == slug))
        })
}

/// `html` with the link at the start of its `<main>` (or, without one, before `</body>`).
pub fn insert(html: &str, address: &str) -> String {
    let link = format!(
        "<p class=\"clusterdir-edit-link\"><a href=\"{}\">Edit this page</a></p>",
        esc(address)
    );
    let at = html
        .find("<main")
        .and_then(|m| html[m..].find('>').map(|e| m + e + 1))
        .or_else(|| html.rfind("</body>"));
    match at {
        Some(i) => format!("{}{link}{}", &html[..i], &html[i..]),
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_of_one_plain_name_can_be_records() {
        assert_eq!(candidate("/clusters/arm/"), Some((Kind::Cluster, "arm")));
        assert_eq!(
            candidate("/guides/cluster-working-2025/"),
            Some((Kind::Guide, "cluster-working-2025"))
        );
        assert_eq!(candidate("/about/"), Some((Kind::Page, "about")));
        let mut rng = fastrand::Rng::with_seed(24);
        for _ in 0..500 {
            let odd: String = (0..rng.usize(1..10)).map(|_| rng.char(..)).collect();
            if odd
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                continue;
            }
            for url in [
                format!("/clusters/{odd}/"),
                format!("/{odd}/"),
                format!("/guides/{odd}/"),
            ] {
                assert_eq!(candidate(&url), None, "{url}");
            }
        }
        for url in [
            "/",
            "/clusters/arm/offer/",
            "/clusters/arm",
            "/static/style.css",
            "//",
        ] {
            assert_eq!(candidate(url), None, "{url}");
        }
    }

    #[test]
    fn the_link_goes_first_in_main() {
        let page =
            "<body><header>x</header><main id=\"main\" class=\"wrap\"><h1>A</h1></main></body>";
        let linked = insert(page, "/_edit/cluster/arm");
        assert!(linked.contains("<main id=\"main\" class=\"wrap\"><p class=\"clusterdir-edit-link\"><a href=\"/_edit/cluster/arm\">Edit this page</a></p><h1>"));
        let no_main = insert("<body><p>x</p></body>", "/_edit/page/a");
        assert!(no_main.ends_with("Edit this page</a></p></body>"));
    }
}
