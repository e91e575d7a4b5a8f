//! The driver: load (`content`) -> check -> the site model -> pages and data files side
//! by side -> the data page -> after-render checks (anchors, review dates, external
//! links) -> write (`output`), with the time of each stage.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::check::validate;
pub use crate::check::Options;
use crate::content::load::{load_content_cached, Overlay};
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::output::atomic::{write_atomically, Staging};
use crate::output::guard::{self, Claim};
use crate::output::Output;
use crate::pages::theme::Theme;
use crate::pages::{RenderCache, Templates};
use crate::site::Site;

/// What a run found: the model (if content could be read), every problem, and the
/// source text needed to show where the problems are.
pub struct Checked {
    pub site: Option<Site>,
    pub rendered: Option<Output>,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
    pub timings: Timings,
    /// False only when writing failed part-way and the output folder may hold part of
    /// the old site and part of the new one.
    pub output_untouched: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub validate: Duration,
    /// Reading and compiling the templates (part of `render`).
    pub templates: Duration,
    pub render: Duration,
    /// The parts of `render`.
    pub pages: crate::pages::PageTimings,
    /// The parts of `render` that make the data files (beside the pages).
    pub data: crate::data::DataTimings,
    pub write: Duration,
}

impl Checked {
    /// A run stopped before reading the content, with the problems that stopped it.
    pub fn stopped(diagnostics: Diagnostics) -> Checked {
        Checked {
            site: None,
            rendered: None,
            diagnostics,
            sources: Sources::default(),
            timings: Timings::default(),
            output_untouched: true,
        }
    }

    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// The `check --format json` report: every problem with its file, line and column,
    /// errors and warnings apart (errors first, each warning on its own, never grouped),
    /// and how complete each record is.
    pub fn to_json(&self, strict: bool) -> String {
        let checked = self;
        let item = |d: &crate::diagnostics::Diagnostic| {
            let (line, column) = d
                .span
                .as_ref()
                .and_then(|s| checked.sources.line_col(&d.file, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            serde_json::json!({
                "file": d.file.display().to_string(),
                "line": line,
                "column": column,
                "message": d.message,
                "hint": d.hint,
            })
        };
        let error = crate::diagnostics::Severity::Error;
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == error)
            .map(item)
            .collect();
        let warnings: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity != error)
            .map(item)
            .collect();
        let completeness = checked
            .site
            .as_ref()
            .map(crate::check::completeness)
            .unwrap_or_default();
        let ok = errors.is_empty() && (!strict || warnings.is_empty());
        serde_json::to_string_pretty(&serde_json::json!({ "ok": ok, "errors": errors, "warnings": warnings, "completeness": completeness }))
            .expect("JSON values serialise")
    }

    /// Every problem, errors first, rendered for a terminal.
    pub fn report(&self, color: bool) -> String {
        self.diagnostics.render(&self.sources, color)
    }

    /// The errors in full and a line counting the warnings (which `check` shows): for
    /// `build` and `serve`.
    pub fn report_errors(&self, color: bool) -> String {
        let mut text = self.diagnostics.render_errors(&self.sources, color);
        if self.diagnostics.has_errors() {
            if let Some(note) = self.diagnostics.warnings_note() {
                text.push_str(&format!("and {note}\n"));
            }
        }
        text
    }
}

/// Load, validate and render the site in memory, writing nothing.
pub fn check(root: &Path) -> Checked {
    check_with(root, &Options::default())
}

/// [`check`] with options.
pub fn check_with(root: &Path, options: &Options) -> Checked {
    check_cached(root, options, None)
}

/// [`check_with`], reusing pages rendered by earlier builds when their inputs did not
/// change (see [`RenderCache`]).
pub fn check_cached(root: &Path, options: &Options, cache: Option<&RenderCache>) -> Checked {
    check_over(root, options, cache, None)
}

/// [`check_cached`] with one content file's text given rather than read from disk (the
/// editor checks an edit before writing it).
pub fn check_over(
    root: &Path,
    options: &Options,
    cache: Option<&RenderCache>,
    overlay: Option<Overlay>,
) -> Checked {
    run(root, options, cache, overlay, None).0
}

