//! Write a build so that the output folder is never half-built.
//!
//! Files go into a fresh staging folder beside the output folder (same file system, so
//! renames are cheap), each as it is made ([`Staging`] is the [`Sink`] of a streaming
//! [`Output`]), so a build never holds the whole site in memory. Only when every file
//! is written and the build found no error is the staging folder swapped in:
//! on Linux the two folders are exchanged in one atomic rename, elsewhere the old output
//! is renamed aside and the new one renamed into place. If anything fails before the
//! swap, the old output is untouched. Leftovers from a build that was killed (staging or
//! set-aside folders) are cleaned up, and a set-aside old output is put back if the swap
//! was interrupted between the two renames.
//!
//! Two generations: the site swapped out is not deleted but kept beside the output as
//! the spare (`.public.clusterdir-spare`), and the next build writes into it instead of
//! a fresh folder. There a file whose bytes are already right is left alone, a changed
//! one replaced (never written through: it may share its inode with the output's copy),
//! and at the end anything the new site does not have is removed. A rebuild of a site
//! that barely changed so creates and deletes almost nothing, which on some file systems
//! costs more than all the rendering.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::output::guard::{foreign_entries, is_marked, mark, name_list, MARKER};
use crate::output::{ctx, Output, Sink, WriteError, Wrote};

const STAGING: &str = "staging";
const PREVIOUS: &str = "previous";
const SPARE: &str = "spare";

fn sibling(output: &Path, kind: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.clusterdir-{kind}"))
}

/// Put right what a killed earlier build left behind: a set-aside old site goes back
/// when there is no output, and leftover folders are removed, but only folders that
/// carry clusterdir's mark; anything else with such a name is in the way and said so.
pub(crate) fn recover(output: &Path) -> io::Result<()> {
    let previous = sibling(output, PREVIOUS);
    if std::fs::symlink_metadata(&previous).is_ok() {
        if output.exists() {
            remove_leftover(&previous)?;
        } else if is_ours(&previous) {
            std::fs::rename(&previous, output).map_err(|e| ctx(e, "could not restore", output))?;
        } else {
            std::fs::remove_dir(&previous).map_err(|_| in_the_way(&previous))?;
        }
    }
    let staging = sibling(output, STAGING);
    if std::fs::symlink_metadata(&staging).is_ok() {
        remove_leftover(&staging)?;
    }
    Ok(())
}

fn remove_leftover(dir: &Path) -> io::Result<()> {
    if is_ours(dir) {
        return remove_marked(dir);
    }
    // An empty folder (a build killed before it could mark it) holds nothing to lose.
    std::fs::remove_dir(dir).map_err(|_| in_the_way(dir))
}

/// Remove a folder that carries clusterdir's mark, the mark last: a run killed part-way
/// leaves a folder the next run still knows as its own.
fn remove_marked(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| ctx(e, "could not list", dir))? {
        let entry = entry.map_err(|e| ctx(e, "could not list", dir))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| ctx(e, "could not remove", &path))?;
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    std::fs::remove_dir(dir).map_err(|e| ctx(e, "could not remove", dir))
}

/// A real folder (not a link) with clusterdir's mark.
fn is_ours(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && is_marked(dir)
}

/// The error for a folder with one of clusterdir's working names that it did not make
/// (of kind `AlreadyExists`, so the message's hint can say what to do).
fn in_the_way(dir: &Path) -> io::Error {
    io::Error::new(io::ErrorKind::AlreadyExists, format!(
        "{} is in the way: clusterdir uses this name for a site while it builds, but this was not made by clusterdir, so it was left alone; move or rename it",
        dir.display()
    ))
}

/// Write every file and swap the new site in. On error the old output is left as it was
/// (the error says so when it is not: see [`WriteError::untouched`]).
pub fn write_atomically(output: &Path, files: &Output) -> Result<Wrote, WriteError> {
    write_with(output, files, &retire)
}

/// What becomes of the old site once the new one is in place: it is kept as the spare
/// (`old` renamed to `spare`) when it is clusterdir's and holds no links and no files
/// its mark does not list (`--force` said those go), else removed.
fn retire(old: &Path, spare: &Path) -> io::Result<()> {
    let keep = is_ours(old)
        && !has_links(old)
        && std::fs::symlink_metadata(spare).is_err()
        && foreign_entries(old).is_ok_and(|(foreign, _)| foreign.is_empty());
    if keep && std::fs::rename(old, spare).is_ok() {
        hide(spare);
        return Ok(());
    }
    remove_old(old)
}

/// Make the spare readable by this user only: it sits beside the output, and when the
/// folder holding the output is published whole (a site built into
/// `/var/www/html/directory`, say) a web server running as another user must not serve
/// the site before (pages since removed) from it. Best effort; elsewhere than Unix
/// nothing changes.
///
/// And a `.gitignore` ([`SPARE_IGNORE`]) in the spare keeps it out of git: a site built into a
/// folder of a repository (`--output docs` for GitHub Pages) would otherwise have a second
/// copy of itself committed beside it. It is removed when the spare is next used.
fn hide(spare: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(spare, std::fs::Permissions::from_mode(0o700));
    }
    let ignore = spare.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        let _ = write_new(&ignore, &[SPARE_IGNORE.as_bytes()]);
    }
}

