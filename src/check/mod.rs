//! Stage 2: check the loaded content and build the [`crate::site`] model.
pub mod report;
pub mod validate;
