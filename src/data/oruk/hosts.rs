//! Which file answers a request for a feed address, for `serve`, and the same rules
//! for static hosts: the `_redirects` file Netlify and Cloudflare Pages read (200
//! rewrites, so the address stays). Every rule is derived from
//! [`routes::feed_address`], the one rule for where a feed file answers.

use std::collections::BTreeSet;

use super::base::ENDPOINTS;
use super::lists::page_file;
use crate::routes;

/// The files that may answer a request for the feed address `path` (as sent, without
/// its query) with the query `query`, in the order to try them; empty when `path` is
/// not a feed address. A list asked for `?page=<n>` is answered by that page's file
/// only (a page beyond the last is not found); other query parameters are ignored.
pub fn feed_files(path: &str, query: Option<&str>) -> Vec<String> {
    let address = path.trim_matches('/');
    if address != "oruk" && !address.starts_with("oruk/") {
        return Vec::new();
    }
    if let (Some(folder), Some(n)) = (list_folder(address), page_asked(query)) {
        return vec![page_file(folder, n)];
    }
    [format!("{address}/index.json"), format!("{address}.json")]
        .into_iter()
        .filter(|file| routes::feed_address(file).as_deref() == Some(address))
        .collect()
}

/// The list (`services`, ...) whose address is `address` (`oruk/services`), if any.
fn list_folder(address: &str) -> Option<&str> {
    let folder = address.strip_prefix("oruk/")?;
    ENDPOINTS
        .iter()
        .any(|e| e.is_list() && e.path.strip_prefix('/') == Some(folder))
        .then_some(folder)
}

/// The page a query asks for: its last `page` parameter, when a whole number from 1.
fn page_asked(query: Option<&str>) -> Option<usize> {
    let value = query?
        .split('&')
        .filter_map(|kv| kv.strip_prefix("page="))
        .next_back()?;
    let n: usize = (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse().ok())??;
    (n >= 1).then_some(n)
}

/// The `_redirects` rules for the feed files among `files` (output paths): each list's
/// pages by query string (only when a list has more than one page: Cloudflare Pages
/// cannot read these), then each list's and top file's address, then each folder's
/// items by a placeholder (one rule for any number of files), each with and without a
/// trailing slash. Netlify and Cloudflare Pages use the first rule that matches.
pub fn redirects<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let (mut pages, mut literal, mut items) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
    for file in files {
        let Some(address) = routes::feed_address(file) else {
            continue;
        };
        if let Some(list) = file.strip_suffix("/page/2.json") {
            pages.push((address_of(&format!("{list}/index.json")), list.to_string()));
        }
        match item_folder(file) {
            Some(folder) => {
                items.insert(placeholder_rule(folder).unwrap_or((address, file.into())))
            }
            None => literal.insert((address, file.to_string())),
        };
    }
    let mut out = String::from("# Open Referral UK feed: each address answers with its file (written by clusterdir; see docs/open-data.md)\n");
    for (address, list) in pages {
        for slash in ["", "/"] {
            out.push_str(&format!(
                "/{address}{slash} page=:page /{list}/page/:page.json 200\n"
            ));
        }
    }
    for (address, file) in literal.iter().chain(&items) {
        for slash in ["", "/"] {
            out.push_str(&format!("/{address}{slash} /{file} 200\n"));
        }
    }
    out
}

fn address_of(file: &str) -> String {
    routes::feed_address(file).unwrap_or_default()
}

/// The folder of a file that is one of many (`oruk/services` of
/// `oruk/services/<id>.json`, a page of `oruk/services/page/<n>.json`); `None` for a
/// list's own file and the feed's files at its top (`oruk/openapi.json`).
fn item_folder(file: &str) -> Option<&str> {
    let (folder, name) = file.rsplit_once('/')?;
    (name != "index.json" && folder != "oruk").then_some(folder)
}

/// The one rule for every file of `folder`: `oruk/services/:id` answered by
/// `oruk/services/:id.json`, when that is what [`routes::feed_address`] says.
fn placeholder_rule(folder: &str) -> Option<(String, String)> {
    let (file, address) = (format!("{folder}/:id.json"), format!("{folder}/:id"));
    (routes::feed_address(&file).as_deref() == Some(address.as_str())).then_some((address, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed files of lists of random lengths (and a file that is not the feed's).
    fn feed(rng: &mut fastrand::Rng, lists: &[&str]) -> (Vec<String>, Vec<(String, usize)>) {
        let mut files = vec!["oruk/index.json".to_string(), "data/x.json".to_string()];
        let mut pages = Vec::new();
        for list in lists {
            let n = rng.usize(1..4);
            files.push(format!("oruk/{list}/index.json"));
            files.extend((1..=n).map(|p| page_file(list, p)));
            files.extend((0..rng.usize(1..5)).map(|_| format!("oruk/{list}/{}.json", rng.u64(..))));
            pages.push((list.to_string(), n));
        }
        (files, pages)
    }

    /// Rules for the query string only where a list has a second page (Cloudflare
    /// Pages cannot read them), one placeholder rule per folder of items whatever their
    /// number, and every rule with and without a trailing slash.
    #[test]
    fn redirects_name_pages_only_when_there_are_some_and_items_by_placeholder() {
        let mut rng = fastrand::Rng::with_seed(19);
        for _ in 0..50 {
            let (files, pages) = feed(&mut rng, &["services", "organizations"]);
            let rules = redirects(files.iter().map(String::as_str));
            for (list, n) in pages {
                let query_rule =
                    format!("/oruk/{list} page=:page /oruk/{list}/page/:page.json 200\n");
                assert_eq!(
                    rules.contains(&query_rule),
                    n > 1,
                    "{list}, {n} pages:\n{rules}"
                );
                let item_rule = format!("/oruk/{list}/:id /oruk/{list}/:id.json 200\n");
                assert_eq!(rules.matches(&item_rule).count(), 1, "{rules}");
            }
            let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
            assert!(!rules.contains("data/"), "{rules}");
            assert!(
                lines.chunks(2).all(|pair| {
                    let (a, b) = (
                        pair[0].split_once(' ').unwrap(),
                        pair[1].split_once(' ').unwrap(),
                    );
                    b.0 == format!("{}/", a.0) && a.1 == b.1
                }),
                "{rules}"
            );
        }
    }

    #[test]
    fn a_page_is_asked_only_by_a_whole_number_from_one() {
        assert_eq!(page_asked(Some("page=3")), Some(3));
        assert_eq!(page_asked(Some("per_page=10&page=2")), Some(2));
        assert_eq!(page_asked(Some("page=1&page=4")), Some(4));
        for q in [
            "", "page=", "page=0", "page=-1", "page=2x", "page=+2", "xpage=2",
        ] {
            assert_eq!(page_asked(Some(q)), None, "{q}");
        }
        assert_eq!(page_asked(None), None);
    }
}
