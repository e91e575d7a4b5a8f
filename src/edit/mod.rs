//! The editing engine behind the preview's forms: it resolves a record's file from its
//! kind and slug (never from a path sent by a browser), turns a file into form values
//! and form values back into the file with `toml_edit` (comments, key order, blank
//! lines and quoting stay; one changed value changes one line), checks the whole site
//! with the edited file in memory before writing, keeps the previous version in the
//! history folder and writes atomically. No HTTP and no HTML here: `serve` does that.
//!
//! `form.rs` reads and writes form values, `locate.rs` finds the form field of a
//! problem's place, `files.rs` makes paths, versions and atomic writes, `history.rs`
//! keeps earlier versions, `record.rs` splits a guide or page into front matter and
//! body, `types.rs` holds what the functions here take and give.

use std::path::{Path, PathBuf};

use crate::build::{check_over, Options};
use crate::content::load::Overlay;
use crate::content::schema::{self, describe, FieldType};
use crate::diagnostics::Severity;
use crate::pages::RenderCache;

mod comments;
mod files;
mod form;
mod history;
mod locate;
mod record;
mod types;

pub use form::Form;
pub use history::{HISTORY, KEEP};
pub use types::{
    EditError, FieldProblem, Kind, Opened, Overview, RecordSummary, Saved, Scope, Target, Version,
};

use files::{relative_path, version_of, write_atomically};
use record::Parts;

/// Where the editor saves: the site's folder, and the preview's render cache when the
/// editor runs inside `serve`. With the cache, the whole-site check before a save
/// renders again only the pages the edit changes (the rest are the pages the preview
/// already rendered), and the preview's rebuild after the save finds them rendered.
/// A plain `&Path` is a place without a cache.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub root: &'a Path,
    pub cache: Option<&'a RenderCache>,
}

impl<'a> From<&'a Path> for Place<'a> {
    fn from(root: &'a Path) -> Place<'a> {
        Place { root, cache: None }
    }
}

impl<'a> From<&'a PathBuf> for Place<'a> {
    fn from(root: &'a PathBuf) -> Place<'a> {
        Place { root, cache: None }
    }
}

/// The file of a record: `content/<folder>/<slug>.<ext>` under `root`.
/// The file and the folders on the way to it must not be symbolic links.
pub fn path_of(root: &Path, target: &Target) -> Result<PathBuf, EditError> {
    let rel = relative_path(target)?;
    files::no_links(root, &rel)?;
    Ok(root.join(rel))
}

/// The record's fields as form values, and its version.
pub fn open(root: &Path, target: &Target) -> Result<Opened, EditError> {
    let path = path_of(root, target)?;
    let text = files::read(&path)?;
    let parts = Parts::split(target.kind, &text).map_err(invalid)?;
    let doc = parts
        .toml
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| invalid(format!("the record cannot be read: {}", e.message())))?;
    let mut values = Vec::new();
    form::read_table(
        describe(target.kind).fields,
        doc.as_table(),
        "",
        &mut values,
    );
    if describe(target.kind).has_body {
        values.push(("body".to_string(), parts.body_text()));
    }
    Ok(Opened {
        values,
        version: version_of(text.as_bytes()),
        path,
    })
}

/// Apply a form to a record, check the whole site with it, and write it if it has no
/// errors (keeping the previous version in the history). A scalar field not posted is
/// left as it is (post it empty to remove it); see [`Scope`] for lists.
pub fn save<'a>(
    at: impl Into<Place<'a>>,
    target: &Target,
    form: &[(String, String)],
    scope: Scope,
    version: &str,
) -> Result<Saved, EditError> {
    let at = at.into();
    let (rel, old) = current(at.root, target, version)?;
    let new = edited(target.kind, &old, form, scope)?;
    commit(at, target, &rel, Some(&old), &new)
}

/// The record's file (relative to the site) and its text, if it is still the version
/// the form was opened at; `Changed` if someone saved it since.
fn current(root: &Path, target: &Target, version: &str) -> Result<(PathBuf, String), EditError> {
    let rel = relative_path(target)?;
    let old = files::read(&path_of(root, target)?)?;
    if version_of(old.as_bytes()) != version {
        return Err(EditError::Changed);
    }
    Ok((rel, old))
}

/// The record's text with a form applied, neither checked nor written (what `save`
/// would check and write).
pub fn apply(
    root: &Path,
    target: &Target,
    form: &[(String, String)],
    scope: Scope,
) -> Result<String, EditError> {
    let old = files::read(&path_of(root, target)?)?;
    Ok(edited(target.kind, &old, form, scope)?.text)
}

