//! Update the preview's output folder in place, writing only files whose bytes changed.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::atomic::recover;
use crate::output::guard::{is_marked, mark, MARKER};
use crate::output::{ctx, Output, WriteError, Wrote};

/// What `serve` last wrote into the output folder: each file's path and a hash of its
/// bytes. With it, a rebuild neither reads unchanged files back nor walks the folder.
#[derive(Default)]
pub struct Written(std::sync::Mutex<Option<HashMap<String, u64>>>);

/// A 64-bit hash of a file's bytes, to tell whether it changed. `rustc-hash`'s byte
/// hash (wyhash-like, passes SMHasher3) is several times faster than SipHash over the
/// 200 MB of a 1,000-cluster site; as with SipHash's fixed keys, it guards against
/// chance, not against chosen collisions, which content written by the site's own
/// editors has no reason to seek.
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// Bring `output` in line with `files` in place, writing only files whose bytes differ
/// and removing files no longer built. Used by `serve`, where the browser reloads from
/// the same folder and unchanged files keep their modification times. The first sync
/// compares with the files on disk and removes any others; later ones compare with what
/// `written` remembers.
///
/// Changed files are first all written beside their places under temporary names; only
/// when every one is written (the disk did not fill up) are they renamed into place. A
/// failure while writing removes the temporary files and leaves the folder as it was.
pub fn sync_in_place(
    output: &Path,
    files: &Output,
    written: &Written,
) -> Result<Wrote, WriteError> {
    let mut memory = written
        .0
        .lock()
        .map_err(|_| WriteError::before(io::Error::other("a build panicked")))?;
    // Without the mark, the folder was removed or replaced since the last sync: what
    // is remembered no longer says what is there, so compare with the disk again.
    let previous = memory.take().filter(|_| is_marked(output));
    if previous.is_none() {
        recover(output).map_err(WriteError::before)?;
    }
    std::fs::create_dir_all(output)
        .map_err(|e| WriteError::before(ctx(e, "could not create", output)))?;
    if previous.is_none() {
        remove_links(output).map_err(WriteError::before)?;
    }
    let hashes: HashMap<String, u64> = files
        .held()
        .par_iter()
        .map(|(rel, bytes)| (rel.clone(), hash_bytes(bytes)))
        .collect();
    let changed: Vec<(&String, &Vec<u8>)> = files
        .held()
        .par_iter()
        .filter(|(rel, bytes)| match &previous {
            Some(p) => p.get(*rel) != hashes.get(*rel),
            None => !same_plain_file(&output.join(rel), bytes),
        })
        .collect();
    let staged = match stage(output, &changed) {
        Ok(staged) => staged,
        Err(e) => {
            *memory = previous;
            return Err(WriteError::before(e));
        }
    };
    // From here on the folder changes: if anything fails, the next sync compares with
    // the disk again.
    let moved = staged.iter().try_for_each(|(tmp, path)| {
        std::fs::rename(tmp, path).map_err(|e| ctx(e, "could not write", path))
    });
    let tidied = moved.and_then(|()| match &previous {
        Some(p) => remove_gone(output, p.keys().filter(|k| !files.contains_key(k))),
        None => remove_unknown(output, files),
    });
    // The mark lists every file; it changes only when the set of files does (and the
    // folder is known to be marked, or `previous` would be empty).
    let same_files = previous
        .as_ref()
        .is_some_and(|p| p.len() == files.len() && files.keys().all(|k| p.contains_key(k)));
    let marked = tidied.and_then(|()| {
        if same_files {
            Ok(())
        } else {
            mark(output, files.keys())
        }
    });
    if let Err(error) = marked {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(WriteError {
            error,
            untouched: false,
        });
    }
    *memory = Some(hashes);
    Ok(Wrote {
        files: changed.len(),
        note: None,
    })
}

/// Write each changed file beside its place under a temporary name: the pairs of
/// temporary and final paths. On failure, the temporary files written are removed.
fn stage(output: &Path, changed: &[(&String, &Vec<u8>)]) -> io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut dirs: Vec<&Path> = changed
        .iter()
        .filter_map(|(rel, _)| Path::new(rel.as_str()).parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        real_dir(output, dir)?;
    }
    let results: Vec<io::Result<(PathBuf, PathBuf)>> = changed
        .par_iter()
        .map(|(rel, bytes)| {
            let path = output.join(rel);
            let tmp = temporary_name(&path);
            if let Err(e) = std::fs::write(&tmp, bytes) {
                let _ = std::fs::remove_file(&tmp);
                return Err(ctx(e, "could not write", &tmp));
            }
            Ok((tmp, path))
        })
        .collect();
    if results.iter().any(Result::is_err) {
        let mut first = None;
        for r in results {
            match r {
                Ok((tmp, _)) => {
                    let _ = std::fs::remove_file(tmp);
                }
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        return Err(first.expect("an error was seen"));
    }
    Ok(results.into_iter().flatten().collect())
}

/// Remove every symbolic link in the output folder (the links, never what they point
/// to): files are written only into real folders of the output.
fn remove_links(output: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        if entry.path_is_symlink() {
            std::fs::remove_file(entry.path())
                .map_err(|e| ctx(e, "could not remove", entry.path()))?;
        }
    }
    Ok(())
}

