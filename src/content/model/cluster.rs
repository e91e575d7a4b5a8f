//! A cluster record (`content/clusters/<slug>.toml`): the cluster itself and the schools
//! and children's centres in it. What it offers, how to get help and how it is run are
//! in the sibling modules.

use serde::Deserialize;
use toml::Spanned;

use super::date::DateValue;
use super::governance::{Funding, Governance, Meeting, Priority, Update};
use super::help::{Contact, Help};
use super::offer::{OfferItem, Status};
use super::text::Text;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterRecord {
    /// URL slug; defaults to the file name without `.toml`.
    #[serde(default)]
    pub slug: Option<Text>,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    /// The area the cluster serves, in words people use.
    #[serde(default)]
    pub area: Option<String>,
    /// A plain-English summary (Markdown allowed).
    #[serde(default)]
    pub summary: Option<Text>,
    /// Date someone last confirmed this record: `2025-01-31` or `2025-01`.
    pub last_reviewed: Spanned<DateValue>,
    /// Whether the cluster is running (default active).
    #[serde(default)]
    pub status: Option<Status>,
    /// For a temporarily closed cluster: when it reopens, if known.
    #[serde(default)]
    pub reopens: Option<Spanned<DateValue>>,
    /// A short message shown as a banner at the top of the page.
    #[serde(default)]
    pub alert: Option<String>,
    /// Show the quick-exit control on this page even if no offer item is in a
    /// sensitive category.
    #[serde(default)]
    pub quick_exit: Option<bool>,
    /// A draft is left out of `build` unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Where the facts in this record come from (words, or web addresses, which
    /// `check --external` visits).
    #[serde(default)]
    pub sources: Vec<Text>,
    #[serde(default)]
    pub schools: Vec<School>,
    #[serde(default)]
    pub children_centres: Vec<ChildrenCentre>,
    #[serde(default)]
    pub offer: Vec<OfferItem>,
    #[serde(default)]
    pub help: Option<Help>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub governance: Option<Governance>,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub funding: Vec<Funding>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub updates: Vec<Update>,
    /// Where visitors' reports of a problem with this cluster's page go (its "Report a
    /// problem" links); without it, the site's `report_email`, then the city-wide email.
    #[serde(default)]
    pub report_email: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Nursery,
    Primary,
    Secondary,
    Through,
    Special,
    #[serde(rename = "all-through")]
    AllThrough,
    PupilReferralUnit,
    Other,
}

impl Phase {
    /// Every phase, in the order forms offer them.
    pub const ALL: [Phase; 8] = [
        Phase::Nursery,
        Phase::Primary,
        Phase::Secondary,
        Phase::Through,
        Phase::Special,
        Phase::AllThrough,
        Phase::PupilReferralUnit,
        Phase::Other,
    ];

    /// The value as written in a record (serde's name for it).
    pub const fn slug(self) -> &'static str {
        match self {
            Phase::Nursery => "nursery",
            Phase::Primary => "primary",
            Phase::Secondary => "secondary",
            Phase::Through => "through",
            Phase::AllThrough => "all-through",
            Phase::Special => "special",
            Phase::PupilReferralUnit => "pupil-referral-unit",
            Phase::Other => "other",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Phase::Nursery => "Nursery",
            Phase::Primary => "Primary",
            Phase::Secondary => "Secondary",
            Phase::Through => "Through (all ages)",
            Phase::AllThrough => "All-through (all ages)",
            Phase::Special => "Special",
            Phase::PupilReferralUnit => "Pupil referral unit",
            Phase::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    pub name: Text,
    pub phase: Phase,
    /// Other names people use for the school (for finding it).
    #[serde(default)]
    pub also_known_as: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildrenCentre {
    pub name: Text,
    /// Where it is based, in words (e.g. "on the Gledhow Primary site").
    #[serde(default)]
    pub based_at: Option<String>,
}
