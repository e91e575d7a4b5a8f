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

/// How long a burst of file events must be quiet before it is taken as over, when no
/// event has said that a write is whole.
pub const QUIET: Duration = Duration::from_millis(25);

/// Wait for edits; after the first, gather the rest of a burst (an editor's save is
/// often several events) until a write is known to be whole or for a `quiet` period,
/// then rebuild once. `rebuild` says how many errors and warnings it found, for the line
/// printed after it.
pub fn watch_loop(rx: &Events, quiet: Duration, rebuild: impl Fn() -> String) {
    while let Ok(event) = rx.recv() {
        if is_saved(&event) || event.as_ref().is_ok_and(is_renamed_into_place) {
            settle(rx);
        } else if event.as_ref().is_ok_and(is_edit) {
            gather(rx, quiet);
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

/// The rest of a burst: events until none comes for the `quiet` period, or until one
/// says a write is whole (the editor's word, a file closed after writing, or a file
/// renamed into place), after which only the events right behind it are taken.
fn gather(rx: &Events, quiet: Duration) {
    while let Ok(event) = rx.recv_timeout(quiet) {
        if is_saved(&event) || event.as_ref().is_ok_and(is_whole) {
            settle(rx);
            return;
        }
    }
}

/// A file of the site closed after writing (inotify's `IN_CLOSE_WRITE`), or renamed
/// into place: the write is whole, so the build need not wait for more.
fn is_whole(event: &notify::Event) -> bool {
    use notify::event::{AccessKind, AccessMode};
    let closed = matches!(
        event.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    ) && event.paths.iter().any(|p| !is_editor_temp(p));
    closed || is_renamed_into_place(event)
}

/// A file renamed to a name of the site (how many editors save: a temporary file
/// written whole, then renamed over the real one).
fn is_renamed_into_place(event: &notify::Event) -> bool {
    use notify::event::{ModifyKind, RenameMode};
    matches!(
        event.kind,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    ) && event.paths.last().is_some_and(|p| !is_editor_temp(p))
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
        watch_loop(&rx, QUIET, || {
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

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(path.into()))
    }

    /// Whether `rebuild` runs within two seconds of `events` arriving, while the
    /// burst's quiet period is a minute and nothing else comes.
    fn rebuilds_at_once(events: Vec<notify::Result<notify::Event>>) -> bool {
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            watch_loop(&rx, Duration::from_secs(60), || {
                let _ = done_tx.send(());
                String::new()
            })
        });
        for e in events {
            tx.send(e).unwrap();
        }
        let at_once = done_rx.recv_timeout(Duration::from_secs(2)).is_ok();
        drop(tx); // ends the loop (after the quiet period, if it is still gathering)
        at_once
    }

    #[test]
    fn a_write_known_to_be_whole_is_built_at_once_and_others_wait_for_quiet() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RenameMode,
        };
        let arm = "content/clusters/arm.toml";
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        // Written in place and closed (most editors, and `std::fs::write`).
        assert!(rebuilds_at_once(vec![
            event(written, arm),
            event(closed, arm)
        ]));
        // A new file created, written and closed.
        assert!(rebuilds_at_once(vec![
            event(EventKind::Create(CreateKind::File), arm),
            event(written, arm),
            event(closed, arm)
        ]));
        // A temporary file renamed over the real one.
        assert!(rebuilds_at_once(vec![event(renamed, arm)]));
        // Still being written (no close yet), or only an editor's swap file closed, or a
        // rename to a swap file's name, or a file opened for writing and closed unchanged
        // (no edit at all): each waits for the quiet period (checked side by side).
        let waiting = [
            vec![event(written, arm)],
            vec![
                event(written, arm),
                event(closed, "content/clusters/.arm.toml.swp"),
            ],
            vec![event(renamed, "content/clusters/arm.toml~")],
            vec![event(closed, arm)],
        ];
        std::thread::scope(|s| {
            let checks: Vec<_> = waiting
                .into_iter()
                .map(|events| s.spawn(move || rebuilds_at_once(events)))
                .collect();
            for (i, check) in checks.into_iter().enumerate() {
                assert!(!check.join().unwrap(), "case {i} was built at once");
            }
        });
    }

    #[test]
    fn the_file_system_says_when_a_write_is_whole() {
        // What the watcher gets here when a file is written as `std::fs::write` (and
        // most editors) does: an event that says the write is whole.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let file = dir.path().join("content/a.toml");
        std::fs::write(&file, "a").unwrap();
        let (_watcher, _saves, rx) = watch(dir.path()).unwrap();
        std::fs::write(&file, "b").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut whole = false;
        while !whole && std::time::Instant::now() < deadline {
            if let Ok(Ok(e)) = rx.recv_timeout(Duration::from_millis(100)) {
                whole = is_whole(&e);
            }
        }
        assert!(whole, "no event said the write was whole");
    }
}
