//! Watching the site's folders: which file events are edits, and one rebuild per burst
//! of events (an editor's save is often several).

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders a build reads.
const WATCHED: &[&str] = &["content", "themes", "templates", "static"];

/// Watch the folders of the site at `root` that exist; events arrive on the receiver.
pub fn watch(
    root: &Path,
) -> std::io::Result<(RecommendedWatcher, Receiver<notify::Result<notify::Event>>)> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| std::io::Error::other(e.to_string()))?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    std::io::Error::other(format!("could not watch {}: {e}", path.display()))
                })?;
        }
    }
    Ok((watcher, rx))
}

/// Whether an event changes what a build would read (reads and metadata-only events
/// do not; the build itself reads every file, and must not trigger another build).
fn is_edit(event: &notify::Event) -> bool {
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    ) && !matches!(
        event.kind,
        EventKind::Modify(notify::event::ModifyKind::Metadata(_))
    ) && event.paths.iter().any(|p| !is_editor_temp(p))
}

/// Swap and backup files that editors write beside the real one.
fn is_editor_temp(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// Wait for edits; after the first, gather the rest of a burst (an editor's save is
/// often several events) for a short quiet period, then rebuild once. `rebuild` says
/// how many errors and warnings it found, for the line printed after it.
pub fn watch_loop(rx: &Receiver<notify::Result<notify::Event>>, rebuild: impl Fn() -> String) {
    const QUIET: Duration = Duration::from_millis(25);
    while let Ok(event) = rx.recv() {
        if !event.as_ref().is_ok_and(is_edit) {
            continue;
        }
        while rx.recv_timeout(QUIET).is_ok() {}
        let started = std::time::Instant::now();
        let counts = rebuild();
        println!(
            "Rebuilt in {:.1} ms: {counts}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