/// [`check_over`], and when `stream_to` is given (and nothing is wrong by the time
/// rendering starts) every file is written into a staging folder beside that output
/// folder as it is made, instead of being held in memory: the staging folder comes
/// back with the result, for the caller to swap in or abandon.
fn run(
    root: &Path,
    options: &Options,
    cache: Option<&RenderCache>,
    overlay: Option<Overlay>,
    stream_to: Option<&Path>,
) -> (Checked, Option<Arc<Staging>>) {
    let mut diagnostics = Diagnostics::default();
    let mut sources = Sources::default();
    let mut timings = Timings::default();

    let t = Instant::now();
    if !root.join("content").join("site.toml").is_file() {
        diagnostics.push(
            Diagnostic::error(
                root.join("content/site.toml"),
                None,
                "there is no content/site.toml here, so this is not a clusterdir site",
            )
            .with_hint("run clusterdir from the site's folder, or give the folder with --root"),
        );
        return (Checked::stopped(diagnostics), None);
    }
    let parses = cache.map(|c| &c.parses);
    let loaded = load_content_cached(root, overlay, parses, &mut sources, &mut diagnostics);
    timings.load = t.elapsed();

    // Without a readable site.toml the records are still checked, but nothing is rendered:
    // pages need the real settings.
    let config_usable = loaded.as_ref().is_some_and(|l| l.config_usable);
    let t = Instant::now();
    let site = loaded.map(|l| validate(l, options, &mut diagnostics));
    timings.validate = t.elapsed();

    let t = Instant::now();
    let mut staging = None;
    let rendered = site.as_ref().filter(|_| config_usable).and_then(|site| {
        let t = Instant::now();
        let theme = Theme::resolve(root, &site.config, &mut diagnostics);
        let templates = match cache {
            Some(c) => c.templates(root, &theme, &mut diagnostics)?,
            None => Arc::new(Templates::load(root, &theme, &mut diagnostics)?),
        };
        timings.templates = t.elapsed();
        let out = match stream_to.filter(|_| !diagnostics.has_errors()) {
            // Could not make the staging folder: the files are held, and writing
            // them says why it fails.
            Some(output) => match Staging::begin(output) {
                Ok(s) => {
                    let s = Arc::new(s);
                    staging = Some(Arc::clone(&s));
                    Output::streaming(s, kept_files(site))
                }
                Err(_) => Output::new(),
            },
            None => Output::new(),
        };
        Some(render_site(
            site,
            &templates,
            root,
            cache,
            &mut diagnostics,
            &mut timings,
            out,
        ))
    });
    timings.render = t.elapsed();
    if let (Some(site), Some(out)) = (&site, &rendered) {
        crate::check::check_anchors(site, out, &mut diagnostics);
    }
    if let Some(site) = &site {
        crate::check::check_review_dates(site, &mut diagnostics);
        if options.external_links {
            crate::check::check_external(
                site,
                std::time::Duration::from_secs(10),
                options.external_loopback,
                &mut diagnostics,
            );
        }
    }
    diagnostics.sort();
    let checked = Checked {
        site,
        rendered,
        diagnostics,
        sources,
        timings,
        output_untouched: true,
    };
    (checked, staging)
}

/// The files whose bytes a streamed build still holds: the pages an `#anchor` link
/// goes to (the anchor check reads them) and the files a site's own file is merged
/// into.
fn kept_files(site: &Site) -> HashSet<String> {
    let anchored = site
        .links
        .iter()
        .filter(|l| l.fragment.is_some())
        .map(|l| crate::routes::file_for(&l.target));
    let merged = crate::pages::assets::MERGED.iter().map(|f| f.to_string());
    anchored.chain(merged).collect()
}

