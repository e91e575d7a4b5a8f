//! Watching the site's folders: which file events are edits, and one rebuild per burst
//! of events (an editor's save is often several).

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders a build reads.
const WATCHED: &[&str] = &["content", "themes", "templates", "static"];

/// File events, and the browser editor's word that it has written a file.
pub type Events = Receiver<notify::Result<notify::Event>>;

/// Where the browser editor says it has written a file (see [`saved`]).
pub type Saves = Sender<notify::Result<notify::Event>>;

/// What the browser editor sends once it has written a file: its write is whole (one
/// rename into place), so the preview rebuilds at once rather than waiting for a burst
/// of file events to end.
pub fn saved() -> notify::Result<notify::Event> {
    Ok(notify::Event::new(EventKind::Other).set_info(SAVED))
}

const SAVED: &str = "clusterdir: the editor saved a file";

fn is_saved(event: &notify::Result<notify::Event>) -> bool {
    event
        .as_ref()
        .is_ok_and(|e| matches!(e.kind, EventKind::Other) && e.info() == Some(SAVED))
}

/// Watch the folders of the site at `root` that exist; events arrive on the receiver,
/// and the sender lets the editor add its own.
pub fn watch(root: &Path) -> std::io::Result<(RecommendedWatcher, Saves, Events)> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let saves = tx.clone();
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
    Ok((watcher, saves, rx))
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
pub fn watch_loop(rx: &Events, rebuild: impl Fn() -> String) {
    while let Ok(event) = rx.recv() {
        if is_saved(&event) {
            settle(rx);
        } else if event.as_ref().is_ok_and(is_edit) {
            gather(rx);
        } else {
            continue;
        }
        let started = std::time::Instant::now();
        let counts = rebuild();
        println!(
            "Rebuilt in {:.1} ms: {counts}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// The rest of a burst: events until none comes for a short quiet period, or until the
/// editor says its write is whole.
fn gather(rx: &Events) {
    const QUIET: Duration = Duration::from_millis(25);
    while let Ok(event) = rx.recv_timeout(QUIET) {
        if is_saved(&event) {
            settle(rx);
            return;
        }
    }
}

/// After the editor's word: take the file events its write caused, which the file
/// system may still be delivering, so they do not start a second build.
fn settle(rx: &Events) {
    while rx.recv_timeout(Duration::from_millis(3)).is_ok() {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn modified(path: &str) -> notify::Result<notify::Event> {
        Ok(
            notify::Event::new(EventKind::Modify(notify::event::ModifyKind::Any))
                .add_path(path.into()),
        )
    }

    fn rebuilds(events: Vec<notify::Result<notify::Event>>) -> usize {
        let (tx, rx) = std::sync::mpsc::channel();
        for e in events {
            tx.send(e).unwrap();
        }
        drop(tx);
        let n = Cell::new(0);
        watch_loop(&rx, || {
            n.set(n.get() + 1);
            String::new()
        });
        n.get()
    }

    #[test]
    fn the_editors_word_starts_a_rebuild_even_before_its_file_events() {
        assert_eq!(rebuilds(vec![saved()]), 1);
    }

    #[test]
    fn one_save_is_one_rebuild_whichever_comes_first() {
        let arm = "content/clusters/arm.toml";
        assert_eq!(rebuilds(vec![modified(arm), saved(), modified(arm)]), 1);
        assert_eq!(rebuilds(vec![saved(), modified(arm), modified(arm)]), 1);
        // A read or a change to metadata alone is no edit.
        let read = Ok(
            notify::Event::new(EventKind::Access(notify::event::AccessKind::Any))
                .add_path(arm.into()),
        );
        assert_eq!(rebuilds(vec![read]), 0);
    }
}
