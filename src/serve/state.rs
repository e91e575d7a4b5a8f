//! What the preview's server and watcher share: the build number, the last build's
//! error, and the render cache; browsers waiting for a change are woken when a build
//! finishes.

use std::sync::{Condvar, Mutex};
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
}

#[derive(Default, Clone)]
struct BuildStatus {
    version: u64,
    error: Option<String>,
}

impl PreviewState {
    pub(crate) fn publish(&self, error: Option<String>) {
        if let Ok(mut s) = self.status.lock() {
            s.version += 1;
            s.error = error;
        }
        self.changed.notify_all();
    }

    pub(crate) fn status_json(&self) -> String {
        let s = self.status.lock().map(|s| s.clone()).unwrap_or_default();
        serde_json::json!({ "version": s.version, "error": s.error }).to_string()
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