/// A new record from a form; `Exists` if the slug is taken. "A new edition of a guide"
/// is a `create` with the old edition's fields as the form.
pub fn create<'a>(
    at: impl Into<Place<'a>>,
    target: &Target,
    form: &[(String, String)],
) -> Result<Saved, EditError> {
    let at = at.into();
    let root = at.root;
    let rel = relative_path(target)?;
    if path_of(root, target)?.exists() {
        return Err(EditError::Exists);
    }
    let start = match describe(target.kind).has_body {
        true => "+++\n+++\n",
        false => "",
    };
    let new = edited(target.kind, start, form, Scope::Whole)?;
    commit(at, target, &rel, None, &new)
}

/// The kept versions of a record, newest first.
pub fn history(root: &Path, target: &Target) -> Result<Vec<Version>, EditError> {
    relative_path(target)?;
    history::list(root, target)
}

/// Put a kept version back: checked like a save, and the current file kept in the
/// history first.
pub fn restore<'a>(
    at: impl Into<Place<'a>>,
    target: &Target,
    id: &str,
    version: &str,
) -> Result<Saved, EditError> {
    let at = at.into();
    let (rel, old) = current(at.root, target, version)?;
    let kept = history::read(at.root, target, id)?;
    let kept = Edited {
        text: kept,
        form: Form::default(),
    };
    commit(at, target, &rel, Some(&old), &kept)
}

/// Every record the editor can open (the files at the top of their folders), for its
/// start page: clusters by name, then guides and pages by slug. The content is read and
/// validated, not rendered, so this is quick.
pub fn records(root: &Path) -> Result<Vec<RecordSummary>, EditError> {
    Ok(overview(root)?.records)
}

/// Every record the editor can open (as [`records`]), each file of a record the site
/// cannot use with why (listed as "cannot be read"), and every error of the site.
pub fn overview(root: &Path) -> Result<Overview, EditError> {
    let mut sources = crate::diagnostics::Sources::default();
    let mut diagnostics = crate::diagnostics::Diagnostics::default();
    let loaded = crate::content::load::load_content(root, &mut sources, &mut diagnostics)
        .ok_or_else(|| EditError::Io("the content folder could not be read".into()))?;
    let unusable = loaded.unusable.clone();
    let site = crate::check::validate(loaded, &options(), &mut diagnostics);
    let mut records = listed(&site, &unusable);
    unreadable(&diagnostics, &mut records);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| locate::located(&sources, d))
        .collect();
    Ok(Overview { records, errors })
}

/// Give each record file with an error that keeps it out of the site (one that could
/// not be read, a symbolic link, a slug taken) the reason, adding the files not listed.
fn unreadable(diagnostics: &crate::diagnostics::Diagnostics, out: &mut Vec<RecordSummary>) {
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let stem = d.file.file_stem().unwrap_or_default().to_string_lossy();
        let Some(kind) = [Kind::Cluster, Kind::Guide, Kind::Page]
            .into_iter()
            .find(|k| {
                relative_path(&Target {
                    kind: *k,
                    slug: stem.to_string(),
                })
                .is_ok_and(|rel| rel == d.file)
            })
        else {
            continue;
        };
        let target = Target {
            kind,
            slug: stem.to_string(),
        };
        match out.iter_mut().find(|r| r.target == target) {
            // A file that could not be read: its first error says why.
            Some(r) => {
                if r.unreadable.as_ref().is_some_and(String::is_empty) {
                    r.unreadable = Some(d.message.clone());
                }
            }
            // A file the site left out (a symbolic link, a slug another record has).
            None => out.push(RecordSummary {
                title: target.slug.clone(),
                target,
                completeness: None,
                last_checked: None,
                unreadable: Some(d.message.clone()),
            }),
        }
    }
    for r in out.iter_mut() {
        if r.unreadable.as_ref().is_some_and(String::is_empty) {
            r.unreadable = Some("the file cannot be read".to_string());
        }
    }
}

