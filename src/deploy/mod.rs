//! `clusterdir deploy`: check and build the site (as `build` does), then bring an
//! S3-compatible bucket in line with what that run produced, changing only what
//! changed.
//!
//! `metadata.rs` says which objects the site needs and their headers (each feed file
//! also at its address without `.json`); `manifest.rs` is clusterdir's record in the
//! bucket of what it put there; `plan.rs` compares the two and orders the work (assets
//! and data, then pages, then the home page, deletions last); `credentials.rs` finds the
//! keys; `store.rs` talks to the bucket. Nothing outside the target's prefix is ever
//! written, and only objects the manifest lists are ever deleted.

pub mod credentials;
pub mod manifest;
pub mod metadata;
pub mod plan;
pub mod store;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use indicatif::ProgressBar;

use crate::build::{build_into, check_with, claim_output, Checked, Options};
use crate::content::model::DeployTarget;
use crate::diagnostics::Diagnostic;
use crate::output::Output;

use manifest::{md5_hex, Entry, Manifest, MANIFEST};
use metadata::Headers;
use plan::{stage_of, Plan, Stage, Upload};
use store::{Bucket, Place};

/// What `clusterdir deploy` was asked to do.
pub struct DeployOptions {
    /// The output folder the site is built into first (as `build` does).
    pub output: PathBuf,
    pub force: bool,
    /// The `[[deploy]]` target's name; needed only when there are several.
    pub target: Option<String>,
    /// Work out and print the plan; build nothing on disk, change nothing in the bucket.
    pub dry_run: bool,
    /// Refuse a deploy that would delete more objects than this.
    pub max_deletes: usize,
    pub build: Options,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// The default of `--max-deletes`.
pub const DEFAULT_MAX_DELETES: usize = 256;

/// Files uploaded at once.
const PARALLEL: usize = 8;

/// A deploy that finished (or, with `--dry-run`, was planned).
pub struct Deployed {
    /// `s3://bucket/prefix/`.
    pub place: String,
    pub uploaded: usize,
    pub unchanged: usize,
    pub deleted: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub dry_run: bool,
    /// With `--dry-run`: one line per upload and deletion, in the order they would be made.
    pub plan: Vec<String>,
    /// The warnings `check` found, counted ("3 warnings: run clusterdir check ...").
    pub warnings: Option<String>,
}

impl Deployed {
    pub fn summary(&self) -> String {
        let verb = if self.dry_run {
            "Dry run, nothing changed: would upload"
        } else {
            "Deployed to"
        };
        let place = if self.dry_run {
            format!(" to {}", self.place)
        } else {
            String::new()
        };
        if self.dry_run {
            format!(
                "{verb} {} ({} KB){place}, leave {} unchanged, delete {}; planned in {:.1} s",
                self.uploaded,
                self.bytes.div_ceil(1024),
                self.unchanged,
                self.deleted,
                self.elapsed.as_secs_f64()
            )
        } else {
            format!(
                "{verb} {}: uploaded {} ({} KB), unchanged {}, deleted {}, in {:.1} s",
                self.place,
                self.uploaded,
                self.bytes.div_ceil(1024),
                self.unchanged,
                self.deleted,
                self.elapsed.as_secs_f64()
            )
        }
    }
}

/// The file every `[[deploy]]` problem points at.
const SITE_TOML: &str = "content/site.toml";

/// A failed deploy: the run's report with one more error, at `span` of `site.toml`.
fn failed(
    mut checked: Checked,
    span: Option<Range<usize>>,
    message: String,
    hint: &str,
) -> Box<Checked> {
    checked
        .diagnostics
        .push(Diagnostic::error(SITE_TOML, span, message).with_hint(hint));
    Box::new(checked)
}

/// Build the site at `root` and deploy it. `env` reads the environment (credentials,
/// region). On failure the report says what went wrong; nothing is uploaded when the
/// site has errors.
pub fn deploy(
    root: &Path,
    opts: &DeployOptions,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Deployed, Box<Checked>> {
    let start = Instant::now();
    if opts.build.drafts {
        let message = "--drafts is for previews: a deploy never publishes drafts";
        let hint = "run clusterdir deploy without --drafts; to show drafts to colleagues, use clusterdir serve --drafts";
        return Err(failed(
            Checked::stopped(Default::default()),
            None,
            message.into(),
            hint,
        ));
    }
    let mut checked = if opts.dry_run {
        let checked = check_with(root, &opts.build);
        if !checked.ok() || checked.rendered.is_none() {
            return Err(Box::new(checked));
        }
        checked
    } else {
        let claim = claim_output(root, &opts.output, opts.force)?;
        build_into(root, &claim, &opts.build)?.1
    };
    let (Some(site), Some(out)) = (checked.site.take(), checked.rendered.take()) else {
        return Err(Box::new(checked));
    };
    let target = match choose(&site.config.deploy, opts.target.as_deref()) {
        Ok(t) => t,
        Err((span, message, hint)) => return Err(failed(checked, span, message, &hint)),
    };
    let at = Some(target.name.span());
    let place = place_of(target, env);
    let ready = prepare(&out, target).and_then(|objects| {
        let found = credentials::find(env, target.profile.as_ref().map(|p| p.get_ref().as_str()))
            .map_err(|e| (e, "credentials are read from the environment or ~/.aws/credentials, never from site.toml".to_string()))?;
        let bucket = Bucket::connect(&place, found).map_err(|e| (e, format!("check [[deploy]] \"{}\"", target.name.get_ref())))?;
        Ok((objects, bucket))
    });
    let (objects, bucket) = match ready {
        Ok(r) => r,
        Err((message, hint)) => return Err(failed(checked, at, message, &hint)),
    };
    let folder = (!opts.dry_run).then_some(opts.output.as_path());
    let run = Run {
        bucket: &bucket,
        built: Built { out: &out, folder },
        place: &place,
        opts,
    };
    let result = runtime().block_on(run.go(&objects));
    match result {
        Ok(mut deployed) => {
            deployed.elapsed = start.elapsed();
            deployed.warnings = checked.diagnostics.warnings_note();
            Ok(deployed)
        }
        Err((message, hint)) => Err(failed(checked, at, message, &hint)),
    }
}

/// The target to use: the one named, or the only one.
#[allow(clippy::type_complexity)]
fn choose<'a>(
    targets: &'a [DeployTarget],
    name: Option<&str>,
) -> Result<&'a DeployTarget, (Option<Range<usize>>, String, String)> {
    let names: Vec<&str> = targets.iter().map(|t| t.name.get_ref().as_str()).collect();
    let listed = names
        .iter()
        .map(|n| format!("--target {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    match (name, targets) {
        (_, []) => Err((
            None,
            "site.toml has no [[deploy]] target, so clusterdir does not know where to publish".into(),
            "add a [[deploy]] table to site.toml with, for example, name = \"live\", bucket = \"my-bucket\" and region = \"eu-west-2\" (docs/publishing.md shows S3, R2 and others)".into(),
        )),
        (None, [one]) => Ok(one),
        (None, _) => Err((None, format!("site.toml has {} [[deploy]] targets: say which one", targets.len()), format!("run clusterdir deploy with one of: {listed}"))),
        (Some(n), _) => targets.iter().find(|t| t.name.get_ref() == n).ok_or_else(|| {
            let close = crate::diagnostics::did_you_mean(n, names.iter().copied());
            let hint = match close {
                Some(c) => format!("did you mean --target {c}? The targets are: {listed}"),
                None => format!("the targets are: {listed}"),
            };
            (None, format!("there is no [[deploy]] target named \"{n}\" in site.toml"), hint)
        }),
    }
}

/// Where the target's bucket is, with the region from the environment when not set.
fn place_of(t: &DeployTarget, env: &dyn Fn(&str) -> Option<String>) -> Place {
    let region = t
        .region
        .as_ref()
        .map(|r| r.get_ref().clone())
        .or_else(|| {
            env("AWS_REGION")
                .or_else(|| env("AWS_DEFAULT_REGION"))
                .filter(|r| !r.is_empty())
        })
        .unwrap_or_else(|| "us-east-1".into());
    Place {
        bucket: t.bucket.get_ref().clone(),
        endpoint: t
            .endpoint
            .as_ref()
            .map(|e| e.get_ref().trim_end_matches('/').to_string()),
        region,
        prefix: t
            .prefix
            .as_ref()
            .map_or(String::new(), |p| p.get_ref().clone()),
    }
}

/// The objects the site needs, refusing a site that has a file where the manifest goes.
fn prepare(
    out: &Output,
    target: &DeployTarget,
) -> Result<BTreeMap<String, metadata::Local>, (String, String)> {
    if out.contains_key(MANIFEST) {
        return Err((
            format!("the site has a file named {MANIFEST}, where clusterdir keeps its record of the bucket"),
            "rename or remove that file from static/root/".into(),
        ));
    }
    let mut objects = metadata::objects(out, &target.cache_control);
    objects.remove(crate::output::guard::MARKER);
    Ok(objects)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the deploy's runtime starts")
}

/// The built site's files: held in memory (a dry run checks without writing), or in the
/// output folder the build just wrote (a build streams its files there as they are
/// made, keeping only their names and sizes).
struct Built<'a> {
    out: &'a Output,
    folder: Option<&'a Path>,
}

