//! `clusterdir serve`: build, serve the output folder on 127.0.0.1, rebuild on change.
//!
//! The server ([`http`]) listens on the loopback address unless `--bind` names another
//! (with a printed warning), and serves only files inside the output folder, never
//! following a symbolic link out of it. Every response carries the site's security
//! headers ([`crate::data::headers`]), so the preview enforces the production
//! Content-Security-Policy. In preview (never in `build` output), HTML responses get one
//! extra `<script src>` that polls for a new build and reloads the tab, or shows the
//! build error over the page. A broken edit keeps the last good site served. The
//! watcher ([`watch`]) rebuilds once per burst of edits; [`state`] is what they share.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub mod http;
pub mod state;
pub mod watch;

use crate::build::build_in_place;
use crate::serve::state::PreviewState;

pub struct ServeOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub port: u16,
    /// Listen address; loopback unless the user asked otherwise.
    pub bind: IpAddr,
    pub build: crate::build::Options,
}

/// Run one build and record the outcome for the browser.
fn rebuild(opts: &ServeOptions, state: &PreviewState) {
    match build_in_place(&opts.root, &opts.output, &opts.build, &state.cache) {
        Ok((built, _)) => {
            let rendered = state.cache.last_rendered().len();
            println!(
                "{} ({rendered} pages rendered, the rest unchanged)",
                built.summary()
            );
            state.publish(None);
        }
        Err(checked) => {
            eprintln!("{}", checked.report(true));
            eprintln!(
                "Build failed: still serving the last good site. Fix the problem and save again."
            );
            state.publish(Some(checked.report(false)));
        }
    }
}

/// Build, then serve until the process is stopped.
pub fn serve(opts: ServeOptions) -> std::io::Result<()> {
    let state = Arc::new(PreviewState::default());
    rebuild(&opts, &state);
    let (server, addr) = http::bind(opts.bind, opts.port)?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {addr}, not only on this computer: anyone who can reach it on the network sees the preview (and drafts, if --drafts was given)"
        );
    }
    println!("Previewing at http://{addr}/ (press Ctrl+C to stop)");

    let (watcher, rx) = watch::watch(&opts.root)?;
    let opts = Arc::new(opts);
    let watch_state = Arc::clone(&state);
    let watch_opts = Arc::clone(&opts);
    std::thread::spawn(move || watch::watch_loop(&rx, || rebuild(&watch_opts, &watch_state)));
    http::serve_requests(&server, &opts.output, &state);
    drop(watcher);
    Ok(())
}
