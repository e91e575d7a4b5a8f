//! What a deploy does, worked out before anything is written: which objects to upload
//! (and in which order), which are unchanged, which to delete. Pure: it reads what the
//! site needs, the bucket's listing and the manifest, and touches nothing.

use std::collections::BTreeMap;

use super::manifest::{Entry, Manifest};
use super::metadata::Local;

/// Why an object is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Not in the bucket, or not put there by clusterdir.
    New,
    /// Its bytes differ, or someone replaced it since clusterdir put it there.
    Changed,
    /// Same bytes, other `Content-Type` or `Cache-Control`.
    Headers,
}

impl Why {
    pub fn word(self) -> &'static str {
        match self {
            Why::New => "new",
            Why::Changed => "changed",
            Why::Headers => "headers changed",
        }
    }
}

/// When an object goes up, so that a visitor never meets a page whose styles, scripts
/// or data are not there yet: assets and data, then pages, then the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    AssetsAndData,
    Pages,
    Home,
}

pub fn stage_of(key: &str) -> Stage {
    if key == "index.html" {
        Stage::Home
    } else if key.ends_with(".html") {
        Stage::Pages
    } else {
        Stage::AssetsAndData
    }
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub key: String,
    pub local: Local,
    pub md5: String,
    pub size: usize,
    pub why: Why,
}

/// The plan: uploads in the order they are made, then deletions.
#[derive(Debug, Default)]
pub struct Plan {
    pub uploads: Vec<Upload>,
    pub unchanged: usize,
    /// clusterdir's objects the site no longer has, still in the bucket.
    pub deletes: Vec<String>,
    /// Objects the site no longer has that are no longer clusterdir's: gone from the
    /// bucket already, or replaced by someone since clusterdir uploaded them (their
    /// `ETag` changed). They are left as they are and dropped from the manifest.
    pub forgotten: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty() && self.forgotten.is_empty()
    }

    pub fn upload_bytes(&self) -> usize {
        self.uploads.iter().map(|u| u.size).sum()
    }
}

/// What the bucket holds under the prefix: key to `ETag` (if the listing gave one).
pub type Listing = BTreeMap<String, Option<String>>;

/// Compare what the site needs (`objects`, with each source file's MD5 and size) with
/// what the bucket holds and what clusterdir put there.
pub fn plan(
    objects: &BTreeMap<String, Local>,
    sums: &BTreeMap<String, (String, usize)>,
    listing: &Listing,
    manifest: &Manifest,
) -> Plan {
    let mut p = Plan::default();
    for (key, local) in objects {
        let (md5, size) = &sums[&local.source];
        match why(local, md5, listing.get(key), manifest.objects.get(key)) {
            Some(why) => p.uploads.push(Upload {
                key: key.clone(),
                local: local.clone(),
                md5: md5.clone(),
                size: *size,
                why,
            }),
            None => p.unchanged += 1,
        }
    }
    p.uploads
        .sort_by(|a, b| (stage_of(&a.key), &a.key).cmp(&(stage_of(&b.key), &b.key)));
    for key in manifest
        .objects
        .keys()
        .filter(|k| !objects.contains_key(*k))
    {
        let recorded = &manifest.objects[key].etag;
        match listing.get(key) {
            Some(listed) if recorded.is_none() || listed.is_none() || listed == recorded => {
                p.deletes.push(key.clone())
            }
            _ => p.forgotten.push(key.clone()),
        }
    }
    p
}

/// Why `local` must be uploaded, or `None` when the bucket holds it already as
/// clusterdir left it.
fn why(
    local: &Local,
    md5: &str,
    listed: Option<&Option<String>>,
    owned: Option<&Entry>,
) -> Option<Why> {
    let (Some(listed), Some(owned)) = (listed, owned) else {
        return Some(Why::New);
    };
    let replaced = owned.etag.is_some() && listed.is_some() && listed != &owned.etag;
    if owned.md5 != md5 || replaced {
        return Some(Why::Changed);
    }
    let h = &local.headers;
    (owned.content_type != h.content_type || owned.cache_control != h.cache_control)
        .then_some(Why::Headers)
}

#[cfg(test)]
mod tests {
    use super::super::metadata::{objects, Headers};
    use super::*;
    use crate::content::model::CacheControlRules;
    use crate::output::Output;

    /// A random site: pages, assets, data and feed files with random bytes.
    fn random_site(rng: &mut fastrand::Rng) -> Output {
        let mut out = Output::new();
        out.insert("index.html".into(), b"home".to_vec());
        for i in 0..rng.usize(5..40) {
            let name = match rng.u8(..4) {
                0 => format!("p{i}/index.html"),
                1 => format!("static/a{i}.css"),
                2 => format!("oruk/services/{i}.json"),
                _ => format!("data/d{i}.csv"),
            };
            let bytes = (0..rng.usize(0..50)).map(|_| rng.u8(..)).collect();
            out.insert(name, bytes);
        }
        out
    }

    fn sums(out: &Output) -> BTreeMap<String, (String, usize)> {
        out.iter()
            .map(|(k, v)| (k.clone(), (super::super::manifest::md5_hex(v), v.len())))
            .collect()
    }

    /// The bucket and manifest after a deploy of `plan` succeeded.
    fn apply(plan: &Plan, listing: &mut Listing, manifest: &mut Manifest) {
        for u in &plan.uploads {
            let etag = Some(format!("\"{}\"", u.md5));
            listing.insert(u.key.clone(), etag.clone());
            let Headers {
                content_type,
                cache_control,
            } = u.local.headers.clone();
            let entry = Entry {
                md5: u.md5.clone(),
                etag,
                content_type,
                cache_control,
            };
            manifest.objects.insert(u.key.clone(), entry);
        }
        for k in plan.deletes.iter().chain(&plan.forgotten) {
            listing.remove(k);
            manifest.objects.remove(k);
        }
    }

