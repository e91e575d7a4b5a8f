//! Stage 2: check the loaded content and build the [`crate::site`] model.
pub mod report;
pub mod validate;

/// What a build can be told from outside the content.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date to judge staleness against (today, unless a test or a reproducible
    /// build fixes it).
    pub today: chrono::NaiveDate,
    /// Include drafts (and mark them as drafts on their pages).
    pub drafts: bool,
    /// Also request every external link (`check --external`).
    pub external_links: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: chrono::Local::now().date_naive(),
            drafts: false,
            external_links: false,
        }
    }
}