/// The spare's `.gitignore` (see [`hide`]).
const SPARE_IGNORE: &str = "# clusterdir keeps the site before the last build in this folder, for the next build\n# to bring up to date. It is not part of the site: git leaves it out.\n*\n";

/// Remove the `.gitignore` [`hide`] put in the spare (a plain file of exactly that text).
fn unignore(spare: &Path) {
    let ignore = spare.join(".gitignore");
    let ours = std::fs::symlink_metadata(&ignore).is_ok_and(|m| m.is_file())
        && std::fs::read(&ignore).is_ok_and(|b| b == SPARE_IGNORE.as_bytes());
    if ours {
        let _ = std::fs::remove_file(&ignore);
    }
}

/// Give the spare, about to be swapped in, the output folder's permissions (a fresh
/// folder's, 0755, when there is no output), undoing [`hide`].
fn unhide(staging: &Path, output: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(output)
            .ok()
            .filter(|m| m.is_dir())
            .map_or(0o755, |m| m.permissions().mode() & 0o7777);
        std::fs::set_permissions(staging, std::fs::Permissions::from_mode(mode))
            .map_err(|e| ctx(e, "could not set the permissions of", staging))?;
    }
    #[cfg(not(unix))]
    let _ = (staging, output);
    Ok(())
}

/// The old site, swapped out: marked (if it was not, `--force` took it over) so a run
/// killed while removing it leaves a folder still known as clusterdir's.
fn remove_old(dir: &Path) -> io::Result<()> {
    let marked = is_marked(dir) || mark(dir, &[]).is_ok();
    if marked {
        remove_marked(dir)
    } else {
        std::fs::remove_dir_all(dir)
    }
}

/// [`write_atomically`], retiring the old copy with `retire` (tests make it fail).
fn write_with(output: &Path, files: &Output, retire: &Retire) -> Result<Wrote, WriteError> {
    Staging::begin(output)?.finish_with(files, retire)
}

/// A build being written: a staging folder beside the output folder (the spare, or a
/// fresh one), which files are written into as they are made ([`Sink`]) and which
/// [`Staging::finish`] swaps in. Until then the output folder is untouched;
/// [`Staging::abandon`] (or dropping it unfinished) puts the spare back, or removes a
/// fresh staging folder.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Whether the staging folder is the spare, an older site being brought up to date
    /// (so what is in it may be stale, and is checked, replaced or removed).
    recycled: bool,
    /// The old output, to carry unchanged files over from (none if a link in it could
    /// lead out of it).
    carry: Option<PathBuf>,
    /// Folders made so far.
    made: Mutex<HashSet<PathBuf>>,
    done: AtomicBool,
}

impl Staging {
    /// Put right what a killed build left, and make the staging folder, marked first
    /// so that if this build is killed the next knows the folder is its own.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| WriteError::before(ctx(e, "could not create", parent)))?;
        }
        recover(output).map_err(WriteError::before)?;
        let dir = sibling(output, STAGING);
        let recycled = take_spare(output, &dir).map_err(WriteError::before)?;
        if !recycled {
            std::fs::create_dir_all(&dir)
                .map_err(|e| WriteError::before(ctx(e, "could not create", &dir)))?;
        }
        let staging = Staging {
            output: output.to_path_buf(),
            carry: (!has_links(output)).then(|| output.to_path_buf()),
            made: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            recycled,
            done: AtomicBool::new(false),
        };
        if !recycled {
            mark(&staging.dir, &[]).map_err(WriteError::before)?;
        }
        Ok(staging)
    }

    /// Write the files still held in memory, list every file in the mark, and swap
    /// the staging folder in.
    pub fn finish(&self, files: &Output) -> Result<Wrote, WriteError> {
        self.finish_with(files, &retire)
    }

    fn finish_with(&self, files: &Output, retire: &Retire) -> Result<Wrote, WriteError> {
        self.done.store(true, Ordering::SeqCst);
        let staged = match files.take_error() {
            Some(e) => Err(e),
            None => files
                .held()
                .par_iter()
                .try_for_each(|(rel, bytes)| self.write(rel, bytes)),
        };
        let staged = staged
            .and_then(|()| self.prune(files))
            .and_then(|()| mark(&self.dir, files.keys()))
            .and_then(|()| keep_gitkeep(&self.output, &self.dir, files))
            .and_then(|()| match self.recycled {
                true => unhide(&self.dir, &self.output),
                false => Ok(()),
            });
        if let Err(e) = staged {
            self.discard();
            return Err(WriteError::before(e));
        }
        let result = swap_in(&self.dir, &self.output, retire);
        if result.as_ref().is_err_and(|e| e.untouched) {
            self.discard();
        }
        result.map(|note| Wrote {
            files: files.len(),
            note,
        })
    }

    /// Give the build up: the output folder was never touched. The spare goes back to
    /// being the spare (what is in it is checked file by file when it is next used);
    /// a fresh staging folder is removed.
    pub fn abandon(&self) {
        if !self.done.swap(true, Ordering::SeqCst) {
            self.discard();
        }
    }

    fn discard(&self) {
        let spare = sibling(&self.output, SPARE);
        let kept = self.recycled
            && relist(&self.dir).is_ok()
            && std::fs::rename(&self.dir, &spare).is_ok();
        if kept {
            hide(&spare);
        } else {
            let _ = remove_marked(&self.dir);
        }
    }

    /// Make the folder `d` (inside the staging folder) unless this build already has.
    /// In the spare, a file of the older site where this one has a folder is removed.
    fn folder(&self, d: &Path) -> io::Result<()> {
        if self.made.lock().is_ok_and(|m| m.contains(d)) {
            return Ok(());
        }
        let mut made = std::fs::create_dir_all(d);
        if made.is_err() && self.recycled {
            for above in d.ancestors().take_while(|a| a.starts_with(&self.dir)) {
                if std::fs::symlink_metadata(above).is_ok_and(|m| m.is_file()) {
                    let _ = std::fs::remove_file(above);
                }
            }
            made = std::fs::create_dir_all(d);
        }
        made.map_err(|e| ctx(e, "could not create", d))?;
        if let Ok(mut m) = self.made.lock() {
            m.insert(d.to_path_buf());
        }
        Ok(())
    }

    /// In the spare, remove every file the new site does not have, and folders left
    /// empty, and make sure every file the new site has is there (a file and a folder
    /// of the same name cannot both be: such a site fails here, not half-written).
    fn prune(&self, files: &Output) -> io::Result<()> {
        if !self.recycled {
            return Ok(());
        }
        let mut found = 0;
        for entry in walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .contents_first(true)
        {
            let entry = entry.map_err(|e| ctx(e.into(), "could not list", &self.dir))?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                // Only an empty one goes.
                let _ = std::fs::remove_dir(path);
                continue;
            }
            let rel = path.strip_prefix(&self.dir).unwrap_or(path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == MARKER {
                continue;
            }
            if entry.file_type().is_file() && files.contains_key(&rel) {
                found += 1;
            } else {
                std::fs::remove_file(path).map_err(|e| ctx(e, "could not remove", path))?;
            }
        }
        if found != files.len() {
            return Err(io::Error::other(format!(
                "{} of the {} files built are missing from {}: a file and a folder of the same name were both made",
                files.len() - found,
                files.len(),
                self.dir.display()
            )));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.abandon();
    }
}

