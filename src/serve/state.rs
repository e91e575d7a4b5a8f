//! What the preview's server and watcher share: the build number, the last build's
//! error and whether there is a good site to show meanwhile, and the render cache; browsers waiting for a change are woken when a build
//! finishes.

use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use crate::pages::RenderCache;

/// What the server and the watcher share: the build number and the last error, and a
/// condition variable that wakes waiting browsers when a build finishes.
#[derive(Default)]
pub struct PreviewState {
    status: Mutex<BuildStatus>,
    changed: Condvar,
    /// Pages rendered by earlier builds, reused when their inputs did not change.
    pub(crate) cache: RenderCache,
    /// The files the last good build made (paths in the output folder): only these are
    /// served, as only these would be published.
    built: RwLock<Option<Arc<HashSet<String>>>>,
}

#[derive(Default, Clone)]
struct BuildStatus {
    version: u64,
    /// Whether a build is under way (its files may be written before the list of
    /// what it made is).
    building: bool,
    error: Option<String>,
    /// Whether the output folder holds an earlier good site (served while the last
    /// build failed).
    last_good: bool,
}

impl PreviewState {
    /// Record a finished build: its error, if it failed, and whether an earlier good
    /// site is still there to serve.
    pub(crate) fn publish(&self, error: Option<String>, last_good: bool) {
        if let Ok(mut s) = self.status.lock() {
            s.version += 1;
            s.building = false;
            s.error = error;
            s.last_good = last_good;
        }
        self.changed.notify_all();
    }

    /// Record that a build has started.
    pub(crate) fn start_build(&self) {
        if let Ok(mut s) = self.status.lock() {
            s.building = true;
        }
    }

    /// Whether `path` is served: a file the last good build made, or, while a build is
    /// under way (which writes its files before it lists them), one that build made,
    /// waiting for it at most `limit`. A page new in this build is so never answered
    /// as "not part of the site" in the moment between its writing and the list.
    pub(crate) fn serves(&self, path: &str, limit: Duration) -> bool {
        if self.was_built(path) {
            return true;
        }
        if let Ok(guard) = self.status.lock() {
            let _ = self
                .changed
                .wait_timeout_while(guard, limit, |s| s.building);
        }
        self.was_built(path)
    }

    /// The last build's error, if it failed.
    pub(crate) fn error(&self) -> Option<String> {
        self.status.lock().ok().and_then(|s| s.error.clone())
    }

    /// Record the files a good build made.
    pub(crate) fn set_built(&self, files: HashSet<String>) {
        if let Ok(mut b) = self.built.write() {
            *b = Some(Arc::new(files));
        }
    }

    /// Whether `path` (in the output folder) is a file the last good build made; before
    /// any build has, every file is.
    fn was_built(&self, path: &str) -> bool {
        let built = self.built.read().ok().and_then(|b| b.clone());
        built.map_or(true, |b| b.contains(path))
    }

    pub(crate) fn status_json(&self) -> String {
        let s = self.status.lock().map(|s| s.clone()).unwrap_or_default();
        serde_json::json!({ "version": s.version, "error": s.error, "last_good": s.last_good })
            .to_string()
    }

    /// The last build's error when there is no good site to show instead: then every
    /// page request is answered with it.
    pub(crate) fn nothing_to_show(&self) -> Option<String> {
        let s = self.status.lock().ok()?;
        s.error.clone().filter(|_| !s.last_good)
    }

    /// Wait (at most `limit`) until the build number is no longer `seen`.
    pub(crate) fn wait_for_change(&self, seen: u64, limit: Duration) -> String {
        if let Ok(guard) = self.status.lock() {
            let _ = self
                .changed
                .wait_timeout_while(guard, limit, |s| s.version == seen);
        }
        self.status_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_written_by_a_build_under_way_is_served_once_the_build_lists_it() {
        let state = Arc::new(PreviewState::default());
        state.set_built(HashSet::from(["index.html".to_string()]));
        state.publish(None, true);
        assert!(
            !state.serves("new.html", Duration::ZERO),
            "not made by any build"
        );
        // A build starts, writes new.html, and lists it a moment later.
        state.start_build();
        let builder = Arc::clone(&state);
        let build = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            builder.set_built(HashSet::from(["new.html".to_string()]));
            builder.publish(None, true);
        });
        assert!(state.serves("new.html", Duration::from_secs(10)));
        build.join().unwrap();
        // A file no build made is still refused, without waiting when none is under way.
        let started = std::time::Instant::now();
        assert!(!state.serves("stray.html", Duration::from_secs(10)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
