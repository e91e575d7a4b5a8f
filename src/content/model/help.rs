//! How a family gets help from a cluster (ways to ask, opening hours) and the people
//! to contact, by role.

use serde::Deserialize;

use super::text::Text;

/// Opening hours on some days, e.g. Monday to Friday, 09:00 to 17:00.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// The days, in words: "Monday to Friday", "Saturday".
    pub days: String,
    /// Opening time, 24-hour `HH:MM`.
    pub opens: Text,
    /// Closing time, 24-hour `HH:MM`.
    pub closes: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Help {
    /// How a family can ask for help themselves, in words.
    #[serde(default)]
    pub self_referral: Option<String>,
    /// How to get the request form (words) and where it is (link).
    #[serde(default)]
    pub request_form: Option<String>,
    #[serde(default)]
    pub request_form_url: Option<Text>,
    #[serde(default)]
    pub phone: Option<Text>,
    #[serde(default)]
    pub email: Option<Text>,
    /// Opening times in words, where `opening_hours` cannot say it.
    #[serde(default)]
    pub opening_times: Option<String>,
    #[serde(default)]
    pub opening_hours: Vec<OpeningHours>,
    /// Days it is closed or hours differ: "Closed on bank holidays".
    #[serde(default)]
    pub opening_exceptions: Vec<String>,
    /// What a call costs, where the number is not charged at a local rate.
    #[serde(default)]
    pub call_cost: Option<String>,
    /// How soon someone replies: "We reply within two working days".
    #[serde(default)]
    pub reply_time: Option<String>,
    /// Whether requests can also come through MindMate Single Point of Access.
    #[serde(default)]
    pub mindmate_spa: Option<bool>,
    /// Anything else a family should know first.
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    ClusterLeader,
    ClusterManager,
    TargetedServicesLeader,
    Chair,
    LocalAuthorityPartner,
    Other,
}

impl Role {
    /// Every role, in the order forms offer them.
    pub const ALL: [Role; 6] = [
        Role::ClusterLeader,
        Role::ClusterManager,
        Role::TargetedServicesLeader,
        Role::Chair,
        Role::LocalAuthorityPartner,
        Role::Other,
    ];

    /// The value as written in a record (serde's name for it).
    pub const fn slug(self) -> &'static str {
        match self {
            Role::ClusterLeader => "cluster-leader",
            Role::ClusterManager => "cluster-manager",
            Role::TargetedServicesLeader => "targeted-services-leader",
            Role::Chair => "chair",
            Role::LocalAuthorityPartner => "local-authority-partner",
            Role::Other => "other",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Role::ClusterLeader => "Cluster leader",
            Role::ClusterManager => "Cluster manager",
            Role::TargetedServicesLeader => "Targeted services leader",
            Role::Chair => "Cluster chair",
            Role::LocalAuthorityPartner => "Local authority partner",
            Role::Other => "Contact",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub role: Role,
    #[serde(default)]
    pub name: Option<String>,
    /// Job title where it says more than the role.
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub phone: Option<Text>,
    #[serde(default)]
    pub mobile: Option<Text>,
    #[serde(default)]
    pub email: Option<Text>,
    /// Postal address, one line per entry.
    #[serde(default)]
    pub address: Vec<String>,
}