/// Every file of the site, into `out`: the pages and the data files, made side by side
/// (they depend only on the model, and each keeps the other's idle cores busy), then
/// the data page, which lists the data files with their sizes.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    root: &Path,
    cache: Option<&RenderCache>,
    diagnostics: &mut Diagnostics,
    timings: &mut Timings,
    out: Output,
) -> Output {
    let data_out = out.empty_like();
    let pages = &mut timings.pages;
    let (mut out, (data, data_timings)) = rayon::join(
        || crate::pages::render_pages(site, templates, cache, diagnostics, pages, out),
        || crate::data::write_all(site, data_out, cache.map(|c| &c.memo)),
    );
    timings.data = data_timings;
    out.append(data);
    warn_of_paged_feed(&out, diagnostics);
    crate::pages::render_data_page(site, templates, &mut out, diagnostics);
    // Last, so that a file published at the top of the site cannot replace one it makes.
    crate::pages::assets::publish(root, &templates.theme, &mut out, diagnostics);
    out
}

/// A feed list longer than one page: its later pages answer `?page=` only where the
/// host routes the query to their files (docs/open-data.md).
fn warn_of_paged_feed(out: &Output, diagnostics: &mut Diagnostics) {
    use crate::data::oruk::lists::{paged, PAGE_SIZE};
    for (list, pages) in paged(out) {
        diagnostics.push(
            Diagnostic::warning(
                "content/site.toml",
                None,
                format!("the Open Referral UK feed's /oruk/{list} is {pages} pages of {PAGE_SIZE}: hosts that ignore query strings (Cloudflare Pages, Amazon S3, GitHub Pages) answer every ?page= with the first"),
            )
            .with_hint("publish the feed where ?page= reaches its page files: clusterdir serve, Netlify (with the _redirects the build writes), nginx, Apache or Caddy (docs/open-data.md gives their rules)"),
        );
    }
}

impl Timings {
    /// One JSON object: each stage in milliseconds, for `build --timings` and the
    /// benchmark.
    pub fn to_json(&self) -> serde_json::Value {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        let (p, d) = (&self.pages, &self.data);
        serde_json::json!({
            "load_ms": ms(self.load),
            "validate_ms": ms(self.validate),
            "render_ms": ms(self.render),
            "templates_ms": ms(self.templates),
            "render_contexts_ms": ms(p.contexts),
            "render_cluster_pages_ms": ms(p.cluster_pages),
            "render_pages_ms": ms(p.pages),
            "search_index_ms": ms(d.search_index),
            "exports_ms": ms(d.exports),
            "oruk_ms": ms(d.oruk),
            "feeds_ms": ms(d.feeds),
            "write_ms": ms(self.write),
        })
    }
}

/// The most memory this process has had resident so far, in KiB (Linux only).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A finished build, for the one-line summary.
pub struct Built {
    pub clusters: usize,
    pub guides: usize,
    pub pages: usize,
    pub files: usize,
    /// Of the files, how many are HTML pages.
    pub html_pages: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// How many files were written (the rest were unchanged).
    pub written: usize,
    /// Something left untidy that the person building should know.
    pub note: Option<String>,
}

impl Built {
    /// The stage timings, sizes and peak memory as one JSON line (`build --timings`).
    pub fn timings_json(&self, timings: &Timings) -> String {
        let mut v = timings.to_json();
        v["total_ms"] = serde_json::json!((self.elapsed.as_secs_f64() * 1e6).round() / 1e3);
        v["files"] = self.files.into();
        v["pages"] = self.html_pages.into();
        v["bytes"] = self.bytes.into();
        v["peak_rss_kib"] = peak_rss_kib().into();
        v.to_string()
    }

    pub fn summary(&self) -> String {
        format!(
            "Built {} clusters, {} guides, {} pages: {} files ({} KB) in {} in {:.1} ms",
            self.clusters,
            self.guides,
            self.pages,
            self.files,
            self.bytes.div_ceil(1024),
            self.output.display(),
            self.elapsed.as_secs_f64() * 1000.0
        )
    }
}

