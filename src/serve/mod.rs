//! `clusterdir serve`: build, serve the output folder on 127.0.0.1, rebuild on change.
//!
//! The server ([`http`]) listens on the loopback address unless `--bind` names another
//! (with a printed warning), and serves only files inside the output folder, never
//! following a symbolic link out of it. Every response carries the site's security
//! headers ([`crate::data::headers`]), so the preview enforces the production
//! Content-Security-Policy. In preview (never in `build` output), HTML responses get one
//! extra `<script src>` that polls for a new build and reloads the tab, or shows the
//! build's errors over the page. A broken edit keeps the last good site served; when
//! there is none yet, every page request gets an error page that reloads once the
//! content is fixed. The terminal and the browser show the errors in full and count the
//! warnings (`clusterdir check` lists them). The
//! watcher ([`watch`]) rebuilds once per burst of edits; [`state`] is what they share.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub mod body;
pub mod editor;
pub mod host;
pub mod http;
pub mod reply;
pub mod server;
pub mod state;
pub mod watch;

use std::io::IsTerminal;

use crate::build::{build_in_place, claim_output};
use crate::diagnostics::{count, use_color};
use crate::output::guard::Claim;
use crate::serve::state::PreviewState;

pub struct ServeOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub port: u16,
    /// Listen address; loopback unless the user asked otherwise.
    pub bind: IpAddr,
    /// Take over an output folder that clusterdir did not make (`--force`).
    pub force: bool,
    pub build: crate::build::Options,
}

/// Whether the output folder holds a site (from an earlier build).
fn has_site(opts: &ServeOptions) -> bool {
    opts.output.join("index.html").is_file()
}

/// Run one build and record the outcome for the browser; how many errors and warnings
/// it found.
fn rebuild(opts: &ServeOptions, output: &Claim, state: &PreviewState) -> String {
    let earlier = has_site(opts);
    state.start_build();
    match build_in_place(&opts.root, output, &opts.build, &state.cache) {
        Ok((built, checked)) => {
            let rendered = count(state.cache.last_rendered().len(), "page");
            let rest = if earlier { ", the rest unchanged" } else { "" };
            let warnings = checked
                .diagnostics
                .warnings_note()
                .map(|n| format!("; {n}"))
                .unwrap_or_default();
            println!("{} ({rendered} rendered{rest}{warnings})", built.summary());
            if let Some(files) = &checked.rendered {
                state.set_built(files.keys().cloned().collect());
            }
            state.publish(None, true);
            checked.diagnostics.counts()
        }
        Err(checked) => {
            let color = use_color(std::io::stderr().is_terminal());
            eprint!("{}", checked.report_errors(color));
            // A failed build writes nothing (the folder holds what it held before),
            // unless writing itself failed part-way.
            let last_good = earlier && checked.output_untouched;
            let meanwhile = if last_good {
                "still serving the last good site. Fix the problem and save again."
            } else if earlier {
                "the site being served may be part old and part new until the next build that succeeds. Fix the problem and save again."
            } else {
                "nothing to show yet: fix the problem and save; the page will reload."
            };
            eprintln!(
                "Build failed with {}: {meanwhile}",
                checked.diagnostics.counts()
            );
            state.publish(Some(checked.report_errors(false)), last_good);
            checked.diagnostics.counts()
        }
    }
}

/// Build, then serve until the process is stopped.
pub fn serve(opts: ServeOptions) -> std::io::Result<()> {
    let output = match claim_output(&opts.root, &opts.output, opts.force) {
        Ok(claim) => claim,
        Err(checked) => {
            let color = use_color(std::io::stderr().is_terminal());
            eprint!("{}", checked.report_errors(color));
            return Err(std::io::Error::other(format!(
                "nothing was built or served, and {} was left as it was",
                opts.output.display()
            )));
        }
    };
    if let Some(note) = output.removal_note() {
        println!("{}", crate::diagnostics::terminal::escaped(&note));
    }
    // Watch before the first build, so that no edit saved once the address is shown
    // (or during the first build) goes unseen.
    let (watcher, saves, rx) = watch::watch(&opts.root)?;
    let state = Arc::new(PreviewState::default());
    let _ = rebuild(&opts, &output, &state);
    let editor = Arc::new(editor::guard::Session::start(
        &opts.root,
        opts.bind,
        Arc::clone(&state),
        saves,
    )?);
    let (server, addr) = http::bind(opts.bind, opts.port)?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {addr}, not only on this computer: anyone who can reach it on the network sees the preview (and drafts, if --drafts was given)"
        );
    }
    println!("Previewing at http://{addr}/ (press Ctrl+C to stop)");
    if opts.bind.is_loopback() {
        println!("Edit the content in the browser at http://{addr}/_edit/");
    }

    let opts = Arc::new(opts);
    let watch_state = Arc::clone(&state);
    let watch_opts = Arc::clone(&opts);
    std::thread::spawn(move || {
        watch::watch_loop(&rx, watch::QUIET, || {
            rebuild(&watch_opts, &output, &watch_state)
        })
    });
    http::serve_requests(&server, &opts.output, &state, editor);
    drop(watcher);
    Ok(())
}
