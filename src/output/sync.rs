//! Update the preview's output folder in place, writing only files whose bytes changed.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::output::atomic::recover;
use crate::output::{ctx, Output};

/// What `serve` last wrote into the output folder: each file's path and a hash of its
/// bytes. With it, a rebuild neither reads unchanged files back nor walks the folder.
#[derive(Default)]
pub struct Written(std::sync::Mutex<Option<HashMap<String, u64>>>);

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Bring `output` in line with `files` in place, writing only files whose bytes differ
/// (each through a temporary file and a rename) and removing files no longer built.
/// Used by `serve`, where the browser reloads from the same folder and unchanged files
/// keep their modification times. The first sync compares with the files on disk and
/// removes any others; later ones compare with what `written` remembers. Returns how
/// many files were written.
pub fn sync_in_place(output: &Path, files: &Output, written: &Written) -> io::Result<usize> {
    let mut memory = written
        .0
        .lock()
        .map_err(|_| io::Error::other("a build panicked"))?;
    let previous = memory.take();
    if previous.is_none() {
        recover(output)?;
    }
    std::fs::create_dir_all(output).map_err(|e| ctx(e, "could not create", output))?;
    let hashes: HashMap<String, u64> = files
        .par_iter()
        .map(|(rel, bytes)| (rel.clone(), hash_bytes(bytes)))
        .collect();
    let count: usize = files
        .par_iter()
        .map(|(rel, bytes)| -> io::Result<usize> {
            let path = output.join(rel);
            let unchanged = match &previous {
                Some(p) => p.get(rel) == hashes.get(rel),
                None => std::fs::read(&path).is_ok_and(|old| &old == bytes),
            };
            if unchanged {
                return Ok(0);
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| ctx(e, "could not create", dir))?;
            }
            let tmp = path.with_extension("clusterdir-tmp");
            std::fs::write(&tmp, bytes).map_err(|e| ctx(e, "could not write", &tmp))?;
            std::fs::rename(&tmp, &path).map_err(|e| ctx(e, "could not write", &path))?;
            Ok(1)
        })
        .sum::<io::Result<usize>>()?;
    match &previous {
        Some(p) => remove_gone(output, p.keys().filter(|k| !files.contains_key(*k)))?,
        None => remove_unknown(output, files)?,
    }
    *memory = Some(hashes);
    Ok(count)
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

/// Remove every file in the output folder that is not in `files` (and empty folders).
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
        if entry.file_type().is_file() && !files.contains_key(&rel) && rel != ".gitkeep" {
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
            .unwrap(),
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
            .unwrap(),
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
            sync_in_place(&out, &files(&[("a.html", "1"), ("b/c.html", "3")]), &fresh).unwrap(),
            0
        );
    }
}