impl Sink for Staging {
    /// Write one file into the staging folder. A file whose bytes are the same as in
    /// the old output is hard-linked from there instead: no new inode, no data written,
    /// and it keeps its modification time (so tools that deploy by size and time skip
    /// it). Where links are not possible the file is written. A file written earlier
    /// at the same path is removed first, never written through (it may be a link to
    /// the old output's file).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_parts(rel, &[bytes])
    }

    /// [`Staging::write`] of a file made in pieces, written one after another.
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            self.folder(parent)?;
        }
        if self.recycled {
            // The spare's copy: already right (left as it is), or a folder in the way.
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() && same_bytes(&path, m.len(), parts) => return Ok(()),
                Ok(m) if m.is_dir() => {
                    std::fs::remove_dir_all(&path).map_err(|e| ctx(e, "could not remove", &path))?
                }
                _ => {}
            }
        }
        if let Some(old) = self.carry.as_ref().map(|p| p.join(rel)) {
            // A plain file (never a symlink) with the same bytes.
            let same = std::fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && same_bytes(&old, m.len(), parts));
            if same {
                let _ = std::fs::remove_file(&path);
                if std::fs::hard_link(&old, &path).is_ok() {
                    return Ok(());
                }
            }
        }
        write_new(&path, parts)
    }

    fn remove(&self, rel: &str) -> io::Result<()> {
        let path = self.dir.join(rel);
        std::fs::remove_file(&path).map_err(|e| ctx(e, "could not remove", &path))
    }
}

/// Write `parts` into a new file at `path`: a file already there is removed first, never
/// written through (it may share its data, by a hard link, with the output's copy).
fn write_new(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path).and_then(|()| create())
        }
        other => other,
    }
    .map_err(|e| ctx(e, "could not write", path))?;
    for part in parts {
        file.write_all(part)
            .map_err(|e| ctx(e, "could not write", path))?;
    }
    Ok(())
}

/// What becomes of the old site after the swap: `(old, spare)`, see [`retire`].
type Retire = dyn Fn(&Path, &Path) -> io::Result<()>;

