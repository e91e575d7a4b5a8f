//! What a cluster offers: one item per service, with its category, ages, cost and
//! whether it is running ([`Status`], shared with the cluster record).

use serde::Deserialize;
use toml::Spanned;

use super::date::DateValue;
use super::text::Text;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferItem {
    /// What the service is called.
    pub service: String,
    /// Slug of a category from `site.toml`.
    pub category: Text,
    /// Who provides it (an organisation or team).
    #[serde(default)]
    pub provider: Option<String>,
    /// What it is, in a sentence or two.
    #[serde(default)]
    pub description: Option<String>,
    /// Who it is for (ages, eligibility), in words.
    #[serde(default)]
    pub who_for: Option<String>,
    #[serde(default)]
    pub ages: Option<Spanned<AgeRange>>,
    /// How to get it (self-referral, through school, through the cluster team ...).
    #[serde(default)]
    pub access: Option<String>,
    /// Can families ask for it themselves?
    #[serde(default)]
    pub self_referral: Option<bool>,
    /// How much of it the cluster has (e.g. "5 workers").
    #[serde(default)]
    pub capacity: Option<String>,
    /// Who pays for it.
    #[serde(default)]
    pub funded_by: Option<String>,
    #[serde(default)]
    pub cost: Option<Cost>,
    /// Whether the service is running (default active).
    #[serde(default)]
    pub status: Option<Status>,
    /// For a temporarily closed service: when it reopens, if known.
    #[serde(default)]
    pub reopens: Option<Spanned<DateValue>>,
    /// A short message about the service (shown beside it).
    #[serde(default)]
    pub alert: Option<String>,
    /// When this service's details were last confirmed, if different from the record's.
    #[serde(default)]
    pub last_reviewed: Option<Spanned<DateValue>>,
}

/// Whether a cluster or a service is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Active,
    TemporarilyClosed,
    Ended,
}

impl Status {
    /// Every status, in the order forms offer them.
    pub const ALL: [Status; 3] = [Status::Active, Status::TemporarilyClosed, Status::Ended];

    pub const fn label(self) -> &'static str {
        match self {
            Status::Active => "Open",
            Status::TemporarilyClosed => "Temporarily closed",
            Status::Ended => "Ended",
        }
    }

    pub const fn slug(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::TemporarilyClosed => "temporarily-closed",
            Status::Ended => "ended",
        }
    }
}

impl OfferItem {
    /// The ages it is for, without their place in the file.
    pub fn age_range(&self) -> Option<AgeRange> {
        self.ages.as_ref().map(|a| *a.get_ref())
    }
}

/// The youngest and oldest age a service is for, in years (0 to [`MAX_AGE`]).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    pub min: u8,
    pub max: u8,
}

/// The oldest age a children's service may name: support for young people with
/// special educational needs and disabilities lasts to 25 (Children and Families Act
/// 2014), so an age above it is a typing mistake.
pub const MAX_AGE: u8 = 25;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// Indicative cost in pounds.
    pub amount: Spanned<f64>,
    /// What the amount covers, e.g. "per family: 2 hours a week for 12 weeks".
    pub basis: String,
}
