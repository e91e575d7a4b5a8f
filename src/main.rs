//! The `clusterdir` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use clusterdir::build::{build_into, check_with, claim_output, Options};
use clusterdir::diagnostics::terminal::escaped;
use clusterdir::serve::{serve, ServeOptions};

/// A build makes and frees millions of small strings from several threads at once;
/// mimalloc does that with less time and less memory left unused than the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Publish an early-help cluster directory as a website.
///
/// Each cluster is one file in content/clusters/, guides are in content/guides/ and
/// other pages in content/pages/. clusterdir checks them all and turns them into a
/// website in public/.
#[derive(Parser)]
#[command(name = "clusterdir", version, about, long_about)]
struct Cli {
    /// The site's folder: the one holding content/ (default: this folder). Used by
    /// build, check, new and serve; init is given its folder instead.
    #[arg(long, global = true, default_value = ".", hide_default_value = true)]
    root: PathBuf,
    /// Build as if today were this date (YYYY-MM-DD), for tests and reproducible builds.
    #[arg(long, global = true, hide = true)]
    today: Option<chrono::NaiveDate>,
    /// Include records and pages marked `draft = true`, marked as drafts on their pages.
    /// Used by build, check and serve; new and init ignore it.
    #[arg(long, global = true)]
    drafts: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the content and build the website into public/.
    ///
    /// If anything is wrong, every problem is listed with its file, line and column,
    /// and the website already in public/ is left exactly as it was.
    Build {
        /// Where to put the website (default: public/ in the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build into an output folder that clusterdir did not make, removing what it
        /// holds (the files are listed first). Without it such a folder is refused.
        #[arg(long)]
        force: bool,
        /// Also print how long each stage took, the output size and the peak memory, as
        /// one line of JSON after `timings: `.
        #[arg(long)]
        timings: bool,
    },
    /// Check the content for mistakes without writing the website.
    ///
    /// Lists every problem with its file, line and column and how to fix it, then how
    /// complete each cluster's record is. Exits with an error code if there are errors
    /// (or, with --strict, warnings), so it can guard publishing.
    Check {
        /// Treat warnings (such as records not checked for a year) as errors.
        #[arg(long)]
        strict: bool,
        /// `text` for people, `json` for other programs.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also visit every web address in the content: links in guides, pages and
        /// records, request forms, the city-wide contact's url and sources that are web
        /// addresses (needs the internet; waits up to 10 s for each).
        #[arg(long)]
        external: bool,
    },
    /// Start a new cluster record, guide or page with every field ready to fill in.
    ///
    /// Example: clusterdir new cluster "Otley and Pool". Never overwrites a file.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The cluster's name, or the guide's or page's title.
        title: String,
    },
    /// Create a new site in a folder: a small example site that passes check, with
    /// FORMAT.md, a short guide to writing its content.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Build the website and show it in your browser, rebuilding when you save a file.
    ///
    /// Only this computer can see the preview (it listens on 127.0.0.1 unless --bind
    /// says otherwise). Drafts are shown only with --drafts. If an edit has a mistake,
    /// the problem is shown and the last good version stays up.
    Serve {
        /// Port to listen on; the next free one is used if it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. The default, 127.0.0.1, lets only this computer see the
        /// preview; any other address (such as 0.0.0.0) shows it to the network (drafts
        /// too, with --drafts).
        #[arg(long, default_value = "127.0.0.1", hide_default_value = true)]
        bind: std::net::IpAddr,
        /// Where to put the website (default: public/ in the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build into an output folder that clusterdir did not make, removing what it
        /// holds (the files are listed first). Without it such a folder is refused.
        #[arg(long)]
        force: bool,
    },
    /// Check and build the website, then publish it to S3-compatible storage (Amazon S3,
    /// Cloudflare R2, MinIO...), uploading only what changed.
    ///
    /// Where to is set by [[deploy]] in content/site.toml (docs/publishing.md); the keys
    /// come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or ~/.aws/credentials. If the
    /// site has errors, nothing is uploaded. Pages go up after the files they use, the
    /// home page last, deletions after that; only what clusterdir uploaded is deleted.
    Deploy {
        /// The [[deploy]] target to publish to (needed when site.toml names several).
        #[arg(long)]
        target: Option<String>,
        /// Show what would be uploaded and deleted, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse to deploy if it would delete more than this many objects.
        #[arg(long, default_value_t = clusterdir::deploy::DEFAULT_MAX_DELETES)]
        max_deletes: usize,
        /// Where to build the website first (default: public/ in the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build into an output folder that clusterdir did not make, removing what it
        /// holds (the files are listed first). Without it such a folder is refused.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic site for benchmarks into an empty folder (not real content).
    #[command(hide = true)]
    Generate {
        /// Folder to create; must be new or empty.
        dir: PathBuf,
        #[arg(long, default_value_t = 100)]
        clusters: usize,
        #[arg(long, default_value_t = 0)]
        guides: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Cluster,
    Guide,
    Page,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = clusterdir::diagnostics::use_color(std::io::stderr().is_terminal());
    let output_for = |o: Option<PathBuf>| o.unwrap_or_else(|| cli.root.join("public"));
    let mut options = Options::default();
    if let Some(today) = cli.today {
        options.today = today;
    }
    options.drafts = cli.drafts;
    let today = options.today.format("%Y-%m-%d").to_string();
    match cli.command {
        Command::Build {
            output,
            force,
            timings,
        } => run_build(
            &cli.root,
            &output_for(output),
            force,
            &options,
            timings,
            color,
        ),
        Command::Check {
            strict,
            format,
            external,
        } => {
            options.external_links = external;
            run_check(&cli.root, &options, strict, format, color)
        }
        Command::New { kind, title } => {
            let kind = match kind {
                NewKind::Cluster => clusterdir::scaffold::Kind::Cluster,
                NewKind::Guide => clusterdir::scaffold::Kind::Guide,
                NewKind::Page => clusterdir::scaffold::Kind::Page,
            };
            exit_with(
                clusterdir::scaffold::new(&cli.root, kind, &title, &today),
                |path| {
                    println!(
                        "Wrote {}. Fill it in, then run clusterdir check.",
                        path.display()
                    )
                },
            )
        }
        Command::Init { dir } => exit_with(clusterdir::scaffold::init(&dir, &today), |()| {
            println!(
                "Created an example site in {}. Read {} to start, then try: clusterdir --root {} serve",
                dir.display(),
                dir.join("FORMAT.md").display(),
                dir.display()
            )
        }),
        Command::Generate {
            dir,
            clusters,
            guides,
            seed,
        } => exit_with(
            clusterdir::scaffold::generate::generate(&dir, clusters, guides, seed),
            |()| {
                println!(
                    "Wrote {clusters} clusters and {guides} guides into {}",
                    dir.display()
                )
            },
        ),
        Command::Deploy {
            target,
            dry_run,
            max_deletes,
            output,
            force,
        } => {
            let opts = clusterdir::deploy::DeployOptions {
                output: output_for(output),
                force,
                target,
                dry_run,
                max_deletes,
                build: options,
                progress: std::io::stderr().is_terminal(),
            };
            run_deploy(&cli.root, &opts, color)
        }
        Command::Serve {
            port,
            bind,
            output,
            force,
        } => {
            let opts = ServeOptions {
                output: output_for(output),
                force,
                root: cli.root.clone(),
                port,
                bind,
                build: options,
            };
            exit_with(serve(opts), |()| ())
        }
    }
}

/// Success after `done`, or the error and failure.
fn exit_with<T>(result: std::io::Result<T>, done: impl FnOnce(T)) -> ExitCode {
    match result {
        Ok(v) => {
            done(v);
            ExitCode::SUCCESS
        }
        Err(e) => {
            // An error may name a file, and a file name may hold control characters.
            eprintln!("error: {}", escaped(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// `clusterdir build`.
fn run_build(
    root: &Path,
    output: &Path,
    force: bool,
    options: &Options,
    timings: bool,
    color: bool,
) -> ExitCode {
    let built = claim_output(root, output, force).and_then(|claim| {
        if let Some(note) = claim.removal_note() {
            println!("{}", escaped(&note));
        }
        build_into(root, &claim, options)
    });
    match built {
        Ok((built, checked)) => {
            if let Some(note) = &built.note {
                eprintln!("note: {}", escaped(note));
            }
            match checked.diagnostics.warnings_note() {
                Some(note) => println!("{} ({note})", built.summary()),
                None => println!("{}", built.summary()),
            }
            if timings {
                println!("timings: {}", built.timings_json(&checked.timings));
            }
            ExitCode::SUCCESS
        }
        Err(checked) => {
            eprint!("{}", checked.report_errors(color));
            let left = if checked.output_untouched {
                "was left as it was"
            } else {
                "may hold part of the old site and part of the new one: build again"
            };
            eprintln!(
                "Build failed with {}; {} {left}.",
                checked.diagnostics.counts(),
                output.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// `clusterdir deploy`.
fn run_deploy(root: &Path, opts: &clusterdir::deploy::DeployOptions, color: bool) -> ExitCode {
    match clusterdir::deploy::deploy(root, opts, &|k| std::env::var(k).ok()) {
        Ok(deployed) => {
            for line in &deployed.plan {
                println!("{}", escaped(line));
            }
            match &deployed.warnings {
                Some(note) => println!("{} ({note})", deployed.summary()),
                None => println!("{}", deployed.summary()),
            }
            ExitCode::SUCCESS
        }
        Err(checked) => {
            eprint!("{}", checked.report_errors(color));
            eprintln!("Deploy failed with {}.", checked.diagnostics.counts());
            ExitCode::FAILURE
        }
    }
}

/// `clusterdir check`.
fn run_check(
    root: &Path,
    options: &Options,
    strict: bool,
    format: Format,
    color: bool,
) -> ExitCode {
    let checked = check_with(root, options);
    let (e, w) = (
        checked.diagnostics.error_count(),
        checked.diagnostics.warning_count(),
    );
    let failed = e > 0 || (strict && w > 0);
    match format {
        Format::Json => println!("{}", checked.to_json(strict)),
        Format::Text => {
            eprint!("{}", checked.report(color));
            if let Some(site) = &checked.site {
                println!(
                    "How complete each record is:\n{}",
                    clusterdir::check::completeness_table(&clusterdir::check::completeness(site))
                );
            }
            if failed {
                let note = if strict && e == 0 {
                    " (--strict: warnings count as errors)"
                } else {
                    ""
                };
                eprintln!("Found {}{note}.", checked.diagnostics.counts());
            } else if w > 0 {
                println!(
                    "No errors, {}.",
                    clusterdir::diagnostics::count(w, "warning")
                );
            } else {
                println!("No errors and no warnings.");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
