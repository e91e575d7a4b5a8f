//! Stage 2: check the loaded content and build the [`Site`] model.
//!
//! Each rule adds diagnostics and carries on, so one run reports every problem. Rules
//! that need a place in a file use the spans kept by the loader.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::contact::{check_email, check_web_url, UkPhone};
use crate::content::load::{Document, Loaded, Record};
use crate::content::markdown::{self, Rendered};
use crate::content::model::{ClusterRecord, DateValue, PartialDate, Status, Text};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::routes;
use crate::site::{
    Cluster, ExternalLink, Guide, InternalLink, MeetingEntry, OfferDates, Page, Site, UpdateEntry,
};
use crate::text::{is_valid_slug, name_key, slugify};
use toml::Spanned;

/// Markdown rendered during validation, remembered with its file and offset so that
/// its links can be checked once every page's address is known.
struct MarkdownUse {
    file: PathBuf,
    offset: usize,
    page_url: String,
    rendered: Rendered,
}

/// Check everything and build the site model. Returns the model even when there are
/// errors (so `check` can report them all); callers must not write output then.
pub fn validate(
    mut loaded: Loaded,
    options: &crate::check::Options,
    diags: &mut Diagnostics,
) -> Site {
    if !options.drafts {
        loaded.clusters.retain(|c| !c.data.draft);
        loaded.guides.retain(|g| !g.front.draft);
        loaded.pages.retain(|p| !p.front.draft);
    }
    let mut md_uses = Vec::new();
    check_config(&loaded, diags);
    let categories = loaded.config.categories.clone();
    let category_slugs: Vec<&str> = categories
        .iter()
        .map(|c| c.slug.get_ref().as_str())
        .collect();

    let clusters = check_clusters(&loaded.clusters, &category_slugs, diags, &mut md_uses);
    let guides = check_guides(&loaded.guides, diags, &mut md_uses);
    let pages = check_pages(&loaded.pages, diags, &mut md_uses);

    let mut site = Site {
        today: options.today,
        drafts: options.drafts,
        links: Vec::new(),
        external_links: Vec::new(),
        config: loaded.config,
        categories,
        clusters,
        guides,
        pages,
    };
    let addresses: HashSet<String> = routes::addresses(&site)
        .into_iter()
        .map(|a| a.url)
        .collect();
    for u in &md_uses {
        for p in &u.rendered.problems {
            diags.push(
                Diagnostic::error(
                    &u.file,
                    Some(p.span.start + u.offset..p.span.end + u.offset),
                    &p.message,
                )
                .with_hint(&p.hint),
            );
        }
        for link in &u.rendered.links {
            let span = link.span.start + u.offset..link.span.end + u.offset;
            match check_link(&link.url, &u.page_url, &addresses) {
                Err((msg, hint)) => {
                    diags.push(Diagnostic::error(&u.file, Some(span), msg).with_hint(hint))
                }
                Ok(Some(target)) => site.links.push(InternalLink {
                    file: u.file.clone(),
                    span,
                    target,
                    fragment: link
                        .url
                        .split_once('#')
                        .map(|(_, f)| f.to_string())
                        .filter(|f| !f.is_empty()),
                }),
                Ok(None) if link.url.starts_with("https://") || link.url.starts_with("http://") => {
                    site.external_links.push(ExternalLink {
                        file: u.file.clone(),
                        span,
                        url: link.url.clone(),
                    })
                }
                Ok(None) => {}
            }
        }
    }
    site
}

// ---------------------------------------------------------------------------------------
// Values

fn span_of<T>(v: &Spanned<T>) -> Option<std::ops::Range<usize>> {
    Some(v.span())
}

fn check_phone(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    if let Err(e) = UkPhone::parse(v.get_ref()) {
        diags.push(
            Diagnostic::error(
                file,
                span_of(v),
                format!("`{field}` is not a UK phone number: {e}"),
            )
            .with_hint("write a UK number with its area code, like 0113 378 5254 or 07900 741214"),
        );
    }
}

fn check_email_field(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    if let Err(e) = check_email(v.get_ref()) {
        diags.push(
            Diagnostic::error(file, span_of(v), format!("`{field}`: {e}"))
                .with_hint("an email address looks like name@leeds.gov.uk"),
        );
    }
}