/// Whether `path` is a plain file (never a link) holding exactly `bytes`.
fn same_plain_file(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Make `rel` (a folder path inside `output`) a real folder at every step: a symbolic
/// link on the way (which would send files out of the output folder) is removed (the
/// link only, never what it points to) and a folder made in its place.
fn real_dir(output: &Path, rel: &Path) -> io::Result<()> {
    let mut path = output.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => continue,
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::remove_file(&path).map_err(|e| ctx(e, "could not remove", &path))?;
            }
            _ => {}
        }
        match std::fs::create_dir(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
            Err(e) => return Err(ctx(e, "could not create", &path)),
        }
    }
    Ok(())
}

/// `dir/.name.clusterdir-tmp` for `dir/name`: hidden, and never the name of a built file.
fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.clusterdir-tmp"))
}

/// Remove files an earlier sync wrote that are no longer built, and their folders if
/// that leaves them empty.
fn remove_gone<'a>(output: &Path, gone: impl Iterator<Item = &'a String>) -> io::Result<()> {
    for rel in gone {
        let path = output.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(ctx(e, "could not remove", &path)),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break; // not empty
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Remove every file in the output folder that is not in `files`, every symbolic link,
/// and empty folders.
fn remove_unknown(output: &Path, files: &Output) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(output)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        let rel = entry
            .path()
            .strip_prefix(output)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let kept = files.contains_key(&rel) || rel == ".gitkeep" || rel == MARKER;
        // A link is removed whatever its name (the link, never what it points to).
        if entry.path_is_symlink() || (entry.file_type().is_file() && !kept) {
            std::fs::remove_file(entry.path())
                .map_err(|e| ctx(e, "could not remove", entry.path()))?;
        } else if entry.file_type().is_dir() && entry.path() != output {
            let _ = std::fs::remove_dir(entry.path()); // only succeeds when empty
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::output_of as files;

    #[test]
    fn sync_writes_only_changed_files_and_removes_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stray")).unwrap();
        std::fs::write(out.join("stray/old.html"), "from an earlier run").unwrap();
        let written = Written::default();
        assert_eq!(
            sync_in_place(
                &out,
                &files(&[("a.html", "1"), ("b/c.html", "2"), ("gone/x.html", "x")]),
                &written
            )
            .unwrap()
            .files,
            3
        );
        assert!(
            !out.join("stray").exists(),
            "the first sync removes unknown files"
        );
        let before = std::fs::metadata(out.join("a.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            sync_in_place(
                &out,
                &files(&[("a.html", "1"), ("b/c.html", "3")]),
                &written
            )
            .unwrap()
            .files,
            1
        );
        assert_eq!(
            std::fs::metadata(out.join("a.html"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        assert_eq!(std::fs::read_to_string(out.join("b/c.html")).unwrap(), "3");
        assert!(
            !out.join("gone").exists(),
            "files no longer built and their folders go"
        );
        // A new process (nothing remembered) compares with the disk instead.
        let fresh = Written::default();
        assert_eq!(
            sync_in_place(&out, &files(&[("a.html", "1"), ("b/c.html", "3")]), &fresh)
                .unwrap()
                .files,
            0
        );
    }

    #[test]
    fn a_failed_write_leaves_the_folder_as_it_was_and_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let written = Written::default();
        let old = files(&[("a.html", "old a"), ("b.html", "old b"), ("c/d.html", "d")]);
        sync_in_place(&out, &old, &written).unwrap();
        // `a.html` is a file, so `a.html/x.html` cannot be written; `b.html` could be.
        let bad = files(&[
            ("a.html", "old a"),
            ("a.html/x.html", "x"),
            ("b.html", "new b"),
        ]);
        let err = sync_in_place(&out, &bad, &written).unwrap_err();
        assert!(err.untouched);
        let on_disk: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&out).unwrap().display().to_string())
            .collect();
        assert_eq!(on_disk.len(), 4, "no temporary files: {on_disk:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("b.html")).unwrap(),
            "old b"
        );
        assert!(out.join("c/d.html").is_file());
        // What is remembered is still the old site: the next good build writes only b.
        let next = files(&[("a.html", "old a"), ("b.html", "new b"), ("c/d.html", "d")]);
        assert_eq!(sync_in_place(&out, &next, &written).unwrap().files, 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_output_never_carry_a_write_out_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("style.css"), "same").unwrap();
        std::fs::write(outside.join("mine.txt"), "mine").unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("static")).unwrap();
        std::os::unix::fs::symlink(outside.join("mine.txt"), out.join("index.html")).unwrap();
        let site = files(&[
            ("index.html", "new"),
            ("static/style.css", "same"),
            ("static/a.js", "a"),
        ]);
        sync_in_place(&out, &site, &Written::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("mine.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            2,
            "nothing written outside"
        );
        assert!(std::fs::symlink_metadata(out.join("static"))
            .unwrap()
            .is_dir());
        assert_eq!(
            std::fs::read_to_string(out.join("static/style.css")).unwrap(),
            "same"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_folder_removed_while_serving_is_written_whole_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let written = Written::default();
        let site = files(&[("index.html", "1"), ("static/style.css", "s")]);
        sync_in_place(&out, &site, &written).unwrap();
        std::fs::remove_dir_all(&out).unwrap();
        let next = files(&[("index.html", "2"), ("static/style.css", "s")]);
        assert_eq!(sync_in_place(&out, &next, &written).unwrap().files, 2);
        assert_eq!(
            std::fs::read_to_string(out.join("static/style.css")).unwrap(),
            "s"
        );
    }
}
