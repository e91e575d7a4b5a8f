//! The feed's lists (`/services`, `/organizations`, ...), paginated so that every page
//! can be fetched from a host that cannot read query strings: page 1 is the list's own
//! file (`oruk/services/index.json`, answering at `/oruk/services`), and every page `n`
//! is also a file of its own (`oruk/services/page/<n>.json`), which `serve` and the
//! host rules in docs/open-data.md answer for `/oruk/services?page=<n>`.

use serde_json::value::RawValue;

use super::records::Page;
use super::write::put;
use crate::output::Output;

/// Items on one page. A list this long or shorter is one page, which every host can
/// serve; about 0.5 MB of services, quick to fetch and parse.
pub const PAGE_SIZE: usize = 500;

/// The file of page `n` (from 1) of the list in `folder` (`services`, ...).
pub fn page_file(folder: &str, n: usize) -> String {
    format!("oruk/{folder}/page/{n}.json")
}

/// The file of the list in `folder`: its first page.
pub fn list_file(folder: &str) -> String {
    format!("oruk/{folder}/index.json")
}

/// How many pages `items` items make: at least one (an empty list is one empty page).
pub fn page_count(items: usize) -> usize {
    items.div_ceil(PAGE_SIZE).max(1)
}

/// The lists in `out` longer than one page, each with its number of pages: only a host
/// that routes `?page=` to the page files can serve their later pages.
pub fn paged(out: &Output) -> Vec<(&'static str, usize)> {
    super::base::ENDPOINTS
        .iter()
        .filter(|e| e.is_list())
        .map(|e| e.path.trim_start_matches('/'))
        .filter_map(|folder| {
            let pages = (1..)
                .take_while(|&n| out.contains_key(&page_file(folder, n)))
                .count();
            (pages > 1).then_some((folder, pages))
        })
        .collect()
}

/// Write the list in `folder` as pages of [`PAGE_SIZE`]: its first page at
/// [`list_file`], and every page at [`page_file`].
pub(super) fn write_list(out: &mut Output, folder: &str, items: Vec<Box<RawValue>>) {
    let mut list = ListPages::new(folder, items.len());
    for item in items {
        list.push(out, item);
    }
    list.finish(out);
}

/// A list written page by page as its items come (their number known beforehand), so
/// only one page of items is held at a time.
pub(super) struct ListPages<'a> {
    folder: &'a str,
    total_items: usize,
    total_pages: usize,
    /// Pages written so far.
    written: usize,
    contents: Vec<Box<RawValue>>,
}

impl<'a> ListPages<'a> {
    pub(super) fn new(folder: &'a str, total_items: usize) -> ListPages<'a> {
        ListPages {
            folder,
            total_items,
            total_pages: page_count(total_items),
            written: 0,
            contents: Vec::with_capacity(PAGE_SIZE.min(total_items)),
        }
    }

    pub(super) fn push(&mut self, out: &mut Output, item: Box<RawValue>) {
        self.contents.push(item);
        if self.contents.len() == PAGE_SIZE {
            self.write_page(out);
        }
    }

    /// The last page (an empty list is one empty page).
    pub(super) fn finish(mut self, out: &mut Output) {
        if !self.contents.is_empty() || self.written == 0 {
            self.write_page(out);
        }
        debug_assert_eq!(self.written, self.total_pages, "{}", self.folder);
    }

    fn write_page(&mut self, out: &mut Output) {
        let i = self.written;
        let contents = std::mem::take(&mut self.contents);
        let page = Page {
            empty: contents.is_empty(),
            first_page: i == 0,
            last_page: i + 1 == self.total_pages,
            page_number: i + 1,
            size: contents.len(),
            total_items: self.total_items,
            total_pages: self.total_pages,
            contents,
        };
        if i == 0 {
            put(out, list_file(self.folder), &page);
        }
        put(out, page_file(self.folder, i + 1), &page);
        self.written += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn items(n: usize) -> Vec<Box<RawValue>> {
        (0..n)
            .map(|i| RawValue::from_string(format!("{{\"id\":\"{i}\"}}")).unwrap())
            .collect()
    }

    fn read(out: &Output, path: &str) -> Value {
        serde_json::from_slice(&out[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// For list lengths around every page boundary (and some drawn at random), every
    /// page the first page promises is written, holds its share of the items in order,
    /// and says where it is; no page beyond the last exists.
    #[test]
    fn every_promised_page_exists_and_no_other() {
        let mut rng = fastrand::Rng::with_seed(19);
        let mut lengths: Vec<usize> = (0..4)
            .flat_map(|k| [k * PAGE_SIZE, k * PAGE_SIZE + 1, (k + 1) * PAGE_SIZE - 1])
            .collect();
        lengths.extend((0..8).map(|_| rng.usize(0..6 * PAGE_SIZE)));
        for n in lengths {
            let mut out = Output::new();
            write_list(&mut out, "services", items(n));
            let first = read(&out, &list_file("services"));
            assert_eq!(first, read(&out, &page_file("services", 1)), "{n} items");
            let pages = first["total_pages"].as_u64().unwrap() as usize;
            assert_eq!(pages, page_count(n));
            let mut seen = Vec::new();
            for p in 1..=pages {
                let page = read(&out, &page_file("services", p));
                assert_eq!(page["page_number"], p, "{n} items, page {p}");
                assert_eq!(page["total_items"], n);
                assert_eq!(page["first_page"], p == 1);
                assert_eq!(page["last_page"], p == pages);
                let contents = page["contents"].as_array().unwrap();
                assert_eq!(page["size"], contents.len());
                assert_eq!(page["empty"], contents.is_empty());
                assert!(contents.len() <= PAGE_SIZE);
                seen.extend(
                    contents
                        .iter()
                        .map(|c| c["id"].as_str().unwrap().to_string()),
                );
            }
            let want: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            assert_eq!(seen, want, "{n} items: every item once, in order");
            assert!(!out.contains_key(&page_file("services", pages + 1)));
            assert_eq!(out.len(), pages + 1);
            let want: Vec<_> = (pages > 1)
                .then_some(("services", pages))
                .into_iter()
                .collect();
            assert_eq!(paged(&out), want, "{n} items");
        }
    }
}
