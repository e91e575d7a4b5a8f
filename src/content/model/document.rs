//! The front matter of Markdown documents: guides (`content/guides/*.md`) and pages
//! (`content/pages/*.md`).

use serde::Deserialize;
use toml::Spanned;

use super::date::DateValue;
use super::text::Text;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideFrontMatter {
    pub title: String,
    /// Slug; defaults to the file name.
    #[serde(default)]
    pub slug: Option<Text>,
    /// The guide series number (e.g. 13 for One-minute guide No. 13).
    pub number: u32,
    /// Date of this edition: `2025-01-31` or `2025-01`.
    pub edition: Spanned<DateValue>,
    pub summary: String,
    /// Show the quick-exit control (for guides about domestic abuse).
    #[serde(default)]
    pub quick_exit: Option<bool>,
    /// A draft is left out of `build` unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Slug of the earlier edition this one replaces.
    #[serde(default)]
    pub replaces: Option<Text>,
    /// Where the facts come from (words, or web addresses, which `check --external`
    /// visits).
    #[serde(default)]
    pub sources: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: String,
    #[serde(default)]
    pub slug: Option<Text>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Position in the footer and page lists (lower first).
    #[serde(default)]
    pub weight: Option<i32>,
    /// Show the quick-exit control (for pages about domestic abuse).
    #[serde(default)]
    pub quick_exit: Option<bool>,
    /// A draft is left out of `build` unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Where the facts come from, as for guides.
    #[serde(default)]
    pub sources: Vec<Text>,
    /// A list made from the cluster records, shown after the page's text.
    #[serde(default)]
    pub list: Option<PageList>,
}

/// The lists a page can show from the cluster records (`list = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageList {
    /// Every cluster under the governance model its record names.
    ClustersByGovernance,
    /// The site's glossary (`[[glossary]]` in `site.toml`), A to Z.
    Glossary,
}

impl PageList {
    /// Every list, in the order forms offer them.
    pub const ALL: [PageList; 2] = [PageList::ClustersByGovernance, PageList::Glossary];

    /// The value as written in a page's front matter (serde's name for it).
    pub const fn slug(self) -> &'static str {
        match self {
            PageList::ClustersByGovernance => "clusters-by-governance",
            PageList::Glossary => "glossary",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            PageList::ClustersByGovernance => "Every cluster under its governance model",
            PageList::Glossary => "The glossary, A to Z",
        }
    }
}