/// Whether the file at `path`, `len` bytes long, holds `parts`, one after another:
/// read a piece at a time (at most 64 KiB), so a big file is never read whole into
/// memory.
fn same_bytes(path: &Path, len: u64, parts: &[&[u8]]) -> bool {
    use std::io::Read;
    let want: usize = parts.iter().map(|p| p.len()).sum();
    if len != want as u64 {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = vec![0u8; want.clamp(1, 64 * 1024)];
    for part in parts {
        for want in part.chunks(buf.len()) {
            let got = &mut buf[..want.len()];
            if file.read_exact(got).is_err() || got != want {
                return false;
            }
        }
    }
    file.read(&mut buf[..1]).is_ok_and(|n| n == 0)
}

/// Take the spare as the staging folder, if there is one that is clusterdir's, holds
/// only files its mark lists, no links, and only folders this user may write (one that
/// cannot be brought up to date, left by a build run as another user say, is removed if
/// it can be and else left alone: the build writes a fresh folder either way). An empty
/// folder of that name that is not clusterdir's is removed; anything else, and a spare
/// holding files clusterdir did not make, is in the way.
fn take_spare(output: &Path, staging: &Path) -> io::Result<bool> {
    let spare = sibling(output, SPARE);
    if std::fs::symlink_metadata(&spare).is_err() {
        return Ok(false);
    }
    if !is_ours(&spare) {
        std::fs::remove_dir(&spare).map_err(|_| in_the_way(&spare))?;
        return Ok(false);
    }
    unignore(&spare);
    let (foreign, _) = foreign_entries(&spare).map_err(|e| ctx(e, "could not list", &spare))?;
    if !foreign.is_empty() {
        hide(&spare);
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!(
            "{} holds files clusterdir did not make ({}): this folder keeps the site before the last one, for the next build to bring up to date, and clusterdir removes only what it made; move those files out, or delete the folder",
            spare.display(),
            name_list(&foreign, 5)
        )));
    }
    if !reusable(&spare) {
        let _ = remove_marked(&spare);
        return Ok(false);
    }
    std::fs::rename(&spare, staging).map_err(|e| ctx(e, "could not reuse", &spare))?;
    Ok(true)
}

/// Whether the spare can be brought up to date, in one walk: it holds no symbolic link,
/// and this user may make and remove files in every folder of it.
fn reusable(dir: &Path) -> bool {
    use rustix::fs::{access, Access};
    walkdir::WalkDir::new(dir).into_iter().flatten().all(|e| {
        if e.path_is_symlink() {
            false
        } else if e.file_type().is_dir() {
            access(e.path(), Access::WRITE_OK | Access::EXEC_OK).is_ok()
        } else {
            true
        }
    })
}

/// Relist in the spare's mark every file now in it: a build given up may have written
/// files the mark it had does not list, and these are clusterdir's as much.
fn relist(dir: &Path) -> io::Result<()> {
    let mut names = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| ctx(e.into(), "could not list", dir))?;
        if entry.file_type().is_file() && entry.file_name() != MARKER {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            names.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    mark(dir, &names)
}

/// Whether the folder holds a symbolic link anywhere.
fn has_links(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .any(|e| e.path_is_symlink())
}

/// A `.gitkeep` in the output folder (which keeps an empty `public/` in git) survives
/// the swap, unless the site has a `.gitkeep` of its own (which is then what it is).
/// Only a plain file is kept (a link could bring a file from outside into the site),
/// and its copy is a new file, never written through one already there (which may
/// share its data with the output's).
fn keep_gitkeep(output: &Path, staging: &Path, files: &Output) -> io::Result<()> {
    let keep = output.join(".gitkeep");
    if files.contains_key(".gitkeep")
        || !std::fs::symlink_metadata(&keep).is_ok_and(|m| m.is_file())
    {
        return Ok(());
    }
    let bytes = std::fs::read(&keep).map_err(|e| ctx(e, "could not copy", &keep))?;
    write_new(&staging.join(".gitkeep"), &[&bytes])
}