/// The records of the checked site, and the files that could not be read.
fn listed(
    site: &crate::site::Site,
    unusable: &crate::content::load::Unusable,
) -> Vec<RecordSummary> {
    let complete = crate::check::completeness(site);
    let mut out = Vec::new();
    let mut add = |kind, file: &Path, title: &str, completeness, last_checked| {
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        let target = Target {
            kind,
            slug: stem.into_owned(),
        };
        if relative_path(&target).is_ok_and(|rel| rel == file) {
            out.push(RecordSummary {
                target,
                title: title.to_string(),
                completeness,
                last_checked,
                unreadable: None,
            });
        }
    };
    for c in site.clusters_in_order() {
        let file = &c.file;
        let percent = complete
            .iter()
            .find(|row| Path::new(&row.file) == file)
            .map(|row| row.percent);
        let reviewed = c.record.last_reviewed.get_ref().0.clone();
        add(Kind::Cluster, file, &c.record.name, percent, Some(reviewed));
    }
    for g in site.guides.values() {
        let edition = g.front.edition.get_ref().0.clone();
        add(Kind::Guide, &g.file, &g.front.title, None, Some(edition));
    }
    for p in site.pages.values() {
        add(Kind::Page, &p.file, &p.front.title, None, None);
    }
    // Files that could not be read for their problems: listed by file name, so the
    // editor can open them to fix them.
    for (kind, slugs) in [
        (Kind::Cluster, &unusable.clusters),
        (Kind::Guide, &unusable.guides),
        (Kind::Page, &unusable.pages),
    ] {
        for slug in slugs {
            let target = Target {
                kind,
                slug: slug.clone(),
            };
            if let Ok(rel) = relative_path(&target) {
                add(kind, &rel, slug, None, None);
            }
        }
    }
    for r in out.iter_mut() {
        let unread = match r.target.kind {
            Kind::Cluster => &unusable.clusters,
            Kind::Guide => &unusable.guides,
            Kind::Page => &unusable.pages,
        };
        if unread.contains(&r.target.slug) {
            // Its reason is filled in from the file's errors.
            r.unreadable = Some(String::new());
        }
    }
    out
}

/// The site's checks as the editor runs them: drafts included.
fn options() -> Options {
    Options {
        drafts: true,
        ..Options::default()
    }
}

fn invalid(message: impl Into<String>) -> EditError {
    EditError::Invalid(vec![FieldProblem {
        field: None,
        message: message.into(),
        hint: None,
    }])
}

/// The record's text with the form applied.
fn edited(
    kind: Kind,
    text: &str,
    pairs: &[(String, String)],
    scope: Scope,
) -> Result<Edited, EditError> {
    let described = describe(kind);
    let mut values = std::collections::BTreeMap::new();
    for (name, value) in pairs {
        if !is_field_name(kind, name) {
            return Err(EditError::BadRequest(format!(
                "{name} is not a field of a {}",
                described.name
            )));
        }
        values.insert(name.clone(), value.clone());
    }
    let posted = Form::new(values);
    let mut parts = Parts::split(kind, text).map_err(invalid)?;
    // toml_edit writes `\n`: a file with Windows line endings is edited without them,
    // and gets them back.
    let crlf = parts.toml.contains("\r\n");
    let mut doc = parts
        .toml
        .replace("\r\n", "\n")
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| invalid(format!("the record cannot be read: {}", e.message())))?;
    match scope {
        Scope::Whole => {
            form::write_table(
                described.fields,
                doc.as_table_mut(),
                "",
                &posted,
                form::Level::Top,
            );
            let orphans = posted.orphaned_comments();
            if !orphans.is_empty() {
                let trailing = comments_after(doc.trailing().as_str().unwrap_or_default());
                doc.set_trailing(format!("{trailing}{orphans}"));
            }
            if let Some(body) = posted.get("body").filter(|_| described.has_body) {
                parts.set_body(body);
            }
        }
        Scope::Append(key) => {
            let field = described.fields.iter().find(|f| f.key == key);
            let Some(FieldType::TableList(fields)) = field.map(|f| &f.ty) else {
                return Err(EditError::BadRequest(format!(
                    "{key} is not a list a {} can add to",
                    described.name
                )));
            };
            if !form::append_rows(fields, doc.as_table_mut(), key, &posted) {
                return Err(EditError::Invalid(nothing_to_add(fields, key, &posted)));
            }
        }
    }
    parts.toml = match crlf {
        true => doc.to_string().replace('\n', "\r\n"),
        false => doc.to_string(),
    };
    Ok(Edited {
        text: parts.join(),
        form: posted,
    })
}

/// A document's trailing text, ending with a line break so that comments can follow.
fn comments_after(trailing: &str) -> String {
    match trailing.is_empty() || trailing.ends_with('\n') {
        true => trailing.to_string(),
        false => format!("{trailing}\n"),
    }
}

/// A record's new text, and the form it came from (to name problems as it does).
struct Edited {
    text: String,
    form: Form,
}

/// An empty quick form: every required field of a new row is missing, said as `check`
/// says it.
fn nothing_to_add(fields: &[schema::Field], key: &str, form: &Form) -> Vec<FieldProblem> {
    let index = form.first_row(key).unwrap_or(0);
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| FieldProblem {
            field: Some(format!("{key}.{index}.{}", f.key)),
            message: format!("missing field `{}`", f.key),
            hint: Some(format!("add a line `{} = ...` to this table", f.key)),
        })
        .collect()
}

