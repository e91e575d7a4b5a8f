//! The manifest: one JSON object kept in the bucket beside the site
//! (`<prefix>/.clusterdir-deploy.json`), listing every object clusterdir put there with
//! the MD5 of its bytes, the `ETag` the storage gave it and its headers.
//!
//! Why a manifest rather than the objects' `ETag`s alone: an `ETag` is the MD5 of the
//! bytes only on some storage (not with Amazon S3's KMS encryption, nor for multipart
//! uploads), and a listing carries no headers, so a change of `Cache-Control` could
//! only be seen with one request per object. Above all it says which objects are
//! clusterdir's: only those are ever deleted, so files others put in the bucket are
//! never touched. The `ETag` recorded at upload still catches an object that someone
//! replaced or removed since.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest's name inside the prefix. No output file may have it.
pub const MANIFEST: &str = ".clusterdir-deploy.json";

/// What clusterdir put in the bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The format of this file (1).
    pub format: u32,
    /// Key (under the prefix) to what was uploaded there.
    pub objects: BTreeMap<String, Entry>,
}

/// One object clusterdir uploaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// MD5 of the bytes, in hex; empty while an upload is under way (so an upload
    /// that was stopped is made again next time).
    pub md5: String,
    /// The `ETag` the storage answered the upload with.
    #[serde(default)]
    pub etag: Option<String>,
    pub content_type: String,
    pub cache_control: String,
}

impl Manifest {
    pub fn to_json(&self) -> Vec<u8> {
        let mut m = self.clone();
        m.format = 1;
        serde_json::to_vec(&m).expect("the manifest serialises")
    }

    /// Read a manifest, refusing one with a key that is not a plain relative path (no
    /// `.` or `..` segment, no empty segment, no leading `/`): deletions are made from
    /// these keys and must stay under the prefix.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let m: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if m.format != 1 {
            return Err(format!(
                "format {} is not one this clusterdir reads (1)",
                m.format
            ));
        }
        if let Some(bad) = m.objects.keys().find(|k| !is_plain_key(k)) {
            return Err(format!(
                "it lists {bad:?}, which is not a path inside the prefix"
            ));
        }
        Ok(m)
    }
}

/// A relative key: `/`-separated segments, none empty, `.` or `..`, no control
/// characters or backslashes.
pub fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'))
        && !key.chars().any(char::is_control)
}

/// The MD5 of `bytes` in hex.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    format!("{:x}", Md5::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut m = Manifest::default();
        m.objects.insert(
            "oruk/services".into(),
            Entry {
                md5: md5_hex(b"{}"),
                etag: Some("\"99914b932bd37a50b983c5e7c90ae93b\"".into()),
                content_type: "application/json".into(),
                cache_control: "public, max-age=300".into(),
            },
        );
        let back = Manifest::parse(&m.to_json()).unwrap();
        assert_eq!(back.objects, m.objects);
        assert_eq!(back.format, 1);
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn a_manifest_naming_anything_outside_the_prefix_is_refused() {
        let mut rng = fastrand::Rng::with_seed(3);
        let parts = [
            "..", ".", "", "a", "b.html", "c\\d", "x\u{7}", "oruk", "%2e%2e",
        ];
        for _ in 0..1000 {
            let key: Vec<&str> = (0..rng.usize(1..5))
                .map(|_| parts[rng.usize(..parts.len())])
                .collect();
            let key = format!(
                "{}{}",
                if rng.u8(..8) == 0 { "/" } else { "" },
                key.join("/")
            );
            let json = format!(
                "{{\"format\":1,\"objects\":{{{}:{{\"md5\":\"\",\"content_type\":\"t\",\"cache_control\":\"c\"}}}}}}",
                serde_json::to_string(&key).unwrap()
            );
            let parsed = Manifest::parse(json.as_bytes());
            let escapes = key.starts_with('/')
                || key
                    .split('/')
                    .any(|s| matches!(s, "" | "." | "..") || s.contains('\\'))
                || key.chars().any(char::is_control);
            assert_eq!(parsed.is_err(), escapes, "{key:?}: {parsed:?}");
        }
        assert!(Manifest::parse(b"{\"format\":2,\"objects\":{}}").is_err());
        assert!(Manifest::parse(b"not json").is_err());
    }
}