/// Swap the staging folder and the output folder in one step (Linux `renameat2` with
/// `RENAME_EXCHANGE`): at every moment the output folder is the complete old site or the
/// complete new one. The old site then sits in the staging folder and is retired.
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, output: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staging: &Path, _output: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Put the staging folder in the output folder's place, and retire the old site (kept as
/// the spare, or removed). A failure to remove the old copy afterwards is not a failed
/// write (the new site is in place): it comes back as a note.
fn swap_in(staging: &Path, output: &Path, retire: &Retire) -> Result<Option<String>, WriteError> {
    let spare = sibling(output, SPARE);
    let leftover = |dir: &Path, e: io::Error| {
        Some(format!(
            "the new site is in place, but the old copy in {} could not be removed ({e}); the next build removes it",
            dir.display()
        ))
    };
    if output.is_dir() && exchange(staging, output).is_ok() {
        // A build killed here leaves the old site in the staging folder, which the next
        // build removes.
        return Ok(retire(staging, &spare)
            .err()
            .and_then(|e| leftover(staging, e)));
    }
    // No atomic exchange (another system or file system): move the old site aside, move
    // the new one in. A build killed between the two is put right by the next build.
    let previous = sibling(output, PREVIOUS);
    let had_output = output.exists();
    if had_output {
        std::fs::rename(output, &previous)
            .map_err(|e| WriteError::before(ctx(e, "could not move aside", output)))?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        let restored = !had_output || std::fs::rename(&previous, output).is_ok();
        return Err(WriteError {
            error: ctx(e, "could not move into place", output),
            untouched: restored,
        });
    }
    if had_output {
        return Ok(retire(&previous, &spare)
            .err()
            .and_then(|e| leftover(&previous, e)));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::output_of as files;

    #[test]
    fn replaces_old_output_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &files(&[("index.html", "one"), ("old/index.html", "x")]),
        )
        .unwrap();
        write_atomically(&out, &files(&[("index.html", "two"), ("a/b/c.html", "c")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/c.html")).unwrap(),
            "c"
        );
        assert_eq!(
            beside(&out),
            ["public", ".public.clusterdir-spare"],
            "no leftovers beside the output but the spare"
        );
    }

    /// The names in the output's parent folder, the output first.
    fn beside(out: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort_by_key(|n| (n.starts_with('.'), n.clone()));
        names
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_carried_over_and_symlinks_are_not() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &files(&[("same.html", "s"), ("changed.html", "1")])).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("changed.html"));
        write_atomically(&out, &files(&[("same.html", "s"), ("changed.html", "2")])).unwrap();
        assert_eq!(
            inode("same.html"),
            same,
            "an unchanged file is the same file"
        );
        assert_ne!(inode("changed.html"), changed);
        assert_eq!(
            std::fs::read_to_string(out.join("changed.html")).unwrap(),
            "2"
        );
        // Links in the old output, to a file and to a folder outside, whose targets hold
        // exactly the new bytes: nothing is carried over through them.
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("a.html"), "l").unwrap();
        std::os::unix::fs::symlink(outside.join("a.html"), out.join("link.html")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("dir")).unwrap();
        let new = files(&[("same.html", "s"), ("link.html", "l"), ("dir/a.html", "l")]);
        write_atomically(&out, &new).unwrap();
        let outside_inode = std::fs::metadata(outside.join("a.html")).unwrap().ino();
        for p in ["link.html", "dir/a.html"] {
            let meta = std::fs::symlink_metadata(out.join(p)).unwrap();
            assert!(meta.is_file(), "{p} is a file of the output's own");
            assert_ne!(meta.ino(), outside_inode, "{p} is not the file outside");
        }
        assert!(std::fs::symlink_metadata(out.join("dir")).unwrap().is_dir());
        assert_eq!(
            std::fs::read_to_string(outside.join("a.html")).unwrap(),
            "l"
        );
    }

    #[test]
    fn a_gitkeep_in_the_output_survives_builds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(".gitkeep"), "").unwrap();
        write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
        assert!(out.join(".gitkeep").is_file());
        assert!(out.join("index.html").is_file());
    }

    #[test]
    fn recovers_from_a_build_killed_between_renames() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let previous = sibling(&out, PREVIOUS);
        std::fs::create_dir_all(&previous).unwrap();
        std::fs::write(previous.join("index.html"), "old").unwrap();
        mark(&previous, &[]).unwrap();
        std::fs::create_dir_all(sibling(&out, STAGING)).unwrap();
        mark(&sibling(&out, STAGING), &[]).unwrap();
        recover(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!sibling(&out, STAGING).exists());
    }

    #[test]
    fn an_old_copy_that_cannot_be_removed_is_a_note_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
        let refuse =
            |_: &Path, _: &Path| -> io::Result<()> { Err(io::Error::other("device busy")) };
        let wrote = write_with(&out, &files(&[("index.html", "two")]), &refuse).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two",
            "the new site is in place"
        );
        let note = wrote.note.expect("the leftover is reported");
        assert!(
            note.contains("new site is in place") && note.contains("device busy"),
            "{note}"
        );
        // The next build tidies up and leaves nothing beside the output but the spare.
        write_atomically(&out, &files(&[("index.html", "three")])).unwrap();
        assert_eq!(beside(&out), ["public", ".public.clusterdir-spare"]);
    }

    #[test]
    fn folders_with_clusterdir_s_working_names_are_removed_only_when_marked() {
        for (kind, built_before) in [
            (STAGING, true),
            (PREVIOUS, true),
            (SPARE, true),
            (STAGING, false),
            (PREVIOUS, false),
            (SPARE, false),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            if built_before {
                write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
            }
            let theirs = sibling(&out, kind);
            std::fs::create_dir_all(&theirs).unwrap();
            std::fs::write(theirs.join("thesis.txt"), "mine").unwrap();
            let err = write_atomically(&out, &files(&[("index.html", "two")])).unwrap_err();
            assert!(
                err.untouched && err.error.to_string().contains("is in the way"),
                "{err:?}"
            );
            assert_eq!(
                std::fs::read_to_string(theirs.join("thesis.txt")).unwrap(),
                "mine"
            );
            if built_before {
                assert_eq!(
                    std::fs::read_to_string(out.join("index.html")).unwrap(),
                    "one"
                );
            } else {
                assert!(!out.exists(), "{kind}: nothing moved into place");
            }
        }
    }

    #[test]
    fn an_empty_leftover_of_a_killed_build_is_removed_even_unmarked() {
        for kind in [STAGING, PREVIOUS, SPARE] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
            std::fs::create_dir_all(sibling(&out, kind)).unwrap();
            write_atomically(&out, &files(&[("index.html", "two")])).unwrap();
            // The spare that is left is the first build's site, not the empty folder.
            assert_eq!(
                beside(&out),
                ["public", ".public.clusterdir-spare"],
                "{kind}"
            );
            assert!(is_ours(&sibling(&out, SPARE)), "{kind}");
        }
    }

    #[test]
    fn every_build_marks_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
        assert!(out.join(crate::output::guard::MARKER).is_file());
        assert!(crate::output::guard::claim(dir.path(), &out, false).is_ok());
    }

    #[test]
    fn failed_write_leaves_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
        // A file and a folder with the same path cannot both be written.
        let bad = files(&[("a", "file"), ("a/b.html", "inside")]);
        let err = write_atomically(&out, &bad).unwrap_err();
        assert!(err.untouched, "the old site was never touched");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(!sibling(&out, STAGING).exists());
    }

    /// A streamed build into `out`: every file of `site` handed over as it is made.
    fn stream(out: &Path, site: &Output) -> (std::sync::Arc<Staging>, Output) {
        let staging = std::sync::Arc::new(Staging::begin(out).unwrap());
        let mut made = Output::streaming(staging.clone(), Default::default());
        for (rel, bytes) in site.iter() {
            made.insert(rel.clone(), bytes.clone());
        }
        (staging, made)
    }

    #[test]
    fn a_streamed_file_written_again_never_changes_the_old_sites_copy() {
        // Files the same as in the old site are hard links to its copies: writing one
        // again (a site's own file replacing a made one) must replace the link, not
        // write through it into the old site. Generated names and contents.
        let mut rng = fastrand::Rng::with_seed(3);
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let names: Vec<String> = (0..rng.usize(1..8))
                .map(|i| format!("d{}/f{i}.html", rng.u8(..3)))
                .collect();
            let text = |rng: &mut fastrand::Rng| -> Vec<u8> {
                (0..rng.usize(0..40))
                    .map(|_| rng.alphanumeric() as u8)
                    .collect()
            };
            let old: Output = names.iter().map(|n| (n.clone(), text(&mut rng))).collect();
            write_atomically(&out, &old).unwrap();
            let (staging, mut made) = stream(&out, &old);
            for n in &names {
                made.insert(n.clone(), text(&mut rng));
            }
            // Before the swap the old site is exactly as it was.
            let on_disk = |rel: &String| std::fs::read(out.join(rel)).unwrap();
            for (rel, bytes) in old.iter() {
                assert_eq!(&on_disk(rel), bytes, "round {round}: {rel} changed");
            }
            staging.finish(&made).unwrap();
            assert_eq!(made.len(), old.len());
        }
    }

    /// A file made in pieces (generated sizes, some over the 64 KiB compared at a time)
    /// is carried over from the old site when its pieces hold its bytes, however they
    /// are cut, and written anew with its own bytes when any byte differs.
    #[cfg(unix)]
    #[test]
    fn a_file_in_pieces_is_carried_over_only_when_every_byte_is_the_same() {
        use std::os::unix::fs::MetadataExt;
        let mut rng = fastrand::Rng::with_seed(21);
        for round in 0..12 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let bytes: Vec<u8> = (0..rng.usize(1..200_000)).map(|_| rng.u8(..)).collect();
            let mut old = Output::new();
            old.insert("data/big.json".into(), bytes.clone());
            write_atomically(&out, &old).unwrap();
            let inode = || std::fs::metadata(out.join("data/big.json")).unwrap().ino();
            let before = inode();
            let mut changed = bytes.clone();
            let at = rng.usize(..changed.len());
            changed[at] = changed[at].wrapping_add(1 + rng.u8(..255));
            for (new, same) in [(bytes.clone(), true), (changed, false)] {
                let mut cuts: Vec<usize> = (0..rng.usize(0..6))
                    .map(|_| rng.usize(..=new.len()))
                    .collect();
                cuts.extend([0, new.len()]);
                cuts.sort_unstable();
                let parts: Vec<Vec<u8>> =
                    cuts.windows(2).map(|w| new[w[0]..w[1]].to_vec()).collect();
                let staging = std::sync::Arc::new(Staging::begin(&out).unwrap());
                let mut made = Output::streaming(staging.clone(), Default::default());
                made.insert_parts("data/big.json".into(), parts);
                staging.finish(&made).unwrap();
                assert_eq!(
                    std::fs::read(out.join("data/big.json")).unwrap(),
                    new,
                    "round {round}"
                );
                assert_eq!(
                    inode() == before,
                    same,
                    "round {round}: carried over or not ({at})"
                );
            }
        }
    }

    #[test]
    fn a_streamed_build_that_cannot_write_a_file_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = files(&[("index.html", "old"), ("a.html", "a")]);
        write_atomically(&out, &old).unwrap();
        // `a.html` is a file, so `a.html/x.html` cannot be written.
        let new = files(&[
            ("index.html", "new"),
            ("a.html", "b"),
            ("a.html/x.html", "x"),
        ]);
        let (staging, made) = stream(&out, &new);
        assert_eq!(made.iter().count(), 0, "nothing is held in memory");
        let err = staging.finish(&made).unwrap_err();
        assert!(err.untouched, "{}", err.error);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(
            !sibling(&out, STAGING).exists(),
            "the staging folder is removed"
        );
    }

    #[test]
    fn a_streamed_build_given_up_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &files(&[("index.html", "old")])).unwrap();
        let (staging, _) = stream(&out, &files(&[("index.html", "new")]));
        assert!(sibling(&out, STAGING).exists());
        drop(staging);
        assert!(!sibling(&out, STAGING).exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }

    /// Every file under `dir` (but the mark) with its bytes.
    fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// A generated site over a few names that clash (`a` is a file in one site and a
    /// folder in another), with bytes from a small alphabet so that files often stay
    /// the same from one build to the next.
    fn generated_site(rng: &mut fastrand::Rng) -> Output {
        const NAMES: [&str; 9] = [
            "a",
            "a/b.html",
            "a/c/d.html",
            "e.html",
            "e.html/f.html",
            "g/h.html",
            "g",
            "i/index.html",
            "index.html",
        ];
        let mut names = NAMES.to_vec();
        rng.shuffle(&mut names);
        let clash =
            |n: &str, m: &str| n.starts_with(&format!("{m}/")) || m.starts_with(&format!("{n}/"));
        let mut chosen: Vec<&str> = Vec::new();
        for n in names {
            if rng.bool() && !chosen.iter().any(|m| clash(n, m)) {
                chosen.push(n);
            }
        }
        chosen
            .into_iter()
            .map(|n| (n.to_string(), vec![b'a' + rng.u8(..2); rng.usize(..3)]))
            .collect()
    }

    #[test]
    fn builds_through_the_spare_always_leave_exactly_the_new_site() {
        let mut rng = fastrand::Rng::with_seed(11);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for round in 0..80 {
            let site = generated_site(&mut rng);
            let expected: std::collections::BTreeMap<String, Vec<u8>> =
                site.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            // Half the builds stream, half write at the end.
            if round % 2 == 0 {
                write_atomically(&out, &site).unwrap();
            } else {
                let (staging, made) = stream(&out, &site);
                staging.finish(&made).unwrap();
            }
            assert_eq!(tree(&out), expected, "round {round}");
            if round > 0 {
                assert_eq!(beside(&out), ["public", ".public.clusterdir-spare"]);
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_rebuild_makes_no_new_files_or_folders() {
        use std::os::unix::fs::MetadataExt;
        let site: Output = (0..30)
            .map(|i| (format!("d{}/p{i}/index.html", i % 4), vec![b'x'; i]))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let inodes = |kind_dir: bool| -> std::collections::BTreeSet<(String, u64)> {
            walkdir::WalkDir::new(&out)
                .min_depth(1)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_dir() == kind_dir && e.file_name() != MARKER)
                .map(|e| (e.path().display().to_string(), e.metadata().unwrap().ino()))
                .collect()
        };
        let mut files = Vec::new();
        let mut folders = Vec::new();
        for _ in 0..5 {
            write_atomically(&out, &site).unwrap();
            files.push(inodes(false));
            folders.push(inodes(true));
        }
        assert!(
            files.iter().all(|f| *f == files[0]),
            "every file is the first build's"
        );
        // The two generations take turns: no folder is made after the second build.
        assert_eq!(folders[2], folders[0]);
        assert_eq!(folders[3], folders[1]);
        assert_eq!(folders[4], folders[0]);
    }

    #[test]
    fn a_file_and_a_folder_of_one_name_fail_in_the_spare_too() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in ["one", "two"] {
            write_atomically(&out, &files(&[("index.html", text), ("a/x.html", text)])).unwrap();
        }
        for bad in [
            files(&[("a", "file"), ("a/b.html", "inside")]),
            files(&[("index.html", "new"), ("index.html/b.html", "inside")]),
        ] {
            let err = write_atomically(&out, &bad).unwrap_err();
            assert!(err.untouched, "{}", err.error);
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                "two"
            );
            assert_eq!(
                std::fs::read_to_string(out.join("a/x.html")).unwrap(),
                "two"
            );
        }
        // And the next good build is exactly itself.
        let good = files(&[("a", "file")]);
        write_atomically(&out, &good).unwrap();
        assert_eq!(tree(&out).into_keys().collect::<Vec<_>>(), ["a"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_holding_a_link_is_not_reused_and_nothing_outside_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in ["one", "two"] {
            write_atomically(&out, &files(&[("index.html", text)])).unwrap();
        }
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("p.html"), "old").unwrap();
        let spare = sibling(&out, SPARE);
        let new = files(&[("index.html", "three"), ("d/p.html", "new")]);
        // A link the mark does not list is someone else's: named, and left alone.
        std::os::unix::fs::symlink(&outside, spare.join("d")).unwrap();
        let err = write_atomically(&out, &new).unwrap_err();
        assert!(
            err.untouched && err.error.to_string().contains("d"),
            "{}",
            err.error
        );
        assert!(std::fs::symlink_metadata(spare.join("d")).is_ok());
        std::fs::remove_file(spare.join("d")).unwrap();
        // A link in place of a file the mark lists: the spare is not reused.
        std::fs::remove_file(spare.join("index.html")).unwrap();
        std::os::unix::fs::symlink(outside.join("p.html"), spare.join("index.html")).unwrap();
        write_atomically(&out, &new).unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("p.html")).unwrap(),
            "old"
        );
        assert!(std::fs::symlink_metadata(out.join("d")).unwrap().is_dir());
        assert_eq!(
            std::fs::read_to_string(out.join("d/p.html")).unwrap(),
            "new"
        );
    }

    /// clusterdir removes only what it made: files put into the spare by hand are named
    /// and kept, and the build refused until they are moved out; files a build given up
    /// wrote there, and files `--force` took over with the output, are its own.
    #[test]
    fn a_spare_holding_files_clusterdir_did_not_make_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in ["one", "two"] {
            write_atomically(&out, &files(&[("index.html", text)])).unwrap();
        }
        let spare = sibling(&out, SPARE);
        std::fs::write(spare.join("notes.txt"), "mine").unwrap();
        let err = write_atomically(&out, &files(&[("index.html", "three")])).unwrap_err();
        assert!(err.untouched, "{}", err.error);
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.error.to_string().contains("notes.txt"), "{}", err.error);
        assert_eq!(
            std::fs::read_to_string(spare.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        std::fs::remove_file(spare.join("notes.txt")).unwrap();
        // A build given up after writing a file the spare's mark did not list.
        let (staging, _) = stream(&out, &files(&[("index.html", "3"), ("new.html", "n")]));
        drop(staging);
        write_atomically(&out, &files(&[("index.html", "four")])).unwrap();
        // A file in the output that its mark does not list (taken over with --force).
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        write_atomically(&out, &files(&[("index.html", "five")])).unwrap();
        write_atomically(&out, &files(&[("index.html", "six")])).unwrap();
        assert_eq!(tree(&out).into_keys().collect::<Vec<_>>(), ["index.html"]);
    }

    /// A spare with a folder this user may not write (a build run once with sudo, say)
    /// does not make every later build fail: a fresh folder is written instead. Root
    /// may write any folder, so this says something only when run as another user.
    #[cfg(unix)]
    #[test]
    fn a_spare_that_cannot_be_written_is_not_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in ["one", "two"] {
            write_atomically(&out, &files(&[("a/index.html", text)])).unwrap();
        }
        let locked = sibling(&out, SPARE).join("a");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        let result = write_atomically(&out, &files(&[("a/index.html", "three")]));
        if locked.exists() {
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        result.unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "three"
        );
    }

    /// A site's own `.gitkeep` (from `static/root/`) is a file like any other: a rebuild
    /// never truncates the output's copy through the hard link it shares with the spare.
    /// A `.gitkeep` in the output that is a link is not followed into the new site.
    #[cfg(unix)]
    #[test]
    fn a_gitkeep_is_never_written_through_nor_read_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = files(&[("index.html", "one"), (".gitkeep", "the site's own")]);
        for round in 0..3 {
            write_atomically(&out, &site).unwrap();
            assert_eq!(
                std::fs::read_to_string(out.join(".gitkeep")).unwrap(),
                "the site's own",
                "round {round}"
            );
        }
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "not for the web").unwrap();
        let plain = files(&[("index.html", "two")]);
        write_atomically(&out, &plain).unwrap();
        std::fs::remove_file(out.join(".gitkeep")).ok();
        std::os::unix::fs::symlink(&secret, out.join(".gitkeep")).unwrap();
        write_atomically(&out, &plain).unwrap();
        assert!(
            std::fs::symlink_metadata(out.join(".gitkeep")).is_err(),
            "the link's target is not copied"
        );
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "not for the web");
    }

    /// The spare is readable by this user only, so a web server serving the folder that
    /// holds the output does not serve the site before from it; the output keeps its
    /// folder's permissions through builds that reuse the spare.
    #[cfg(unix)]
    #[test]
    fn the_spare_is_hidden_and_the_output_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        write_atomically(&out, &files(&[("index.html", "one")])).unwrap();
        let first = mode(&out);
        assert_ne!(first, 0o700);
        for text in ["two", "three", "four"] {
            write_atomically(&out, &files(&[("index.html", text)])).unwrap();
            assert_eq!(mode(&sibling(&out, SPARE)), 0o700, "{text}");
            assert_eq!(mode(&out), first, "{text}");
        }
    }

    #[test]
    fn a_build_given_up_puts_the_spare_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in ["one", "two"] {
            write_atomically(&out, &files(&[("index.html", text)])).unwrap();
        }
        let (staging, _) = stream(&out, &files(&[("index.html", "three")]));
        assert!(
            !sibling(&out, SPARE).exists(),
            "the spare is the staging folder"
        );
        drop(staging);
        assert_eq!(beside(&out), ["public", ".public.clusterdir-spare"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        write_atomically(&out, &files(&[("index.html", "four")])).unwrap();
        assert_eq!(
            tree(&out).into_values().collect::<Vec<_>>(),
            [b"four".to_vec()]
        );
    }

    #[test]
    fn the_spare_keeps_itself_out_of_git_and_the_site_never_has_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = sibling(&out, SPARE);
        for round in 0..4 {
            let site = files(&[("index.html", &format!("round {round}"))]);
            write_atomically(&out, &site).unwrap();
            assert!(!out.join(".gitignore").exists(), "round {round}");
            if round > 0 {
                let ignore = std::fs::read_to_string(spare.join(".gitignore")).unwrap();
                assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
            }
        }
        // A spare with files put there by hand is refused, and still kept out of git.
        std::fs::write(spare.join("notes.txt"), "mine").unwrap();
        assert!(write_atomically(&out, &files(&[("index.html", "x")])).is_err());
        assert!(spare.join(".gitignore").is_file());
        // A site's own .gitignore is published as it is.
        std::fs::remove_file(spare.join("notes.txt")).unwrap();
        write_atomically(&out, &files(&[(".gitignore", "node_modules/")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(".gitignore")).unwrap(),
            "node_modules/"
        );
    }
}
