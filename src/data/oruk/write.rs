//! Helpers every ORUK file uses: JSON bytes, kept or written.

use serde::Serialize;
use serde_json::value::RawValue;

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

pub(super) fn put(out: &mut Output, path: String, v: &impl Serialize) {
    out.insert(path, serde_json::to_vec(v).expect("JSON values serialise"));
}