fn check_url_field(file: &Path, field: &str, v: &Text, diags: &mut Diagnostics) {
    if let Err(e) = check_web_url(v.get_ref()) {
        diags.push(
            Diagnostic::error(file, span_of(v), format!("`{field}`: {e}"))
                .with_hint("copy the full address from the browser's address bar"),
        );
    }
}

fn check_date(
    file: &Path,
    field: &str,
    v: &Spanned<DateValue>,
    diags: &mut Diagnostics,
) -> Option<PartialDate> {
    match v.get_ref().parse() {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(file, span_of(v), format!("`{field}`: {e}")).with_hint(
                    "write dates as year-month-day, like 2025-01-31, or year-month, like 2025-01",
                ),
            );
            None
        }
    }
}

fn check_slug(file: &Path, slug: &str, explicit: Option<&Text>, diags: &mut Diagnostics) {
    if !is_valid_slug(slug) {
        let suggestion = slugify(slug);
        let d = match explicit {
            Some(s) => Diagnostic::error(file, span_of(s), format!("`slug` \"{slug}\" may use only a-z, 0-9 and single hyphens")),
            None => Diagnostic::error(file, None, format!("the file name \"{slug}\" is used as the page address, and may use only a-z, 0-9 and single hyphens")),
        };
        diags.push(if suggestion.is_empty() {
            d
        } else {
            d.with_hint(format!("use \"{}\"", ascii_slug(&suggestion)))
        });
    }
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

// ---------------------------------------------------------------------------------------
// site.toml

fn check_config(loaded: &Loaded, diags: &mut Diagnostics) {
    let file = &loaded.config_file;
    let c = &loaded.config;
    if let Some(p) = &c.contact.phone {
        check_phone(file, "contact.phone", p, diags);
    }
    if let Some(e) = &c.contact.email {
        check_email_field(file, "contact.email", e, diags);
    }
    if let Some(u) = &c.contact.url {
        check_url_field(file, "contact.url", u, diags);
    }
    if let Some(u) = &c.base_url {
        check_url_field(file, "base_url", u, diags);
    }
    if let Some(u) = &c.quick_exit_url {
        check_url_field(file, "quick_exit_url", u, diags);
    }
    if c.contact.phone.is_none() && c.contact.email.is_none() && c.contact.url.is_none() {
        diags.push(
            Diagnostic::error(
                file,
                None,
                "the city-wide `contact` has no phone, email or url",
            )
            .with_hint("every page falls back to this contact, so give at least a phone number"),
        );
    }
    let mut seen: HashMap<&str, &Text> = HashMap::new();
    for cat in &c.categories {
        let slug = cat.slug.get_ref().as_str();
        if !is_valid_slug(slug) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&cat.slug),
                    format!("category slug \"{slug}\" may use only a-z, 0-9 and single hyphens"),
                )
                .with_hint(format!("use \"{}\"", ascii_slug(&slugify(slug)))),
            );
        }
        if let Some(first) = seen.insert(slug, &cat.slug) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&cat.slug),
                    format!("category \"{slug}\" is defined twice"),
                )
                .with_note(file, first.span(), "first defined here")
                .with_hint("give each category its own slug"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Clusters

fn check_clusters(
    records: &[Record<ClusterRecord>],
    categories: &[&str],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> BTreeMap<String, Cluster> {
    let mut out: BTreeMap<String, Cluster> = BTreeMap::new();
    let mut first_file: HashMap<String, &Record<ClusterRecord>> = HashMap::new();
    // name key -> (file, span, cluster slug)
    let mut school_owner: HashMap<String, (PathBuf, std::ops::Range<usize>, String)> =
        HashMap::new();

    for rec in records {
        let file = &rec.file;
        let r = &rec.data;
        check_slug(file, &rec.slug, r.slug.as_ref(), diags);
        if let Some(first) = first_file.get(&rec.slug) {
            let mut d = Diagnostic::error(
                file,
                r.slug.as_ref().and_then(span_of),
                format!("two clusters have the slug \"{}\"", rec.slug),
            )
            .with_hint(format!(
                "{} already uses it; give this cluster a different `slug` or file name",
                first.file.display()
            ));
            if let Some(s) = &first.data.slug {
                d = d.with_note(&first.file, s.span(), "first used here");
            }
            diags.push(d);
            continue;
        }
        first_file.insert(rec.slug.clone(), rec);

        let last_reviewed = check_date(file, "last_reviewed", &r.last_reviewed, diags);
        let reopens = check_reopens(file, r.status, r.reopens.as_ref(), diags);
        let offer_dates = r
            .offer
            .iter()
            .map(|o| OfferDates {
                last_reviewed: o
                    .last_reviewed
                    .as_ref()
                    .and_then(|d| check_date(file, "offer.last_reviewed", d, diags)),
                reopens: check_reopens(file, o.status, o.reopens.as_ref(), diags),
            })
            .collect();
        check_schools(rec, &mut school_owner, diags);
        check_offer(rec, categories, diags);
        check_cluster_contacts(rec, diags);

        let page_url = routes::cluster(&rec.slug);
        let mut summary_html = None;
        if let Some(s) = &r.summary {
            let rendered = markdown::render(s.get_ref(), 2);
            summary_html = Some(rendered.html.clone());
            md_uses.push(MarkdownUse {
                file: file.clone(),
                offset: string_content_start(s),
                page_url: page_url.clone(),
                rendered,
            });
        }
        let mut updates = Vec::new();
        for u in &r.updates {
            let date = check_date(file, "updates.date", &u.date, diags);
            let body_html = u.body.as_ref().map(|b| {
                let rendered = markdown::render(b.get_ref(), 4);
                let html = rendered.html.clone();
                md_uses.push(MarkdownUse {
                    file: file.clone(),
                    offset: string_content_start(b),
                    page_url: page_url.clone(),
                    rendered,
                });
                html
            });
            if let Some(date) = date {
                updates.push(UpdateEntry {
                    date,
                    title: u.title.clone(),
                    body_html,
                });
            }
        }
        updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        let mut meetings = Vec::new();
        for m in &r.meetings {
            let date = check_date(file, "meetings.date", &m.date, diags);
            if let Some(t) = &m.time {
                if !is_clock_time(t.get_ref()) {
                    diags.push(
                        Diagnostic::error(
                            file,
                            span_of(t),
                            format!("`meetings.time` \"{}\" is not a time", t.get_ref()),
                        )
                        .with_hint(
                            "write the start time on the 24-hour clock, like 09:30 or 16:00",
                        ),
                    );
                }
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

        if let Some(last_reviewed) = last_reviewed {
            out.insert(
                rec.slug.clone(),
                Cluster {
                    slug: rec.slug.clone(),
                    file: file.clone(),
                    record: r.clone(),
                    last_reviewed,
                    summary_html,
                    updates,
                    meetings,
                    reopens,
                    offer_dates,
                },
            );
        }
    }
    out
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

fn is_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

fn check_schools(
    rec: &Record<ClusterRecord>,
    owner: &mut HashMap<String, (PathBuf, std::ops::Range<usize>, String)>,
    diags: &mut Diagnostics,
) {
    let names = rec.data.schools.iter().map(|s| (&s.name, "school")).chain(
        rec.data
            .children_centres
            .iter()
            .map(|c| (&c.name, "children's centre")),
    );
    for (name, kind) in names {
        let key = name_key(name.get_ref());
        if key.is_empty() {
            diags.push(
                Diagnostic::error(
                    &rec.file,
                    span_of(name),
                    format!("a {kind} has an empty name"),
                )
                .with_hint("write the name the way families know it"),
            );
            continue;
        }
        let key = format!("{kind}:{key}");
        match owner.get(&key) {
            Some((file, span, cluster)) if *cluster == rec.slug => {
                diags.push(
                    Diagnostic::error(
                        &rec.file,
                        span_of(name),
                        format!(
                            "the {kind} \"{}\" is listed twice in this cluster",
                            name.get_ref()
                        ),
                    )
                    .with_note(file, span.clone(), "first listed here")
                    .with_hint("remove one of the two entries"),
                );
            }
            Some((file, span, cluster)) => {
                diags.push(
                    Diagnostic::error(
                        &rec.file,
                        span_of(name),
                        format!("the {kind} \"{}\" is also listed in the cluster \"{cluster}\"", name.get_ref()),
                    )
                    .with_note(file, span.clone(), "listed here too")
                    .with_hint(format!("a {kind} belongs to one cluster: remove it from the record it no longer belongs to")),
                );
            }
            None => {
                owner.insert(key, (rec.file.clone(), name.span(), rec.slug.clone()));
            }
        }
    }
}

fn check_offer(rec: &Record<ClusterRecord>, categories: &[&str], diags: &mut Diagnostics) {
    for item in &rec.data.offer {
        let cat = item.category.get_ref();
        if !categories.contains(&cat.as_str()) {
            let hint = match did_you_mean(cat, categories.iter().copied()) {
                Some(best) => {
                    format!("did you mean \"{best}\"? Categories are listed in content/site.toml")
                }
                None => format!(
                    "use one of the categories in content/site.toml: {}",
                    categories.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    &rec.file,
                    span_of(&item.category),
                    format!("unknown category \"{cat}\" for \"{}\"", item.service),
                )
                .with_hint(hint),
            );
        }
        if let Some(a) = item.ages {
            if a.min > a.max {
                diags.push(
                    Diagnostic::error(
                        &rec.file,
                        None,
                        format!(
                            "\"{}\" has ages from {} to {}: the lower age is above the upper",
                            item.service, a.min, a.max
                        ),
                    )
                    .with_hint("write `ages = { min = 4, max = 16 }` with min no larger than max"),
                );
            }
        }
        if let Some(c) = &item.cost {
            if !(c.amount.is_finite() && c.amount >= 0.0) {
                diags.push(
                    Diagnostic::error(
                        &rec.file,
                        None,
                        format!(
                            "\"{}\" has a cost that is not a positive amount",
                            item.service
                        ),
                    )
                    .with_hint("write the amount in pounds, like 285.12"),
                );
            }
        }
    }
}

/// A reopening date only makes sense for something temporarily closed.
fn check_reopens(
    file: &Path,
    status: Option<Status>,
    reopens: Option<&Spanned<DateValue>>,
    diags: &mut Diagnostics,
) -> Option<PartialDate> {
    let d = reopens?;
    let date = check_date(file, "reopens", d, diags);
    if status != Some(Status::TemporarilyClosed) {
        diags.push(
            Diagnostic::error(
                file,
                span_of(d),
                "`reopens` is set, but `status` is not \"temporarily-closed\"",
            )
            .with_hint("add `status = \"temporarily-closed\"`, or remove `reopens`"),
        );
    }
    date
}

/// Numbers that are not charged at a local rate: callers should be told the cost.
fn is_premium_or_non_geographic(phone: &UkPhone) -> bool {
    let d = phone.digits();
    ["084", "087", "09", "070", "118"]
        .iter()
        .any(|p| d.starts_with(p))
}

fn check_cluster_contacts(rec: &Record<ClusterRecord>, diags: &mut Diagnostics) {
    let file = &rec.file;
    if let Some(h) = &rec.data.help {
        if let Some(p) = &h.phone {
            check_phone(file, "help.phone", p, diags);
            if let Ok(phone) = UkPhone::parse(p.get_ref()) {
                if is_premium_or_non_geographic(&phone) && h.call_cost.is_none() {
                    diags.push(
                        Diagnostic::warning(file, span_of(p), format!("{} is not charged at a local rate, and `help.call_cost` is not set", phone.display()))
                            .with_hint("add `call_cost = \"...\"` saying what a call costs, so families are not surprised"),
                    );
                }
            }
        }
        for o in &h.opening_hours {
            for (field, t) in [
                ("opening_hours.opens", &o.opens),
                ("opening_hours.closes", &o.closes),
            ] {
                if !is_clock_time(t.get_ref()) {
                    diags.push(
                        Diagnostic::error(
                            file,
                            span_of(t),
                            format!("`{field}` \"{}\" is not a time", t.get_ref()),
                        )
                        .with_hint("write times on the 24-hour clock, like 09:00 or 17:30"),
                    );
                }
            }
            if is_clock_time(o.opens.get_ref())
                && is_clock_time(o.closes.get_ref())
                && o.opens.get_ref() >= o.closes.get_ref()
            {
                diags.push(
                    Diagnostic::error(
                        file,
                        span_of(&o.closes),
                        format!(
                            "closes at {} but opens at {}",
                            o.closes.get_ref(),
                            o.opens.get_ref()
                        ),
                    )
                    .with_hint("the closing time comes after the opening time"),
                );
            }
        }
        if let Some(e) = &h.email {
            check_email_field(file, "help.email", e, diags);
        }
        if let Some(u) = &h.request_form_url {
            check_url_field(file, "help.request_form_url", u, diags);
        }
    }
    for c in &rec.data.contacts {
        if let Some(p) = &c.phone {
            check_phone(file, "contacts.phone", p, diags);
        }
        if let Some(p) = &c.mobile {
            check_phone(file, "contacts.mobile", p, diags);
        }
        if let Some(e) = &c.email {
            check_email_field(file, "contacts.email", e, diags);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Guides and pages

fn check_unique_slug<'a, T>(
    doc: &'a Document<T>,
    explicit: Option<&Text>,
    seen: &mut HashMap<String, &'a Document<T>>,
    what: &str,
    diags: &mut Diagnostics,
) -> bool {
    check_slug(&doc.file, &doc.slug, explicit, diags);
    if let Some(first) = seen.get(&doc.slug) {
        diags.push(
            Diagnostic::error(
                &doc.file,
                explicit.and_then(span_of),
                format!("two {what}s have the slug \"{}\"", doc.slug),
            )
            .with_hint(format!(
                "{} already uses it; rename one file or set a different `slug`",
                first.file.display()
            )),
        );
        return false;
    }
    seen.insert(doc.slug.clone(), doc);
    true
}

/// The Markdown of every document, rendered in parallel (headings from level 2).
fn render_all<F: Sync>(docs: &[Document<F>]) -> Vec<Rendered> {
    use rayon::prelude::*;
    docs.par_iter()
        .map(|d| markdown::render(&d.body, 2))
        .collect()
}

fn check_guides(
    docs: &[Document<crate::content::model::GuideFrontMatter>],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> BTreeMap<String, Guide> {
    let mut seen = HashMap::new();
    let mut out = BTreeMap::new();
    for (doc, rendered) in docs.iter().zip(render_all(docs)) {
        if !check_unique_slug(doc, doc.front.slug.as_ref(), &mut seen, "guide", diags) {
            continue;
        }
        let edition = check_date(&doc.file, "edition", &doc.front.edition, diags);
        let guide = Guide {
            slug: doc.slug.clone(),
            file: doc.file.clone(),
            front: doc.front.clone(),
            edition: edition.unwrap_or(PartialDate {
                year: 1970,
                month: 1,
                day: None,
            }),
            html: rendered.html.clone(),
            headings: rendered.headings.clone(),
            text: rendered.text.clone(),
            replaced_by: None,
        };
        md_uses.push(MarkdownUse {
            file: doc.file.clone(),
            offset: doc.body_offset,
            page_url: routes::guide(&doc.slug),
            rendered,
        });
        out.insert(doc.slug.clone(), guide);
    }
    link_editions(&mut out, diags);
    out
}

/// Connect each guide to the edition that replaces it, and check the chain of editions.
fn link_editions(guides: &mut BTreeMap<String, Guide>, diags: &mut Diagnostics) {
    let mut replaced_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in guides.values() {
        let Some(target) = &g.front.replaces else {
            continue;
        };
        let t = target.get_ref();
        let span = span_of(target);
        if t == &g.slug {
            diags.push(
                Diagnostic::error(&g.file, span, "this guide says it replaces itself")
                    .with_hint("`replaces` names the slug of the earlier edition"),
            );
        } else if let Some(old) = guides.get(t) {
            if old.front.number != g.front.number {
                diags.push(
                    Diagnostic::error(
                        &g.file,
                        span,
                        format!(
                            "this is guide No. {} but it replaces \"{t}\", which is guide No. {}",
                            g.front.number, old.front.number
                        ),
                    )
                    .with_hint("an edition replaces an earlier edition of the same guide number"),
                );
            }
            replaced_by
                .entry(t.clone())
                .or_default()
                .push(g.slug.clone());
        } else {
            let hint = match did_you_mean(t, guides.keys().map(String::as_str)) {
                Some(best) => format!("did you mean \"{best}\"? `replaces` names another guide's slug (its file name without .md)"),
                None => "`replaces` names another guide's slug (its file name without .md)".to_string(),
            };
            diags.push(
                Diagnostic::error(
                    &g.file,
                    span,
                    format!("this guide replaces \"{t}\", but there is no guide with that slug"),
                )
                .with_hint(hint),
            );
        }
    }
    for (old, newer) in replaced_by {
        if newer.len() > 1 {
            let g = &guides[&newer[1]];
            diags.push(
                Diagnostic::error(&g.file, g.front.replaces.as_ref().and_then(span_of), format!("both \"{}\" and \"{}\" say they replace \"{old}\"", newer[0], newer[1]))
                    .with_hint("only the next edition replaces an edition; make the newest replace the one before it"),
            );
        }
        if let Some(g) = guides.get_mut(&old) {
            g.replaced_by = newer.first().cloned();
        }
    }
    // Two current editions of one guide number: one of them should replace the other.
    let mut current: BTreeMap<u32, &Guide> = BTreeMap::new();
    for g in guides.values().filter(|g| g.replaced_by.is_none()) {
        if let Some(first) = current.insert(g.front.number, g) {
            diags.push(
                Diagnostic::error(&g.file, None, format!("guide No. {} has two current editions: \"{}\" and \"{}\"", g.front.number, first.slug, g.slug))
                    .with_hint("add `replaces = \"<slug of the older edition>\"` to the newer edition's front matter"),
            );
        }
    }
    // A cycle (a replaces b replaces a) would leave no current edition.
    for start in guides.keys() {
        let mut seen = HashSet::new();
        let mut at = start.clone();
        while let Some(next) = guides.get(&at).and_then(|g| g.replaced_by.clone()) {
            if !seen.insert(at.clone()) {
                let g = &guides[start];
                diags.push(Diagnostic::error(&g.file, g.front.replaces.as_ref().and_then(span_of), "the editions of this guide replace each other in a circle").with_hint("the newest edition replaces the one before it; the oldest replaces nothing"));
                break;
            }
            at = next;
        }
    }
}

fn check_pages(
    docs: &[Document<crate::content::model::PageFrontMatter>],
    diags: &mut Diagnostics,
    md_uses: &mut Vec<MarkdownUse>,
) -> BTreeMap<String, Page> {
    let mut seen = HashMap::new();
    let mut out = BTreeMap::new();
    for (doc, rendered) in docs.iter().zip(render_all(docs)) {
        if !check_unique_slug(doc, doc.front.slug.as_ref(), &mut seen, "page", diags) {
            continue;
        }
        let reserved = routes::reserved_slugs();
        if reserved.contains(&doc.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    &doc.file,
                    doc.front.slug.as_ref().and_then(span_of),
                    format!("the address /{}/ is used by the site itself", doc.slug),
                )
                .with_hint(format!(
                    "choose another file name or `slug`; these are taken: {}",
                    reserved.join(", ")
                )),
            );
            continue;
        }
        out.insert(
            doc.slug.clone(),
            Page {
                slug: doc.slug.clone(),
                file: doc.file.clone(),
                front: doc.front.clone(),
                html: rendered.html.clone(),
                headings: rendered.headings.clone(),
                text: rendered.text.clone(),
            },
        );
        md_uses.push(MarkdownUse {
            file: doc.file.clone(),
            offset: doc.body_offset,
            page_url: routes::page(&doc.slug),
            rendered,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Links

/// Check one link from a page at `from`: internal links must reach a page of the site;
/// `mailto:` and `tel:` must hold an email or a UK number; others must be web addresses.
/// Returns the page an internal link goes to (for anchor checks after rendering).
fn check_link(
    url: &str,
    from: &str,
    routes: &HashSet<String>,
) -> Result<Option<String>, (String, String)> {
    let url = url.trim();
    // Script and data addresses are reported once, by the Markdown renderer.
    if url.is_empty() || crate::content::markdown::is_dangerous_url(url) {
        return Ok(None);
    }
    if url.starts_with('#') {
        return Ok(Some(from.to_string()));
    }
    if let Some(addr) = url.strip_prefix("mailto:") {
        return check_email(addr.split('?').next().unwrap_or(""))
            .map(|_| None)
            .map_err(|e| {
                (
                    format!("this mailto: link is broken: {e}"),
                    "write it like mailto:name@leeds.gov.uk".into(),
                )
            });
    }
    if let Some(num) = url.strip_prefix("tel:") {
        return UkPhone::parse(num).map(|_| None).map_err(|e| {
            (
                format!("this tel: link is broken: {e}"),
                "write it like tel:01133785254".into(),
            )
        });
    }
    let has_scheme = url
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    if has_scheme || url.starts_with("//") {
        return check_web_url(url).map(|_| None).map_err(|e| {
            (
                format!("this link is broken: {e}"),
                "links go to pages of this site (/guides/...), https:// addresses, mailto: or tel:"
                    .into(),
            )
        });
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    let resolved = resolve(from, path);
    let candidates = [
        resolved.clone(),
        format!("{}/", resolved.trim_end_matches('/')),
        resolved.trim_end_matches("index.html").to_string(),
    ];
    if let Some(found) = candidates.iter().find(|c| routes.contains(*c)) {
        return Ok(Some(found.clone()));
    }
    let mut known: Vec<&str> = routes.iter().map(String::as_str).collect();
    known.sort_unstable();
    let hint = match did_you_mean(&resolved, known.iter().copied()) {
        Some(best) => format!("did you mean {best}?"),
        None => {
            "check the address against the site's pages (for a guide: /guides/<file name>/)".into()
        }
    };
    Err((
        format!("this link goes to {resolved}, which is not a page of this site"),
        hint,
    ))
}

/// Resolve a relative path against the page's own address.
fn resolve(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.is_empty();
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes_of(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn internal_links_resolve_with_or_without_trailing_slash() {
        let r = routes_of(&["/", "/guides/cluster-working/", "/about/"]);
        assert!(check_link("/guides/cluster-working/", "/about/", &r).is_ok());
        assert!(check_link("/guides/cluster-working", "/about/", &r).is_ok());
        assert!(check_link("/guides/cluster-working/#how", "/about/", &r).is_ok());
        assert!(check_link("../guides/cluster-working/", "/about/", &r).is_ok());
        assert!(check_link("#top", "/about/", &r).is_ok());
        let (msg, hint) = check_link("/guides/cluster-workin/", "/about/", &r).unwrap_err();
        assert!(
            msg.contains("/guides/cluster-workin/, which is not a page"),
            "{msg}"
        );
        assert_eq!(hint, "did you mean /guides/cluster-working/?");
    }

    #[test]
    fn scheme_links_are_checked() {
        let r = routes_of(&["/"]);
        assert!(check_link("mailto:Schoolwellbeing@leeds.gov.uk", "/", &r).is_ok());
        assert!(check_link("tel:0113 378 5254", "/", &r).is_ok());
        assert!(check_link("https://www.leeds.gov.uk/", "/", &r).is_ok());
        assert!(check_link("tel:12", "/", &r)
            .unwrap_err()
            .0
            .contains("tel: link is broken"));
        assert!(check_link("mailto:nobody", "/", &r)
            .unwrap_err()
            .0
            .contains("mailto: link is broken"));
        assert!(check_link("ftp://x.org/", "/", &r).is_err());
    }

    #[test]
    fn relative_paths_resolve() {
        assert_eq!(resolve("/guides/a/", "../b/"), "/guides/b/");
        assert_eq!(resolve("/guides/a/", "/x"), "/x");
        assert_eq!(resolve("/", "about/"), "/about/");
    }

    #[test]
    fn clock_times() {
        assert!(is_clock_time("09:30"));
        assert!(is_clock_time("23:59"));
        assert!(!is_clock_time("24:00"));
        assert!(!is_clock_time("9:30"));
        assert!(!is_clock_time("half nine"));
    }
}