    #[test]
    fn a_second_deploy_does_nothing_and_one_change_uploads_only_it() {
        let mut rng = fastrand::Rng::with_seed(19);
        for _ in 0..200 {
            let mut out = random_site(&mut rng);
            let rules = CacheControlRules::default();
            let (mut listing, mut manifest) = (Listing::new(), Manifest::default());
            // Objects others put there: never deleted, never counted.
            listing.insert("theirs.txt".into(), Some("\"x\"".into()));
            let first = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
            assert!(first.uploads.iter().all(|u| u.why == Why::New));
            assert_eq!(first.uploads.len(), objects(&out, &rules).len());
            apply(&first, &mut listing, &mut manifest);
            let again = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
            assert!(again.is_empty(), "{again:?}");
            // Change one file's bytes: it (and its feed address) and nothing else.
            let keys: Vec<String> = out.keys().cloned().collect();
            let key = &keys[rng.usize(..keys.len())];
            out.get_mut(key).unwrap().push(b'!');
            let changed = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
            let mut expected = vec![key.clone()];
            expected.extend(crate::routes::feed_keys(key));
            let mut got: Vec<String> = changed.uploads.iter().map(|u| u.key.clone()).collect();
            got.sort();
            expected.sort();
            assert_eq!(got, expected);
            assert!(changed.uploads.iter().all(|u| u.why == Why::Changed));
            // Remove one file: it is deleted, and only it.
            apply(&changed, &mut listing, &mut manifest);
            out.remove(key);
            let removed = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
            assert!(removed.uploads.is_empty());
            assert_eq!(removed.deletes, expected);
        }
    }

    #[test]
    fn a_change_of_headers_alone_is_uploaded() {
        let out: Output = [
            ("index.html".to_string(), b"x".to_vec()),
            ("static/s.css".into(), b"y".to_vec()),
        ]
        .into();
        let (mut listing, mut manifest) = (Listing::new(), Manifest::default());
        let defaults = CacheControlRules::default();
        apply(
            &plan(&objects(&out, &defaults), &sums(&out), &listing, &manifest),
            &mut listing,
            &mut manifest,
        );
        let rules: CacheControlRules = toml::from_str("assets = \"max-age=9\"").unwrap();
        let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
        assert_eq!(p.uploads.len(), 1);
        assert_eq!(
            (p.uploads[0].key.as_str(), p.uploads[0].why),
            ("static/s.css", Why::Headers)
        );
        // Someone else's change to an object's content type is put right, too.
        manifest.objects.get_mut("index.html").unwrap().content_type = "text/plain".into();
        let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
        assert_eq!(p.uploads.len(), 2);
    }

    #[test]
    fn an_object_replaced_or_removed_behind_clusterdir_s_back_is_uploaded_again() {
        let out: Output = [("index.html".to_string(), b"x".to_vec())].into();
        let rules = CacheControlRules::default();
        let (mut listing, mut manifest) = (Listing::new(), Manifest::default());
        apply(
            &plan(&objects(&out, &rules), &sums(&out), &listing, &manifest),
            &mut listing,
            &mut manifest,
        );
        listing.insert("index.html".into(), Some("\"other\"".into()));
        let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
        assert_eq!(p.uploads[0].why, Why::Changed);
        listing.clear();
        let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
        assert_eq!(p.uploads[0].why, Why::New);
        // An upload that was under way when a deploy stopped (empty MD5) is made again.
        apply(&p, &mut listing, &mut manifest);
        manifest.objects.get_mut("index.html").unwrap().md5.clear();
        let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
        assert_eq!(p.uploads[0].why, Why::Changed);
    }

    #[test]
    fn an_object_someone_replaced_is_never_deleted() {
        let mut rng = fastrand::Rng::with_seed(23);
        for _ in 0..100 {
            let mut out = random_site(&mut rng);
            let rules = CacheControlRules::default();
            let (mut listing, mut manifest) = (Listing::new(), Manifest::default());
            apply(
                &plan(&objects(&out, &rules), &sums(&out), &listing, &manifest),
                &mut listing,
                &mut manifest,
            );
            let keys: Vec<String> = out.keys().cloned().collect();
            let removed: Vec<&String> = keys.iter().filter(|_| rng.bool()).collect();
            let replaced: Vec<&&String> = removed.iter().filter(|_| rng.bool()).collect();
            for k in &replaced {
                listing.insert(k.to_string(), Some("\"someone else's\"".into()));
            }
            for k in &removed {
                out.remove(k);
            }
            let p = plan(&objects(&out, &rules), &sums(&out), &listing, &manifest);
            for k in &replaced {
                assert!(!p.deletes.contains(k) && p.forgotten.contains(k), "{k}");
            }
            for k in removed.iter().filter(|k| !replaced.contains(k)) {
                assert!(p.deletes.contains(k), "{k}");
            }
        }
    }

    #[test]
    fn uploads_go_assets_and_data_then_pages_then_the_home_page() {
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..100 {
            let out = random_site(&mut rng);
            let rules = CacheControlRules::default();
            let p = plan(
                &objects(&out, &rules),
                &sums(&out),
                &Listing::new(),
                &Manifest::default(),
            );
            let stages: Vec<Stage> = p.uploads.iter().map(|u| stage_of(&u.key)).collect();
            assert!(stages.windows(2).all(|w| w[0] <= w[1]), "{stages:?}");
            assert_eq!(p.uploads.last().unwrap().key, "index.html");
            assert_eq!(stages.iter().filter(|s| **s == Stage::Home).count(), 1);
        }
    }
}
