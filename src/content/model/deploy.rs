//! `[[deploy]]` in `content/site.toml`: where `clusterdir deploy` puts the built site
//! (an S3-compatible bucket), and the `Cache-Control` a site may set per kind of file.

use serde::Deserialize;

use super::text::Text;

/// One place the site can be published to. `clusterdir deploy` uses the only one, or
/// the one named by `--target`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployTarget {
    /// What `--target` calls it: a-z, 0-9 and single hyphens (`live`, `preview`).
    pub name: Text,
    /// The bucket's name (Amazon S3, Cloudflare R2, MinIO, Garage...).
    pub bucket: Text,
    /// The storage's address, for anything but Amazon S3 itself
    /// (`https://<account>.r2.cloudflarestorage.com`). `https://` only, except on this
    /// computer (`http://127.0.0.1:9000`).
    #[serde(default)]
    pub endpoint: Option<Text>,
    /// The bucket's region (`eu-west-2`; `auto` for R2). Default: `AWS_REGION`, then
    /// `us-east-1`.
    #[serde(default)]
    pub region: Option<Text>,
    /// The folder in the bucket the site goes in (`leeds/clusters`); default the top.
    /// Nothing outside it is ever written or deleted.
    #[serde(default)]
    pub prefix: Option<Text>,
    /// A profile of the shared AWS credentials file to use when the `AWS_ACCESS_KEY_ID`
    /// variable is not set (default `AWS_PROFILE`, then `default`).
    #[serde(default)]
    pub profile: Option<Text>,
    /// `Cache-Control` values replacing the defaults, per kind of file.
    #[serde(default)]
    pub cache_control: CacheControlRules,
}

/// `Cache-Control` per kind of file; each left out keeps its default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheControlRules {
    /// HTML pages (default `public, max-age=300`).
    #[serde(default)]
    pub pages: Option<Text>,
    /// The Open Referral UK feed and the other data files: JSON, CSV, calendars,
    /// Atom, the sitemap, the search index (default `public, max-age=300`).
    #[serde(default)]
    pub data: Option<Text>,
    /// Styles, scripts, images, fonts and documents (default `public, max-age=3600`:
    /// their names stay the same when they change).
    #[serde(default)]
    pub assets: Option<Text>,
    /// Assets whose name carries a hash of their content (`logo.3f9a2c1b.png`), which
    /// never change under that name (default `public, max-age=31536000, immutable`).
    #[serde(default)]
    pub fingerprinted: Option<Text>,
}
