//! Checks of cluster records (`content/clusters/*.toml`), building each [`Cluster`] of
//! the site: slugs unique across clusters, dates, news updates and meetings, and the
//! Markdown of the summary and of each update. Messages: "two clusters have the slug
//! ...", "`meetings.time` ... is not a time", plus those of [`super::fields`],
//! [`super::schools`], [`super::offer`] and [`super::contacts`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::content::load::Record;
use crate::content::markdown;
use crate::content::model::{ClusterRecord, Meeting, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::routes;
use crate::site::{Cluster, MeetingEntry, UpdateEntry};

use super::fields::{check_date, check_reopens, check_slug, is_clock_time, span_of};
use super::links::MarkdownUse;
use super::schools::SchoolOwners;
use super::{contacts, offer, schools};

/// Where a slug was first used: the file, and its `slug` value's place if it has one.
type FirstUse = (PathBuf, Option<Range<usize>>);

/// Check every cluster record; the clusters that pass are keyed by slug. Each record
/// moves into its cluster (10,000 records are not held twice).
pub(super) fn check_clusters(
    records: Vec<Record<ClusterRecord>>,
    categories: &[&str],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> BTreeMap<String, Cluster> {
    let mut out: BTreeMap<String, Cluster> = BTreeMap::new();
    let mut first_use: HashMap<String, FirstUse> = HashMap::new();
    let mut school_owner = SchoolOwners::new();

    for rec in records {
        check_slug(&rec.file, &rec.slug, rec.data.slug.as_ref(), diags);
        if let Some(first) = first_use.get(&rec.slug) {
            report_duplicate_slug(&rec, first, diags);
            continue;
        }
        let span = rec.data.slug.as_ref().map(Text::span);
        first_use.insert(rec.slug.clone(), (rec.file.clone(), span));
        let slug = rec.slug.clone();
        if let Some(cluster) = check_cluster(rec, categories, &mut school_owner, diags, md_uses) {
            out.insert(slug, cluster);
        }
    }
    out
}

fn report_duplicate_slug(rec: &Record<ClusterRecord>, first: &FirstUse, diags: &mut Diagnostics) {
    let mut d = Diagnostic::error(
        &rec.file,
        rec.data.slug.as_ref().and_then(span_of),
        format!("two clusters have the slug \"{}\"", rec.slug),
    )
    .with_hint(format!(
        "{} already uses it; give this cluster a different `slug` or file name",
        first.0.display()
    ));
    if let Some(span) = &first.1 {
        d = d.with_note(&first.0, span.clone(), "first used here");
    }
    diags.push(d);
}

/// Check one cluster record and build its [`Cluster`]; `None` when its `last_reviewed`
/// is not a date (the problem is reported).
fn check_cluster(
    rec: Record<ClusterRecord>,
    categories: &[&str],
    school_owner: &mut SchoolOwners,
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> Option<Cluster> {
    let file = &rec.file;
    let r = &rec.data;
    let last_reviewed = check_date(file, "last_reviewed", &r.last_reviewed, diags);
    let reopens = check_reopens(file, r.status, r.reopens.as_ref(), diags);
    let offer_dates = offer::check_offer_dates(&rec, diags);
    schools::check_schools(&rec, school_owner, diags);
    offer::check_offer(&rec, categories, diags);
    offer::check_funding(&rec, diags);
    contacts::check_cluster_contacts(&rec, diags);

    let page_url = routes::cluster(&rec.slug);
    // The summary and the news are shown on one page: their headings share its ids.
    let mut ids = markdown::PageIds::default();
    let mut page = TextPage {
        file,
        url: &page_url,
        ids: &mut ids,
    };
    let summary_html = r
        .summary
        .as_ref()
        .map(|s| render_text(&mut page, s, 2, md_uses));
    let updates = check_updates(&rec, &mut page, diags, md_uses);
    let meetings = check_meetings(file, &r.meetings, diags);

    Some(Cluster {
        slug: rec.slug,
        file: rec.file,
        record: rec.data,
        last_reviewed: last_reviewed?,
        summary_html,
        updates,
        meetings,
        reopens,
        offer_dates,
        source: rec.source,
    })
}

/// The page a record's Markdown texts are shown on: the record's file, the page's
/// address and the ids its headings have taken.
struct TextPage<'a> {
    file: &'a Path,
    url: &'a str,
    ids: &'a mut markdown::PageIds,
}

/// Render the Markdown held in a TOML string of the record (headings from
/// `top_level`), remembering it for the link checks.
fn render_text(
    page: &mut TextPage,
    s: &Text,
    top_level: u8,
    md_uses: &mut Vec<MarkdownUse>,
) -> String {
    let mut rendered = markdown::render_on_page(s.get_ref(), top_level, page.ids);
    let html = std::mem::take(&mut rendered.html);
    md_uses.push(MarkdownUse {
        file: page.file.to_path_buf(),
        offset: string_content_start(s),
        page_url: page.url.to_string(),
        rendered,
    });
    html
}

/// Byte offset of a TOML string's content: after the opening quote(s).
fn string_content_start(s: &Text) -> usize {
    let span = s.span();
    // `"`, `'` or a triple-quoted string: the span includes the quotes. A multi-line
    // string also skips a newline straight after its opening quotes; that shift of one
    // line is accepted in exchange for not re-reading the file here.
    let len = span.end - span.start;
    let content_len = s.get_ref().len();
    let quote = (len.saturating_sub(content_len)) / 2;
    span.start + quote.min(3)
}

/// The news updates with a valid date, newest first, their bodies rendered.
fn check_updates(
    rec: &Record<ClusterRecord>,
    page: &mut TextPage,
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> Vec<UpdateEntry> {
    let file = &rec.file;
    let mut updates = Vec::new();
    for u in &rec.data.updates {
        let date = check_date(file, "updates.date", &u.date, diags);
        let body_html = u.body.as_ref().map(|b| render_text(page, b, 4, md_uses));
        if let Some(date) = date {
            updates.push(UpdateEntry {
                date,
                title: u.title.clone(),
                body_html,
            });
        }
    }
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
    updates
}

/// The meetings with a valid date, soonest first; each start time must be a clock time.
fn check_meetings(file: &Path, list: &[Meeting], diags: &mut Diagnostics) -> Vec<MeetingEntry> {
    let mut meetings = Vec::new();
    for m in list {
        let date = check_date(file, "meetings.date", &m.date, diags);
        if let Some(t) = &m.time {
            check_meeting_time(file, t, diags);
        }
        if let Some(date) = date {
            meetings.push(MeetingEntry {
                date,
                title: m.title.clone(),
                time: m.time.as_ref().map(|t| t.get_ref().clone()),
                place: m.place.clone(),
                public: m.public,
            });
        }
    }
    meetings.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.time.cmp(&b.time)));
    meetings
}

fn check_meeting_time(file: &Path, t: &Text, diags: &mut Diagnostics) {
    if !is_clock_time(t.get_ref()) {
        diags.push(
            Diagnostic::error(
                file,
                span_of(t),
                format!("`meetings.time` \"{}\" is not a time", t.get_ref()),
            )
            .with_hint("write the start time on the 24-hour clock, like 09:30 or 16:00"),
        );
    }
}