impl Built<'_> {
    fn bytes(&self, rel: &str) -> Result<Vec<u8>, String> {
        if let Some(held) = self.out.get(rel) {
            return Ok(held.clone());
        }
        let Some(folder) = self.folder else {
            return Err(format!("{rel} was not built"));
        };
        let path = folder.join(rel);
        std::fs::read(&path).map_err(|e| format!("could not read {}: {e}", path.display()))
    }
}

/// One deploy's work against the bucket.
struct Run<'a> {
    bucket: &'a Bucket,
    built: Built<'a>,
    place: &'a Place,
    opts: &'a DeployOptions,
}

type Failure = (String, String);

impl Run<'_> {
    async fn go(&self, objects: &BTreeMap<String, metadata::Local>) -> Result<Deployed, Failure> {
        let shown = self.place.shown();
        let unreachable = |e: String| {
            (
                format!("could not read {shown}: {e}"),
                "check the bucket, endpoint and region in site.toml and that the credentials may list and read the bucket".to_string(),
            )
        };
        let listing = self.bucket.list().await.map_err(unreachable)?;
        let old = match self.bucket.read(MANIFEST).await.map_err(unreachable)? {
            None => Manifest::default(),
            Some(bytes) => Manifest::parse(&bytes).map_err(|e| {
                (
                    format!("clusterdir's record of what it uploaded, {shown}{MANIFEST}, cannot be read: {e}"),
                    "restore it from the bucket's versions if you can; deleting it makes clusterdir upload everything again and never delete what it uploaded before".to_string(),
                )
            })?,
        };
        let mut sums: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for key in self.built.out.keys() {
            let bytes = self
                .built
                .bytes(key)
                .map_err(|e| (e, "build the site again, then deploy".to_string()))?;
            sums.insert(key.clone(), (md5_hex(&bytes), bytes.len()));
        }
        let plan = plan::plan(objects, &sums, &listing, &old);
        if let Some(bad) = plan
            .uploads
            .iter()
            .find_map(|u| self.bucket.key(&u.key).err())
        {
            return Err((bad, "rename the file: object names may not hold control characters or empty, \".\" or \"..\" folders".into()));
        }
        let max = self.opts.max_deletes;
        if plan.deletes.len() > max {
            return Err((
                format!(
                    "this deploy would delete {} objects from {shown}, more than --max-deletes allows ({max}); nothing was uploaded or deleted",
                    plan.deletes.len()
                ),
                format!("check that the site built is the one you meant (the right --root, all its content); if that many pages really went, run again with --max-deletes {}", plan.deletes.len()),
            ));
        }
        let mut deployed = Deployed {
            place: shown.clone(),
            uploaded: plan.uploads.len(),
            unchanged: plan.unchanged,
            deleted: plan.deletes.len(),
            bytes: plan.upload_bytes(),
            elapsed: Duration::ZERO,
            dry_run: self.opts.dry_run,
            plan: Vec::new(),
            warnings: None,
        };
        if self.opts.dry_run {
            deployed.plan = plan_lines(&plan);
        } else if !plan.is_empty() {
            self.execute(&plan, old).await.map_err(|e| {
                (
                    format!("the deploy to {shown} stopped: {e}"),
                    "run clusterdir deploy again: it uploads what is missing, and visitors see the previous pages until then".to_string(),
                )
            })?;
        }
        Ok(deployed)
    }

    /// Upload in stages, delete, and keep the manifest true at every step: the objects
    /// about to be written are recorded (as unfinished) before any is written.
    async fn execute(&self, plan: &Plan, old: Manifest) -> Result<(), String> {
        let bar = if self.opts.progress {
            ProgressBar::new((plan.uploads.len() + plan.deletes.len()) as u64)
        } else {
            ProgressBar::hidden()
        };
        let mut manifest = old;
        for u in &plan.uploads {
            // Unfinished (no MD5), keeping the ETag of what was there before.
            let etag = manifest.objects.get(&u.key).and_then(|e| e.etag.clone());
            let pending = entry(u, String::new(), etag);
            manifest.objects.insert(u.key.clone(), pending);
        }
        self.save(&manifest).await?;
        for stage in [Stage::AssetsAndData, Stage::Pages, Stage::Home] {
            let batch = plan.uploads.iter().filter(|u| stage_of(&u.key) == stage);
            let done: Vec<(String, Entry)> = futures::stream::iter(batch)
                .map(|u| async {
                    let etag = self
                        .bucket
                        .put(&u.key, self.built.bytes(&u.local.source)?, &u.local.headers)
                        .await?;
                    bar.inc(1);
                    Ok::<_, String>((u.key.clone(), entry(u, u.md5.clone(), etag)))
                })
                .buffer_unordered(PARALLEL)
                .try_collect()
                .await?;
            manifest.objects.extend(done);
        }
        let bar = &bar;
        let deleted: Vec<&String> = futures::stream::iter(&plan.deletes)
            .map(|k| async move {
                self.bucket.delete(k).await?;
                bar.inc(1);
                Ok::<_, String>(k)
            })
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        for k in deleted.into_iter().chain(&plan.forgotten) {
            manifest.objects.remove(k);
        }
        bar.finish_and_clear();
        self.save(&manifest).await
    }

    async fn save(&self, manifest: &Manifest) -> Result<(), String> {
        let headers = Headers {
            content_type: "application/json".into(),
            cache_control: "no-store".into(),
        };
        self.bucket
            .put(MANIFEST, manifest.to_json(), &headers)
            .await
            .map(|_| ())
    }
}

fn entry(u: &Upload, md5: String, etag: Option<String>) -> Entry {
    Entry {
        md5,
        etag,
        content_type: u.local.headers.content_type.clone(),
        cache_control: u.local.headers.cache_control.clone(),
    }
}

/// `--dry-run`'s list: each upload (why, size, headers), then each deletion.
fn plan_lines(plan: &Plan) -> Vec<String> {
    let uploads = plan.uploads.iter().map(|u| {
        format!(
            "upload {} ({}, {} bytes, {}; {})",
            u.key,
            u.why.word(),
            u.size,
            u.local.headers.content_type,
            u.local.headers.cache_control
        )
    });
    uploads
        .chain(plan.deletes.iter().map(|k| format!("delete {k}")))
        .collect()
}
