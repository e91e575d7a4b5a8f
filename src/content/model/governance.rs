//! How a cluster is run and what it reports: its governance, priorities, funding by
//! year, meetings and news updates.

use serde::Deserialize;
use toml::Spanned;

use super::date::DateValue;
use super::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GovernanceModel {
    JointCollaborativeCommittee,
    Trust,
    InformalPartnership,
}

impl GovernanceModel {
    /// Every model, in the order pages list them.
    pub const ALL: [GovernanceModel; 3] = [
        GovernanceModel::JointCollaborativeCommittee,
        GovernanceModel::Trust,
        GovernanceModel::InformalPartnership,
    ];

    /// The value as written in a record (serde's name for it).
    pub const fn slug(self) -> &'static str {
        match self {
            GovernanceModel::JointCollaborativeCommittee => "joint-collaborative-committee",
            GovernanceModel::Trust => "trust",
            GovernanceModel::InformalPartnership => "informal-partnership",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            GovernanceModel::JointCollaborativeCommittee => "Joint collaborative committee",
            GovernanceModel::Trust => "Trust",
            GovernanceModel::InformalPartnership => "Informal partnership",
        }
    }

    /// The model in the middle of a sentence, with its article: "an informal partnership".
    pub fn in_a_sentence(self) -> &'static str {
        match self {
            GovernanceModel::JointCollaborativeCommittee => "a joint collaborative committee",
            GovernanceModel::Trust => "a trust",
            GovernanceModel::InformalPartnership => "an informal partnership",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    #[serde(default)]
    pub model: Option<GovernanceModel>,
    /// The governing body's name.
    #[serde(default)]
    pub body: Option<String>,
    /// For an informal partnership: the partner that employs staff and holds money.
    #[serde(default)]
    pub accountable_body: Option<String>,
    #[serde(default)]
    pub committees: Vec<String>,
    /// How voting works, in words.
    #[serde(default)]
    pub voting: Option<String>,
    /// Who sits on the governing body.
    #[serde(default)]
    pub membership: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub title: String,
    #[serde(default)]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// Financial year, e.g. "2015/16".
    pub year: String,
    /// Total planned spending in pounds.
    #[serde(default)]
    pub total: Option<Spanned<f64>>,
    #[serde(default)]
    pub sources: Vec<Money>,
    #[serde(default)]
    pub spending: Vec<Money>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub name: String,
    #[serde(default)]
    pub amount: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub title: String,
    pub date: Spanned<DateValue>,
    /// Start time, 24-hour `HH:MM`.
    #[serde(default)]
    pub time: Option<Text>,
    #[serde(default)]
    pub place: Option<String>,
    /// Whether members of the public may attend.
    #[serde(default)]
    pub public: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    pub date: Spanned<DateValue>,
    pub title: String,
    /// The news itself (Markdown allowed).
    #[serde(default)]
    pub body: Option<Text>,
}
