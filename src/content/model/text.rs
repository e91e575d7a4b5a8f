//! Text from a content file, kept with its place in the file for messages.

use toml::Spanned;

/// Text from a content file, with its place in the file (for messages).
pub type Text = Spanned<String>;
