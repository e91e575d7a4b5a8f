//! The editor's pages around their forms: the layout (the editor's own stylesheet and
//! script, as files: the Content-Security-Policy allows no inline style or script),
//! the error summary, the confirmation panel and the notices.

use crate::serve::editor::fields::id_of;
use crate::text::escape_markup as esc;

/// Where the editor lives in the preview.
pub const PREFIX: &str = "/_edit/";

/// A whole editor page: `title` as its heading, `body` (HTML) under it.
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{full}</title>\n\
         <link rel=\"stylesheet\" href=\"{PREFIX}static/editor.css\">\n\
         <script src=\"{PREFIX}static/editor.js\" defer></script>\n</head>\n<body>\n\
         <a href=\"#main\" class=\"govuk-skip-link\">Skip to main content</a>\n\
         <header class=\"editor-header\">\n<div class=\"editor-wrap\">\n\
         <a href=\"{PREFIX}\">Site editor</a>\n<a href=\"/\">View the site</a>\n</div>\n</header>\n\
         <main id=\"main\" class=\"editor-wrap\" tabindex=\"-1\">\n<h1 class=\"govuk-heading-l\">{t}</h1>\n{body}</main>\n</body>\n</html>\n",
        t = esc(title),
        full = if title == "Site editor" {
            esc(title)
        } else {
            format!("{} - Site editor", esc(title))
        }
    )
}

/// A problem to list in a summary: the form field it is about (if any) and the message.
pub struct Listed<'a> {
    pub field: Option<&'a str>,
    pub message: String,
}

/// The GOV.UK error summary: a heading and every error, each linking to its field.
pub fn error_summary(errors: &[Listed]) -> String {
    titled_summary("There is a problem: nothing was saved", errors)
}

/// The error summary with its own heading.
pub fn titled_summary(title: &str, errors: &[Listed]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    format!(
        "<div class=\"govuk-error-summary\" tabindex=\"-1\">\n<div role=\"alert\">\n\
         <h2 class=\"govuk-error-summary__title\">{}</h2>\n\
         <ul class=\"govuk-list govuk-error-summary__list\">\n{}</ul>\n</div>\n</div>\n",
        esc(title),
        items(errors)
    )
}

/// The warnings: shown, and saving goes ahead.
pub fn warning_summary(warnings: &[Listed]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    format!(
        "<div class=\"editor-warning-summary\">\n<h2 class=\"govuk-heading-m\">Worth a look (these do not stop a save)</h2>\n\
         <ul class=\"govuk-list\">\n{}</ul>\n</div>\n",
        items(warnings)
    )
}

fn items(list: &[Listed]) -> String {
    list.iter()
        .map(|p| match p.field {
            Some(field) => format!(
                "<li><a href=\"#{}\">{}</a></li>\n",
                id_of(field),
                esc(&p.message)
            ),
            None => format!("<li>{}</li>\n", esc(&p.message)),
        })
        .collect()
}

/// After a save: what changed (the file's diff) and where to see it.
pub fn saved_panel(title: &str, diff: &str, link: Option<&str>) -> String {
    let see = link
        .map(|l| {
            format!(
                "<p><a href=\"{}\">See the page in the preview</a></p>\n",
                esc(l)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"govuk-panel\" role=\"status\">\n<h2 class=\"govuk-panel__title\">{}</h2>\n{see}</div>\n\
         <h2 class=\"govuk-heading-m\">What changed in the file</h2>\n<pre class=\"editor-diff\">{}</pre>\n",
        esc(title),
        esc(diff)
    )
}

/// Saved, but other files of the site have errors, so the preview cannot be built
/// until they are fixed: each, as `check` says it.
pub fn other_files(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .map(|e| format!("<li>{}</li>\n", esc(e)))
        .collect();
    format!(
        "<div class=\"editor-warning-summary\" role=\"status\">\n<h2 class=\"govuk-heading-m\">Saved, but the preview still shows the last good site until these problems in other files are fixed:</h2>\n\
         <ul class=\"govuk-list\">\n{items}</ul>\n</div>\n"
    )
}

/// A save of a form that holds what the file holds: nothing to write.
pub fn nothing_changed() -> String {
    "<div class=\"govuk-inset-text\" role=\"status\">\n<h2 class=\"govuk-heading-m\">Nothing changed</h2>\n\
     <p>The form holds what the file already holds, so the file was left as it is.</p>\n</div>\n"
        .to_string()
}

/// The file changed on disk since the form was opened: nothing written, reload it.
pub fn conflict(reload: &str) -> String {
    format!(
        "<div class=\"govuk-error-summary\" tabindex=\"-1\">\n<div role=\"alert\">\n\
         <h2 class=\"govuk-error-summary__title\">This file changed since you opened it</h2>\n\
         <p>Someone (or another program) saved this record after you opened the form, so \
         nothing was saved, to keep their change. Reload the form to see the record as it \
         is now, then make your change again.</p>\n\
         <p><a class=\"govuk-button\" href=\"{}\">Reload</a></p>\n</div>\n</div>\n",
        esc(reload)
    )
}

/// The file changed on disk since the form was opened, shown above the form with the
/// person's values kept: nothing written; the record as it is now, to compare with, and
/// a way to open it (in another tab, so the values typed here stay on this page).
pub fn conflict_kept(reload: &str, current: Option<&str>) -> String {
    let now = current
        .map(|text| {
            format!(
                "<details class=\"govuk-details\">\n<summary class=\"govuk-details__summary\">                 <span class=\"govuk-details__summary-text\">See the file as it is now</span></summary>\n                 <div class=\"govuk-details__text\"><pre class=\"editor-diff\">{}</pre></div>\n</details>\n",
                esc(text)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"govuk-error-summary\" tabindex=\"-1\">\n<div role=\"alert\">\n\
         <h2 class=\"govuk-error-summary__title\">This file changed since you opened it: nothing was saved</h2>\n\
         <p>Someone (or another program) saved this record after you opened the form. \
         Nothing was saved, to keep their change. What you typed is still in the form \
         below. Open the record as it is now (in a new tab), make your change there, and \
         save it; you can copy what you typed from this page.</p>\n\
         <p><a class=\"govuk-link\" href=\"{}\" target=\"_blank\" rel=\"noopener\">\
         Open the record as it is now (opens in a new tab)</a></p>\n{now}</div>\n</div>\n",
        esc(reload)
    )
}

/// A form sent without this run's token (the preview restarted since it was opened):
/// nothing was done; the form below has a fresh token.
pub fn stale_token(why: &str) -> String {
    format!(
        "<div class=\"govuk-error-summary\" tabindex=\"-1\">\n<div role=\"alert\">\n\
         <h2 class=\"govuk-error-summary__title\">Nothing was saved: press Save again</h2>\n\
         <p>{}</p>\n<p>What you typed is kept in the form below, which now has this \
         preview's token. Check it and press the button to save again.</p>\n</div>\n</div>\n",
        esc(why)
    )
}

/// The hidden fields every form carries: the token and the version opened.
pub fn hidden(token: &str, version: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"_token\" value=\"{}\">\n<input type=\"hidden\" name=\"_version\" value=\"{}\">\n",
        esc(token),
        esc(version)
    )
}

/// The editor's "not found" page.
pub fn not_found() -> hyper::Response<crate::serve::body::Body> {
    let body = format!(
        "<p>There is no such record or editor page. It may have been renamed or removed.</p>\n<p><a href=\"{PREFIX}\">Go to the list of records</a></p>\n"
    );
    crate::serve::reply::html(404, layout("Not found", &body))
}
