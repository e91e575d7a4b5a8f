//! The `clusterdir` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use clusterdir::build::{build_with, check_with, Options};
use clusterdir::serve::{serve, ServeOptions};

/// Publish an early-help cluster directory as a website.
///
/// Each cluster is one file in content/clusters/, guides are in content/guides/ and
/// other pages in content/pages/. clusterdir checks them all and turns them into a
/// website in public/.
#[derive(Parser)]
#[command(name = "clusterdir", version, about, long_about)]
struct Cli {
    /// The site's folder: the one holding content/ (default: this folder).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Build as if today were this date (YYYY-MM-DD), for tests and reproducible builds.
    #[arg(long, global = true, hide = true)]
    today: Option<chrono::NaiveDate>,
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
    },
    /// Check the content for mistakes without writing the website.
    ///
    /// Lists every problem with its file, line and column and how to fix it. Exits with
    /// an error code if there are any, so it can guard publishing.
    Check,
    /// Build the website and show it in your browser, rebuilding when you save a file.
    ///
    /// Only this computer can see the preview (it listens on 127.0.0.1). If an edit has
    /// a mistake, the problem is shown and the last good version stays up.
    Serve {
        /// Port to listen on; the next free one is used if it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Where to put the website (default: public/ in the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal();
    let output_for = |o: Option<PathBuf>| o.unwrap_or_else(|| cli.root.join("public"));
    let mut options = Options::default();
    if let Some(today) = cli.today {
        options.today = today;
    }
    match cli.command {
        Command::Build { output } => {
            let output = output_for(output);
            match build_with(&cli.root, &output, &options) {
                Ok((built, checked)) => {
                    eprint!("{}", checked.report(color));
                    println!("{}", built.summary());
                    ExitCode::SUCCESS
                }
                Err(checked) => {
                    eprint!("{}", checked.report(color));
                    eprintln!(
                        "Build failed with {} error(s); {} was left as it was.",
                        checked.diagnostics.error_count(),
                        output.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check => {
            let checked = check_with(&cli.root, &options);
            eprint!("{}", checked.report(color));
            let (e, w) = (
                checked.diagnostics.error_count(),
                checked.diagnostics.warning_count(),
            );
            if checked.ok() {
                println!("No problems found ({w} warning(s)).");
                ExitCode::SUCCESS
            } else {
                eprintln!("Found {e} error(s) and {w} warning(s).");
                ExitCode::FAILURE
            }
        }
        Command::Generate {
            dir,
            clusters,
            guides,
            seed,
        } => match clusterdir::generate::generate(&dir, clusters, guides, seed) {
            Ok(()) => {
                println!(
                    "Wrote {clusters} clusters and {guides} guides into {}",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Serve { port, output } => {
            let opts = ServeOptions {
                output: output_for(output),
                root: cli.root.clone(),
                port,
                build: options,
            };
            match serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
