//! Helpers every ORUK file uses: JSON bytes and one-page result lists.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::data::oruk::records::Page;
use crate::output::Output;

/// A file's JSON, trimmed to its length (held until written, like the pages).
pub(super) fn json_bytes(v: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(v).expect("JSON values serialise");
    bytes.shrink_to_fit();
    bytes
}

/// Serialise now, to keep only the bytes.
pub(super) fn raw(v: &impl Serialize) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).expect("JSON values serialise")
}

/// Everything as one page of results.
pub(super) fn page<T>(contents: Vec<T>) -> Page<T> {
    Page {
        empty: contents.is_empty(),
        first_page: true,
        last_page: true,
        page_number: 1,
        size: contents.len(),
        total_items: contents.len(),
        total_pages: 1,
        contents,
    }
}

pub(super) fn put(out: &mut Output, path: String, v: &impl Serialize) {
    out.insert(path, serde_json::to_vec(v).expect("JSON values serialise"));
}
