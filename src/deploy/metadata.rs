//! What each object is stored with: its key (every file at its path, and each Open
//! Referral UK feed file also at the address without `.json` that the feed answers at,
//! [`crate::routes::feed_address`]), `Content-Type` and `Cache-Control`.

use std::collections::BTreeMap;

use crate::content::model::CacheControlRules;
use crate::output::Output;

/// The headers an object is stored with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: String,
    pub cache_control: String,
}

/// One object to have in the bucket: the output file it holds and its headers.
#[derive(Debug, Clone)]
pub struct Local {
    /// The output path of the file whose bytes it holds (its key, or for a feed
    /// address, the `.json` file).
    pub source: String,
    pub headers: Headers,
}

/// The kinds of file that `Cache-Control` is set for, each overridable in `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HTML pages: short, so a correction is seen soon.
    Pages,
    /// The feed and other data files: short, as they change with the records.
    Data,
    /// Styles, scripts, images, fonts, documents: their names stay the same when they
    /// change, so a moderate time.
    Assets,
    /// Assets with a hash of their content in the name: they never change.
    Fingerprinted,
}

impl Kind {
    pub fn default_cache_control(self) -> &'static str {
        match self {
            Kind::Pages | Kind::Data => "public, max-age=300",
            Kind::Assets => "public, max-age=3600",
            Kind::Fingerprinted => "public, max-age=31536000, immutable",
        }
    }

    fn cache_control(self, rules: &CacheControlRules) -> String {
        let set = match self {
            Kind::Pages => &rules.pages,
            Kind::Data => &rules.data,
            Kind::Assets => &rules.assets,
            Kind::Fingerprinted => &rules.fingerprinted,
        };
        set.as_ref()
            .map_or(self.default_cache_control(), |v| v.get_ref().trim())
            .to_string()
    }
}

/// Extensions of files that are assets (not pages, not data).
const ASSETS: &[&str] = &[
    "css",
    "js",
    "mjs",
    "map",
    "ico",
    "svg",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "avif",
    "bmp",
    "tif",
    "tiff",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "mp3",
    "mp4",
    "webm",
    "ogg",
    "wav",
    "zip",
    "webmanifest",
];

fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The kind of the object at `key` (a feed address counts as data).
pub fn kind_of(key: &str, is_feed_address: bool) -> Kind {
    let ext = extension(key);
    match ext.as_deref() {
        _ if is_feed_address => Kind::Data,
        Some("html" | "htm") => Kind::Pages,
        Some(e) if ASSETS.contains(&e) => {
            if is_fingerprinted(key) {
                Kind::Fingerprinted
            } else {
                Kind::Assets
            }
        }
        _ => Kind::Data,
    }
}

/// Whether a file's name carries a hash of its content: a part of at least 8 hex
/// digits, with letters and digits both (so a date such as `20250101` is not taken for
/// one), between `.` or `-` and the extension (`app.3f9a2c1b.css`, `logo-0a1b2c3d4e.png`).
pub fn is_fingerprinted(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    let Some((stem, _)) = name.rsplit_once('.') else {
        return false;
    };
    let Some(at) = stem.rfind(['.', '-']) else {
        return false;
    };
    let hash = &stem[at + 1..];
    at > 0
        && hash.len() >= 8
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && hash.chars().any(|c| c.is_ascii_digit())
        && hash.chars().any(|c| c.is_ascii_alphabetic())
}