/// Whether a form name is a field of the kind: keys of the description, with a row
/// index after each list (`offer.2.category`, `sources.1`), or `body`.
fn is_field_name(kind: Kind, name: &str) -> bool {
    if name == "body" {
        return describe(kind).has_body;
    }
    let mut fields = describe(kind).fields;
    let mut parts = name.split('.');
    while let Some(key) = parts.next() {
        let Some(field) = fields.iter().find(|f| f.key == key) else {
            return false;
        };
        let index_ok = |p: Option<&str>| p.is_some_and(|i| i.parse::<usize>().is_ok());
        match &field.ty {
            FieldType::Table(sub) => fields = sub,
            FieldType::TableList(sub) => {
                if !index_ok(parts.next()) {
                    return false;
                }
                fields = sub;
            }
            FieldType::TextList => return index_ok(parts.next()) && parts.next().is_none(),
            _ => return parts.next().is_none(),
        }
    }
    false
}

/// Check the site with the new text in place of the file, write it if it has no
/// errors (keeping the old text in the history), and say what changed.
fn commit(
    at: Place,
    target: &Target,
    rel: &Path,
    old: Option<&str>,
    edited: &Edited,
) -> Result<Saved, EditError> {
    let new = edited.text.as_str();
    if old == Some(new) {
        return Ok(Saved {
            diff: String::new(),
            warnings: Vec::new(),
            version: version_of(new.as_bytes()),
            elsewhere: Vec::new(),
            moved: None,
        });
    }
    let (errors, warnings, elsewhere) = problems(at, target.kind, rel, edited);
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    let root = at.root;
    let path = path_of(root, target)?;
    match old {
        Some(old) => {
            // Someone may have saved the file while the site was being checked.
            if files::read(&path)? != old {
                return Err(EditError::Changed);
            }
            history::keep(root, target, old)?;
        }
        None if path.exists() => return Err(EditError::Exists),
        None => {}
    }
    write_atomically(&path, new)?;
    Ok(Saved {
        diff: diff(rel, old.unwrap_or(""), new),
        warnings,
        version: version_of(new.as_bytes()),
        elsewhere,
        moved: old
            .map(|old| (slug_in(target, old), slug_in(target, new)))
            .filter(|(before, after)| before != after),
    })
}

/// The web address name a record's text gives it: its `slug`, or else its file name.
fn slug_in(target: &Target, text: &str) -> String {
    Parts::split(target.kind, text)
        .ok()
        .and_then(|p| p.toml.parse::<toml::Table>().ok())
        .and_then(|t| t.get("slug")?.as_str().map(str::to_string))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| target.slug.clone())
}

/// A unified diff of the file, one line of context.
fn diff(rel: &Path, old: &str, new: &str) -> String {
    let name = rel.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&name, &name)
        .to_string()
}

/// The errors and warnings `check` finds in the file when it holds `text`, each beside
/// its form field where it has one, and the errors in other files.
fn problems(
    at: Place,
    kind: Kind,
    rel: &Path,
    edited: &Edited,
) -> (Vec<FieldProblem>, Vec<FieldProblem>, Vec<String>) {
    let text = edited.text.as_str();
    let overlay = Overlay { file: rel, text };
    let checked = check_over(at.root, &options(), at.cache, Some(overlay));
    let parts = Parts::split(kind, text).ok();
    let (places, body_start) = match &parts {
        Some(p) => (
            locate::Places::of(describe(kind).fields, &p.toml, p.toml_offset()),
            p.body_offset(),
        ),
        None => (locate::Places::default(), usize::MAX),
    };
    let keys_of = |name: &str| {
        let path: Vec<&str> = name
            .split('.')
            .filter(|s| !s.is_empty() && s.parse::<usize>().is_err())
            .collect();
        let fields = schema::fields_at(kind, &path)?;
        Some(fields.iter().map(|f| f.key).collect())
    };
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for d in checked.diagnostics.iter().filter(|d| d.file == rel) {
        let at = d.span.as_ref().map(|s| s.start);
        let field = match at {
            Some(a) if a >= body_start && describe(kind).has_body => Some("body".to_string()),
            _ => locate::field_for(&places, keys_of, at, &d.message)
                .map(|name| edited.form.form_name(&name)),
        };
        let problem = FieldProblem {
            field,
            message: d.message.clone(),
            hint: d.hint.clone(),
        };
        match d.severity {
            Severity::Error => errors.push(problem),
            Severity::Warning => warnings.push(problem),
        }
    }
    let elsewhere = checked
        .diagnostics
        .iter()
        .filter(|d| d.file != rel && d.severity == Severity::Error)
        .map(|d| locate::located(&checked.sources, d))
        .collect();
    (errors, warnings, elsewhere)
}
