//! The content model: what `content/site.toml`, `content/clusters/*.toml` and the front
//! matter of `content/guides/*.md` and `content/pages/*.md` may contain.
//!
//! Every struct refuses unknown fields, so a typing mistake is an error, not a silently
//! ignored line. Values that are checked after parsing (phones, emails, links, dates,
//! category slugs, school names) keep their place in the file (`Spanned`) so that the
//! checker can point at them. `docs/content-format.md` documents every field here.
//!
//! One file per kind of record: `config.rs` (`site.toml`), `cluster.rs` (a cluster
//! record and its schools), `offer.rs` (what a cluster offers), `help.rs` (how to get
//! help and whom to contact), `governance.rs` (how a cluster is run and what it
//! reports), `document.rs` (front matter of guides and pages), `deploy.rs`
//! (`[[deploy]]` targets), `date.rs` (dates) and `text.rs`
//! (text with its place in the file).
//! Every type is re-exported here, so paths are `content::model::X`.

mod cluster;
mod config;
mod date;
mod deploy;
mod document;
mod governance;
mod help;
mod offer;
mod text;

pub use cluster::{ChildrenCentre, ClusterRecord, Phase, School};
pub use config::{
    Category, CityContact, GlossaryEntry, SiteConfig, DEFAULT_QUICK_EXIT_URL,
    DEFAULT_STALE_AFTER_MONTHS,
};
pub use date::{DateValue, PartialDate, MONTHS};
pub use deploy::{CacheControlRules, DeployTarget};
pub use document::{GuideFrontMatter, PageFrontMatter, PageList};
pub use governance::{Funding, Governance, GovernanceModel, Meeting, Money, Priority, Update};
pub use help::{Contact, Help, OpeningHours, Role};
pub use offer::{AgeRange, Cost, OfferItem, Status, MAX_AGE};
pub use text::Text;
