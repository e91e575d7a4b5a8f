//! `content/site.toml`: the site's name, city, city-wide contact and offer categories,
//! with the defaults for the settings that may be left out.

use serde::Deserialize;

use super::text::Text;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in every page title.
    pub title: String,
    /// One sentence saying what the site is for (home page and meta description).
    pub description: String,
    /// BCP 47 language tag for the `lang` attribute, e.g. `en-GB`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The public address the site is published at, used for absolute links in feeds.
    #[serde(default)]
    pub base_url: Option<Text>,
    /// The name of a theme folder under `themes/` (default: the built-in `default`).
    #[serde(default)]
    pub theme: Option<Text>,
    /// Name of the city or area the directory covers (e.g. "Leeds").
    pub city: String,
    /// The city-wide contact used wherever a record has no way to get help of its own.
    pub contact: CityContact,
    /// What is true of getting help from every cluster (who can get help, the ways to
    /// ask), shown at the top of each cluster's "How to get help".
    #[serde(default)]
    pub help_intro: Option<String>,
    /// Offer categories, defined once and referred to by slug from each offer item.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// A record last checked longer ago than this many months shows a notice that it
    /// may be out of date (default 6).
    #[serde(default)]
    pub stale_after_months: Option<u32>,
    /// Where the quick-exit control goes: a neutral website (default BBC Weather).
    #[serde(default)]
    pub quick_exit_url: Option<Text>,
    /// The licence the open data is published under, in words (shown on the Data page).
    #[serde(default)]
    pub data_licence: Option<String>,
    /// `check` warns about records last checked longer ago than this (default 12).
    #[serde(default)]
    pub review_warning_months: Option<u32>,
    /// Where visitors' reports of a problem with a page go (the "Report a problem" links
    /// on every page); a cluster's own `report_email` wins on its pages. Without it, the
    /// city-wide contact's email.
    #[serde(default)]
    pub report_email: Option<Text>,
    /// Terms families may not know (CAMHS, Schools Forum...): explained where each first
    /// appears on a page, and listed on the page with `list = "glossary"`.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    /// Where `clusterdir deploy` publishes the site (`[[deploy]]`, see `deploy.rs`).
    #[serde(default)]
    pub deploy: Vec<super::deploy::DeployTarget>,
}

impl SiteConfig {
    /// A configuration with nothing in it, standing in for a `site.toml` that could not
    /// be read, so that the other files can still be checked.
    pub fn stand_in() -> SiteConfig {
        toml::from_str("title = \"\"\ndescription = \"\"\ncity = \"\"\n[contact]\nname = \"\"\n")
            .expect("the stand-in configuration parses")
    }
}

/// The default for `quick_exit_url`: a neutral page that loads fast on any phone.
pub const DEFAULT_QUICK_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// The default for `stale_after_months`.
pub const DEFAULT_STALE_AFTER_MONTHS: u32 = 6;

fn default_language() -> String {
    "en-GB".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityContact {
    /// Who families and practitioners reach (a team or service name).
    pub name: String,
    #[serde(default)]
    pub phone: Option<Text>,
    #[serde(default)]
    pub email: Option<Text>,
    #[serde(default)]
    pub url: Option<Text>,
    /// What the contact can help with, in one sentence.
    #[serde(default)]
    pub about: Option<String>,
}

/// One term of the glossary (`[[glossary]]` in `site.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    /// The word, phrase or abbreviation as pages write it: "CAMHS", "traded service".
    pub term: Text,
    /// For an abbreviation, what its letters stand for; shown in brackets after the
    /// abbreviation where it first appears on a page.
    #[serde(default)]
    pub stands_for: Option<String>,
    /// What it means, in a sentence or two, for the glossary page.
    pub meaning: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub slug: Text,
    /// Plain-English name, e.g. "Counselling and therapy".
    pub name: String,
    /// One or two sentences saying what this kind of help is.
    pub description: String,
    /// Help someone may need to hide that they looked at (domestic abuse): cluster pages
    /// that list it carry the quick-exit control.
    #[serde(default)]
    pub sensitive: bool,
}