/// `Content-Type` from the extension (a feed address is JSON); text in UTF-8.
pub fn content_type(key: &str, is_feed_address: bool) -> String {
    if is_feed_address {
        return "application/json".into();
    }
    let Some(ext) = extension(key) else {
        // `_headers`, `_redirects`, `CNAME`: plain text.
        return "text/plain; charset=utf-8".into();
    };
    let mime = match ext.as_str() {
        // RFC 9239: browsers load modules only with a JavaScript type.
        "js" | "mjs" => "text/javascript".to_string(),
        "webmanifest" => "application/manifest+json".to_string(),
        // As `serve` sends them (sitemap, Atom feeds); not the older `text/xml`.
        "xml" => "application/xml".to_string(),
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let textual = mime.starts_with("text/") || mime == "image/svg+xml" || mime.ends_with("xml");
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// Every object the site needs in the bucket, keyed by its path under the prefix.
pub fn objects(out: &Output, rules: &CacheControlRules) -> BTreeMap<String, Local> {
    let mut objects = BTreeMap::new();
    let mut add = |key: String, source: &str, feed: bool| {
        let headers = Headers {
            content_type: content_type(&key, feed),
            cache_control: kind_of(&key, feed).cache_control(rules),
        };
        let source = source.to_string();
        objects.insert(key, Local { source, headers });
    };
    for file in out.keys() {
        add(file.clone(), file, false);
    }
    for file in out.keys() {
        for address in crate::routes::feed_keys(file) {
            // A file the site makes at that address itself wins.
            if !out.contains_key(&address) {
                add(address, file, true);
            }
        }
    }
    objects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::output_of;

    /// A random string of `len` characters from `alphabet`.
    fn random(rng: &mut fastrand::Rng, alphabet: &[u8], lens: std::ops::Range<usize>) -> String {
        let len = rng.usize(lens);
        (0..len)
            .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
            .collect()
    }

    #[test]
    fn every_feed_file_is_also_json_at_its_address_and_nothing_else_is() {
        let out = output_of(&[
            ("oruk/index.json", "{}"),
            ("oruk/services/index.json", "{}"),
            ("oruk/services/5b4e.json", "{}"),
            ("oruk/openapi.yaml", "x"),
            ("data/clusters.json", "[]"),
            ("index.html", "<p>"),
        ]);
        let objects = objects(&out, &CacheControlRules::default());
        for (key, source) in [
            ("oruk", "oruk/index.json"),
            // The `/oruk/` folder's index, for website hosting.
            ("oruk/index.html", "oruk/index.json"),
            ("oruk/services", "oruk/services/index.json"),
            ("oruk/services/5b4e", "oruk/services/5b4e.json"),
        ] {
            let o = &objects[key];
            assert_eq!(o.source, source);
            assert_eq!(o.headers.content_type, "application/json");
            assert_eq!(o.headers.cache_control, "public, max-age=300");
        }
        assert_eq!(objects.len(), out.len() + 4, "{:?}", objects.keys());
        assert_eq!(
            objects["oruk/openapi.yaml"].headers.cache_control,
            "public, max-age=300"
        );
    }

    #[test]
    fn html_is_short_lived_and_assets_are_kept_longer() {
        let mut rng = fastrand::Rng::with_seed(19);
        let word = b"abcdefghijklmnopqrstuvwxyz0123456789-_";
        for _ in 0..500 {
            let dir = random(&mut rng, word, 1..12);
            let stem = random(&mut rng, word, 1..12);
            let page = format!("{dir}/{stem}.html");
            assert_eq!(kind_of(&page, false), Kind::Pages, "{page}");
            assert_eq!(content_type(&page, false), "text/html; charset=utf-8");
            let ext = ASSETS[rng.usize(..ASSETS.len())];
            let asset = format!("static/{stem}.{ext}");
            let kind = kind_of(&asset, false);
            assert!(
                matches!(kind, Kind::Assets | Kind::Fingerprinted),
                "{asset}"
            );
            assert_eq!(
                kind == Kind::Fingerprinted,
                is_fingerprinted(&asset),
                "{asset}"
            );
            for data in ["json", "csv", "ics", "xml", "txt", "yaml"] {
                let file = format!("{dir}/{stem}.{data}");
                assert_eq!(kind_of(&file, false), Kind::Data, "{file}");
            }
        }
    }

    #[test]
    fn a_hash_in_the_name_marks_a_fingerprinted_asset_and_a_date_does_not() {
        let mut rng = fastrand::Rng::with_seed(7);
        let hex = b"0123456789abcdef";
        let mut both = 0;
        for _ in 0..2000 {
            let hash = random(&mut rng, hex, 8..33);
            let mixed = hash.chars().any(|c| c.is_ascii_digit())
                && hash.chars().any(|c| c.is_ascii_alphabetic());
            both += usize::from(mixed);
            let sep = if rng.bool() { '.' } else { '-' };
            let name = format!("static/img/logo{sep}{hash}.png");
            assert_eq!(is_fingerprinted(&name), mixed, "{name}");
            if mixed {
                assert_eq!(kind_of(&name, false), Kind::Fingerprinted);
            }
            let short = &hash[..rng.usize(1..8)];
            assert!(!is_fingerprinted(&format!("static/logo{sep}{short}.png")));
            let date = format!("static/report-{}.pdf", rng.u32(19_000_101..=20_991_231));
            assert!(!is_fingerprinted(&date), "{date}");
        }
        assert!(
            both > 1500,
            "too few hashes held letters and digits: {both}"
        );
        assert!(
            !is_fingerprinted("static/3f9a2c1b0e.css"),
            "a name that is only a hash"
        );
    }

    #[test]
    fn text_is_utf8_and_scripts_are_javascript() {
        for (file, expected) in [
            ("static/search.mjs", "text/javascript; charset=utf-8"),
            ("static/app.JS", "text/javascript; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("static/favicon.svg", "image/svg+xml; charset=utf-8"),
            ("favicon.ico", "image/x-icon"),
            ("data/schools.csv", "text/csv; charset=utf-8"),
            ("meetings.ics", "text/calendar; charset=utf-8"),
            ("data/clusters.json", "application/json"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("static/font.woff2", "font/woff2"),
            ("static/leaflet.pdf", "application/pdf"),
            ("_headers", "text/plain; charset=utf-8"),
            (".nojekyll", "text/plain; charset=utf-8"),
            ("static/blob.unknownext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(file, false), expected, "{file}");
        }
    }

    #[test]
    fn a_site_may_set_each_kind_s_cache_control() {
        let rules: CacheControlRules = toml::from_str(
            "pages = \"no-cache\"\ndata = \"max-age=60\"\nassets = \"max-age=86400\"\nfingerprinted = \"max-age=1\"",
        )
        .unwrap();
        let out = output_of(&[
            ("index.html", ""),
            ("oruk/index.json", ""),
            ("static/style.css", ""),
            ("static/app.0a1b2c3d.css", ""),
        ]);
        let o = objects(&out, &rules);
        let cc = |k: &str| o[k].headers.cache_control.clone();
        assert_eq!(cc("index.html"), "no-cache");
        assert_eq!(cc("oruk"), "max-age=60");
        assert_eq!(cc("oruk/index.json"), "max-age=60");
        assert_eq!(cc("static/style.css"), "max-age=86400");
        assert_eq!(cc("static/app.0a1b2c3d.css"), "max-age=1");
    }
}
