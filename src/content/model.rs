//! The content model: what `content/site.toml`, `content/clusters/*.toml` and the front
//! matter of `content/guides/*.md` and `content/pages/*.md` may contain.
//!
//! Every struct refuses unknown fields, so a typing mistake is an error, not a silently
//! ignored line. Values that are checked after parsing (phones, emails, links, dates,
//! category slugs, school names) keep their place in the file (`Spanned`) so that the
//! checker can point at them. `docs/content-format.md` documents every field here.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

pub type Text = Spanned<String>;

// ---------------------------------------------------------------------------------------
// site.toml

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
    /// Theme folder under `themes/` (default `default`).
    #[serde(default = "default_theme")]
    pub theme: String,
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
}

/// The default for `quick_exit_url`: a neutral page that loads fast on any phone.
pub const DEFAULT_QUICK_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// The default for `stale_after_months`.
pub const DEFAULT_STALE_AFTER_MONTHS: u32 = 6;

fn default_language() -> String {
    "en-GB".to_string()
}

fn default_theme() -> String {
    "default".to_string()
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

// ---------------------------------------------------------------------------------------
// clusters/<slug>.toml

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
    /// Where the facts in this record come from.
    #[serde(default)]
    pub sources: Vec<String>,
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
    pub fn label(self) -> &'static str {
        match self {
            Phase::Nursery => "Nursery",
            Phase::Primary => "Primary",
            Phase::Secondary => "Secondary",
            Phase::Through | Phase::AllThrough => "Through (all ages)",
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
    pub ages: Option<AgeRange>,
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
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Open",
            Status::TemporarilyClosed => "Temporarily closed",
            Status::Ended => "Ended",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::TemporarilyClosed => "temporarily-closed",
            Status::Ended => "ended",
        }
    }
}

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

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    pub min: u8,
    pub max: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// Indicative cost in pounds.
    pub amount: f64,
    /// What the amount covers, e.g. "per family: 2 hours a week for 12 weeks".
    pub basis: String,
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
    pub fn label(self) -> &'static str {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GovernanceModel {
    JointCollaborativeCommittee,
    Trust,
    InformalPartnership,
}

impl GovernanceModel {
    pub fn label(self) -> &'static str {
        match self {
            GovernanceModel::JointCollaborativeCommittee => "Joint collaborative committee",
            GovernanceModel::Trust => "Trust",
            GovernanceModel::InformalPartnership => "Informal partnership",
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
    pub total: Option<f64>,
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
    pub amount: Option<f64>,
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

// ---------------------------------------------------------------------------------------
// Front matter of guides and pages

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
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<String>,
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
    #[serde(default)]
    pub sources: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Dates

/// A date as written in content: a TOML date (`2025-01-31`) or a string (`"2025-01-31"`
/// or `"2025-01"`). Kept as written; [`DateValue::parse`] checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue(pub String);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-01-31 or \"2025-01\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                Ok(DateValue(v.to_string()))
            }
            // The toml crate hands dates over as a one-entry map holding the text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateValue, A::Error> {
                let entry: Option<(String, String)> = map.next_entry()?;
                match entry {
                    Some((_, text)) => Ok(DateValue(text)),
                    None => Err(de::Error::custom("expected a date like 2025-01-31")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A checked date: a whole day, or a month when the day is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateValue {
    /// Parse `YYYY-MM-DD` or `YYYY-MM`; the error says what was expected.
    pub fn parse(&self) -> Result<PartialDate, String> {
        let s = self.0.trim();
        let bad = || {
            format!("`{s}` is not a date: expected YYYY-MM-DD (like 2025-01-31) or YYYY-MM (like 2025-01)")
        };
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y, m] => {
                let (y, m) = (num(y, 4).ok_or_else(bad)?, num(m, 2).ok_or_else(bad)?);
                if !(1..=12).contains(&m) {
                    return Err(format!("`{s}` has month {m}: months run from 01 to 12"));
                }
                Ok(PartialDate {
                    year: y as i32,
                    month: m,
                    day: None,
                })
            }
            [y, m, d] => {
                let (y, m, d) = (
                    num(y, 4).ok_or_else(bad)?,
                    num(m, 2).ok_or_else(bad)?,
                    num(d, 2).ok_or_else(bad)?,
                );
                if chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_none() {
                    return Err(format!("`{s}` is not a day on the calendar"));
                }
                Ok(PartialDate {
                    year: y as i32,
                    month: m,
                    day: Some(d),
                })
            }
            _ => Err(bad()),
        }
    }
}

impl PartialDate {
    /// "31 January 2025" or "January 2025".
    pub fn human(&self) -> String {
        let month = MONTHS[(self.month - 1) as usize];
        match self.day {
            Some(d) => format!("{d} {month} {}", self.year),
            None => format!("{month} {}", self.year),
        }
    }