/// Whether the site at `root` may write to `output` (see [`guard`]): the folder, or a
/// failed run whose one error says why not and how to go on. `force` takes over a folder
/// clusterdir did not make ([`Claim::removal_note`] says what it holds).
pub fn claim_output(root: &Path, output: &Path, force: bool) -> Result<Claim, Box<Checked>> {
    guard::claim(root, output, force).map_err(|r| {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error(r.path, None, r.message).with_hint(r.hint));
        Box::new(Checked::stopped(diagnostics))
    })
}

/// For `serve`: check and render, then update the output folder in place, writing
/// only files whose bytes changed. On error nothing is written.
pub fn build_in_place(
    root: &Path,
    output: &Claim,
    options: &Options,
    cache: &RenderCache,
) -> Result<(Built, Checked), Box<Checked>> {
    build_and_write(root, &output.path, options, Writing::InPlace(cache))
}

/// Check and render, then write the output folder atomically. On any error nothing is
/// written and the existing output is left exactly as it was. An output folder that
/// clusterdir did not make is refused (see [`claim_output`]).
pub fn build(root: &Path, output: &Path) -> Result<(Built, Checked), Box<Checked>> {
    build_with(root, output, &Options::default())
}

/// [`build`] with options.
pub fn build_with(
    root: &Path,
    output: &Path,
    options: &Options,
) -> Result<(Built, Checked), Box<Checked>> {
    build_into(root, &claim_output(root, output, false)?, options)
}

/// [`build_with`] into a folder already claimed.
pub fn build_into(
    root: &Path,
    output: &Claim,
    options: &Options,
) -> Result<(Built, Checked), Box<Checked>> {
    build_and_write(root, &output.path, options, Writing::Atomic)
}

/// How a build reaches the output folder.
enum Writing<'a> {
    /// Streamed into a staging folder as the files are made, then swapped in whole.
    Atomic,
    /// Held in memory, then only the changed files written in place (`serve`).
    InPlace(&'a RenderCache),
}

fn build_and_write(
    root: &Path,
    output: &Path,
    options: &Options,
    writing: Writing,
) -> Result<(Built, Checked), Box<Checked>> {
    let start = Instant::now();
    let (mut checked, staging) = match writing {
        Writing::Atomic => run(root, options, None, None, Some(output)),
        Writing::InPlace(cache) => run(root, options, Some(cache), None, None),
    };
    let (true, Some(site), Some(files)) = (checked.ok(), &checked.site, &checked.rendered) else {
        // Nothing of this build reaches the output folder.
        staging.inspect(|s| s.abandon());
        return Err(Box::new(checked));
    };
    let t = Instant::now();
    let result = match (&writing, &staging) {
        (Writing::InPlace(cache), _) => {
            crate::output::sync::sync_in_place(output, files, &cache.written)
        }
        (Writing::Atomic, Some(staging)) => staging.finish(files),
        (Writing::Atomic, None) => write_atomically(output, files),
    };
    let wrote = match result {
        Ok(wrote) => wrote,
        Err(e) => {
            let hint = if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                "move or rename the folder named here, then build again; the previous site was left as it was"
            } else if e.untouched {
                "check there is space on the disk and that you may write to this folder; the previous site was left as it was"
            } else {
                "check there is space on the disk and that you may write to this folder, then build again: the folder may hold part of the old site and part of the new one until then"
            };
            checked.output_untouched = e.untouched;
            checked.diagnostics.push(
                Diagnostic::error(
                    output,
                    None,
                    format!("could not write the site: {}", e.error),
                )
                .with_hint(hint),
            );
            return Err(Box::new(checked));
        }
    };
    checked.timings.write = t.elapsed();
    let built = Built {
        clusters: site.clusters.len(),
        guides: site.guides.len(),
        pages: site.pages.len(),
        files: files.len(),
        html_pages: files.keys().filter(|p| p.ends_with(".html")).count(),
        bytes: files.total_bytes(),
        elapsed: start.elapsed(),
        output: output.to_path_buf(),
        note: wrote.note,
        written: wrote.files,
    };
    Ok((built, checked))
}
