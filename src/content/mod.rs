//! What is on disk. The typed [`model`] of `site.toml`, cluster records and
//! the front matter of guides and pages; [`load`] reads and parses them, naming file,
//! line and column for every problem; [`markdown`] turns bodies into HTML (the one
//! place Markdown options are set); [`contact`] parses UK phone numbers, emails and web
//! addresses. Nothing here knows about checking, pages or output.

pub mod contact;
pub mod load;
pub mod markdown;
pub mod model;
pub mod schema;