    /// Machine-readable form for `<time datetime>`: `2025-01-31` or `2025-01`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// The last day the date could mean: a month-only date could be any day in it.
    pub fn last_day(&self) -> chrono::NaiveDate {
        match self.day {
            Some(d) => chrono::NaiveDate::from_ymd_opt(self.year, self.month, d)
                .expect("checked when parsed"),
            None => {
                let next = chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
                    .expect("checked when parsed")
                    + chrono::Months::new(1);
                next.pred_opt().expect("not the first day of the calendar")
            }
        }
    }

    /// Whether a review on this date is older than `months` months on `today`. The
    /// record gets the benefit of the doubt: a month-only date counts as its last day.
    pub fn is_older_than(&self, months: u32, today: chrono::NaiveDate) -> bool {
        let limit = self
            .last_day()
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(chrono::NaiveDate::MAX);
        today > limit
    }

    /// The first day the date could mean (for sorting and comparisons).
    pub fn first_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .expect("checked when parsed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_full_and_month_only() {
        assert_eq!(
            DateValue("2025-01-31".into()).parse().unwrap(),
            PartialDate {
                year: 2025,
                month: 1,
                day: Some(31)
            }
        );
        assert_eq!(
            DateValue("2016-01".into()).parse().unwrap().human(),
            "January 2016"
        );
        assert_eq!(
            DateValue("2025-01-31".into()).parse().unwrap().human(),
            "31 January 2025"
        );
    }

    #[test]
    fn bad_dates_say_what_was_expected() {
        assert!(DateValue("2025-02-30".into())
            .parse()
            .unwrap_err()
            .contains("not a day on the calendar"));
        assert!(DateValue("2025-13".into())
            .parse()
            .unwrap_err()
            .contains("months run from 01 to 12"));
        assert!(DateValue("31/01/2025".into())
            .parse()
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
    }

    #[test]
    fn staleness_boundary_is_exact() {
        let d = |s: &str| DateValue(s.into()).parse().unwrap();
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Reviewed 31 January: six months later is 31 July; stale from 1 August.
        assert!(!d("2025-01-31").is_older_than(6, day("2025-07-31")));
        assert!(d("2025-01-31").is_older_than(6, day("2025-08-01")));
        // 31 August + 6 months is the end of February.
        assert!(!d("2024-08-31").is_older_than(6, day("2025-02-28")));
        assert!(d("2024-08-31").is_older_than(6, day("2025-03-01")));
        // A month-only date counts as the last day of that month.
        assert!(!d("2025-01").is_older_than(6, day("2025-07-31")));
        assert!(d("2025-01").is_older_than(6, day("2025-08-01")));
        assert!(!d("2025-01-15").is_older_than(0, day("2025-01-15")));
    }

    #[test]
    fn toml_dates_and_strings_both_deserialize() {
        #[derive(Deserialize)]
        struct T {
            a: DateValue,
            b: DateValue,
        }
        let t: T = toml::from_str("a = 2025-01-31\nb = \"2025-01\"\n").unwrap();
        assert_eq!(t.a.0, "2025-01-31");
        assert_eq!(t.b.0, "2025-01");
    }
}
