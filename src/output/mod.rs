//! Write the rendered files. [`Output`], the set of files that every producer
//! (pages, data files) fills, is defined here, below all of them. [`atomic`] writes a
//! build so that the output folder is never half-built, streaming each file into a
//! staging folder as it is made; [`sync`] updates the preview's folder in place,
//! writing only files whose bytes changed; [`guard`] decides whether a folder may be
//! written at all.

use std::any::Any;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub mod atomic;
pub mod guard;
pub mod sync;

/// Where a streamed build's files go as they are made (the staging folder of
/// [`atomic::Staging`]).
pub trait Sink: Send + Sync {
    /// Write the file at `rel` (relative, `/`-separated) now, replacing any earlier one.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Write the file at `rel` whose bytes are `parts`, one after another (a big file
    /// made in pieces, so that it is never joined in memory).
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> io::Result<()> {
        self.write(rel, &parts.concat())
    }
    /// Remove the file at `rel` written earlier.
    fn remove(&self, rel: &str) -> io::Result<()>;
}

/// One file as a producer hands it over: its bytes kept in memory, or, when the
/// output streams, only its size once it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    Held(Vec<u8>),
    Written(usize),
}

/// A sink and the paths whose bytes are kept even so (pages later checks read).
#[derive(Clone)]
struct Stream {
    sink: Arc<dyn Sink>,
    keep: Arc<HashSet<String>>,
    error: Arc<Mutex<Option<io::Error>>>,
}

impl Stream {
    /// Remember the first error writing into the sink (the build reports it).
    fn note(&self, result: io::Result<()>) {
        if let Err(e) = result {
            if let Ok(mut first) = self.error.lock() {
                first.get_or_insert(e);
            }
        }
    }
}

/// The rendered site: output path (relative, `/`-separated) to file contents. Every
/// producer (pages, data files) fills one; this stage writes it. In memory (the
/// preview, deploy, tests) every file's bytes are held; a streaming output
/// ([`Output::streaming`]) writes each file as it is inserted and keeps only its size,
/// and the bytes of the few paths it was asked to keep.
#[derive(Clone, Default)]
pub struct Output {
    held: BTreeMap<String, Vec<u8>>,
    written: BTreeMap<String, usize>,
    stream: Option<Stream>,
}

impl Output {
    pub fn new() -> Output {
        Output::default()
    }

    /// An output that writes every file into `sink` as it is inserted, keeping the
    /// bytes only of the paths in `keep`.
    pub fn streaming(sink: Arc<dyn Sink>, keep: HashSet<String>) -> Output {
        Output {
            stream: Some(Stream {
                sink,
                keep: Arc::new(keep),
                error: Arc::default(),
            }),
            ..Output::default()
        }
    }

    /// An empty output writing where this one writes (for a producer running beside
    /// others; [`Output::append`] joins them again).
    pub fn empty_like(&self) -> Output {
        Output {
            stream: self.stream.clone(),
            ..Output::default()
        }
    }

    /// Hand over one file: written now if the output streams (callable from many
    /// threads at once), then recorded with [`Output::put`].
    pub fn prepare(&self, rel: &str, bytes: Vec<u8>) -> File {
        let Some(s) = self.stream.as_ref().filter(|s| !s.keep.contains(rel)) else {
            return File::Held(bytes);
        };
        s.note(s.sink.write(rel, &bytes));
        File::Written(bytes.len())
    }

    /// Add (or replace) a file made in pieces (`parts`, one after another): a streaming
    /// output writes the pieces as they are, never joined; otherwise they are joined
    /// and held.
    pub fn insert_parts(&mut self, rel: String, parts: Vec<Vec<u8>>) {
        let Some(s) = self.stream.as_ref().filter(|s| !s.keep.contains(&rel)) else {
            self.insert(rel, parts.concat());
            return;
        };
        let pieces: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        s.note(s.sink.write_parts(&rel, &pieces));
        let len = pieces.iter().map(|p| p.len()).sum();
        self.put(rel, File::Written(len));
    }

    /// Record a file handed over by [`Output::prepare`].
    pub fn put(&mut self, rel: String, file: File) {
        match file {
            File::Held(bytes) => {
                self.written.remove(&rel);
                self.held.insert(rel, bytes);
            }
            File::Written(len) => {
                self.held.remove(&rel);
                self.written.insert(rel, len);
            }
        }
    }

    /// Add (or replace) a file; the bytes it replaces, if they were held.
    pub fn insert(&mut self, rel: String, bytes: Vec<u8>) -> Option<Vec<u8>> {
        let old = self.held.get(&rel).cloned();
        let file = self.prepare(&rel, bytes);
        self.put(rel, file);
        old
    }

    /// Take a file out; its bytes if they were held (a streamed file is removed from
    /// where it was written).
    pub fn remove(&mut self, rel: &str) -> Option<Vec<u8>> {
        if self.written.remove(rel).is_some() {
            if let Some(s) = &self.stream {
                s.note(s.sink.remove(rel));
            }
        }
        self.held.remove(rel)
    }

    /// Every file of `other` (made into the same sink, or both in memory).
    pub fn append(&mut self, other: Output) {
        for (rel, bytes) in other.held {
            self.put(rel, File::Held(bytes));
        }
        for (rel, len) in other.written {
            self.put(rel, File::Written(len));
        }
    }

    /// A held file's bytes.
    pub fn get(&self, rel: &str) -> Option<&Vec<u8>> {
        self.held.get(rel)
    }

    pub fn get_mut(&mut self, rel: &str) -> Option<&mut Vec<u8>> {
        self.held.get_mut(rel)
    }

    pub fn contains_key(&self, rel: &str) -> bool {
        self.held.contains_key(rel) || self.written.contains_key(rel)
    }

    /// Every file's path, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.sizes().map(|(k, _)| k)
    }

    /// Every file's path and size, in path order.
    pub fn sizes(&self) -> impl Iterator<Item = (&String, usize)> {
        let mut held = self.held.iter().map(|(k, v)| (k, v.len())).peekable();
        let mut written = self.written.iter().map(|(k, n)| (k, *n)).peekable();
        std::iter::from_fn(move || match (held.peek(), written.peek()) {
            (Some(a), Some(b)) if b.0 < a.0 => written.next(),
            (Some(_), _) => held.next(),
            (None, _) => written.next(),
        })
    }

    /// The files whose bytes are held (every file, unless the output streams).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.held.iter()
    }

    /// The held files as a map.
    pub fn held(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.held
    }

    pub fn len(&self) -> usize {
        self.held.len() + self.written.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of every file.
    pub fn total_bytes(&self) -> usize {
        self.sizes().map(|(_, n)| n).sum()
    }

    /// The first failure to write a streamed file, if any.
    pub fn take_error(&self) -> Option<io::Error> {
        self.stream
            .as_ref()
            .and_then(|s| s.error.lock().ok()?.take())
    }
}

impl PartialEq for Output {
    /// The same paths with the same bytes (a streamed file: the same size).
    fn eq(&self, other: &Output) -> bool {
        self.held == other.held && self.written == other.written
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.sizes()).finish()
    }
}

impl std::ops::Index<&str> for Output {
    type Output = Vec<u8>;
    fn index(&self, rel: &str) -> &Vec<u8> {
        &self.held[rel]
    }
}

impl Extend<(String, Vec<u8>)> for Output {
    fn extend<I: IntoIterator<Item = (String, Vec<u8>)>>(&mut self, files: I) {
        for (rel, bytes) in files {
            self.insert(rel, bytes);
        }
    }
}

impl FromIterator<(String, Vec<u8>)> for Output {
    fn from_iter<I: IntoIterator<Item = (String, Vec<u8>)>>(files: I) -> Output {
        let mut out = Output::new();
        Extend::extend(&mut out, files);
        out
    }
}

impl<const N: usize> From<[(String, Vec<u8>); N]> for Output {
    fn from(files: [(String, Vec<u8>); N]) -> Output {
        files.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Output {
    type Item = (&'a String, &'a Vec<u8>);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Vec<u8>>;
    fn into_iter(self) -> Self::IntoIter {
        self.held.iter()
    }
}

/// Something made, with the hash of what it was made from.
type Remembered = (u64, Arc<dyn Any + Send + Sync>);

/// What producers made in earlier builds of one process (`serve`), each under a name
/// with a hash of what it was made from, so a rebuild makes again only what the
/// changed records feed.
#[derive(Default)]
pub struct Memo {
    entries: Mutex<std::collections::HashMap<String, Remembered>>,
    /// How many entries the last build made rather than reused.
    made: std::sync::atomic::AtomicUsize,
}

impl Memo {
    /// What was made under `name` from inputs hashing to `key`, made now by `make` if
    /// there is none (or it was made from other inputs).
    pub fn get_or_make<T: Any + Send + Sync>(
        &self,
        name: &str,
        key: u64,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        let hit = self.entries.lock().ok().and_then(|e| {
            let (k, v) = e.get(name)?;
            (*k == key).then(|| v.clone().downcast::<T>().ok())?
        });
        if let Some(hit) = hit {
            return hit;
        }
        let made = Arc::new(make());
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut e) = self.entries.lock() {
            let stored: Arc<dyn Any + Send + Sync> = made.clone();
            e.insert(name.to_string(), (key, stored));
        }
        made
    }

    /// Start counting what a new build makes.
    pub fn start(&self) {
        self.made.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many entries this build made rather than reused.
    pub fn made(&self) -> usize {
        self.made.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A hash of values' debug forms (for [`Memo`] keys: every field, nested, in order).
pub fn debug_hash(parts: &[&dyn std::fmt::Debug]) -> u64 {
    use std::hash::Hasher;
    struct Hashing(std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut h = Hashing(Default::default());
    for p in parts {
        let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{p:?}\u{0}"));
    }
    h.0.finish()
}

/// A write that failed, and whether the output folder is still exactly as it was
/// (so messages that say so are true).
#[derive(Debug)]
pub struct WriteError {
    pub error: io::Error,
    /// True when the output folder holds what it held before the write began.
    pub untouched: bool,
}

impl WriteError {
    /// A failure before anything in the output folder changed.
    pub(crate) fn before(error: io::Error) -> WriteError {
        WriteError {
            error,
            untouched: true,
        }
    }
}

/// A write that succeeded: how many files were written, and anything left untidy that
/// the person building should know (an old copy that could not be removed).
#[derive(Debug, Default)]
pub struct Wrote {
    pub files: usize,
    pub note: Option<String>,
}

/// Add the path to an I/O error, so the message says which file failed.
pub(crate) fn ctx(e: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

/// An [`Output`] from `(path, text)` pairs, for tests.
#[cfg(test)]
pub(crate) fn output_of(list: &[(&str, &str)]) -> Output {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that remembers what it was given.
    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Memory {
        fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
            self.0.lock().unwrap().insert(rel.into(), bytes.to_vec());
            Ok(())
        }
        fn remove(&self, rel: &str) -> io::Result<()> {
            self.0.lock().unwrap().remove(rel);
            Ok(())
        }
    }

    /// A file handed over in generated pieces is the file of its pieces joined: written
    /// so when the output streams, held so when it does not or keeps the file.
    #[test]
    fn a_file_in_pieces_is_its_pieces_joined_streamed_or_held() {
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..50 {
            let parts: Vec<Vec<u8>> = (0..rng.usize(0..6))
                .map(|_| (0..rng.usize(0..30)).map(|_| rng.u8(..)).collect())
                .collect();
            let joined = parts.concat();
            let keep = rng.bool();
            let sink = Arc::new(Memory::default());
            let kept: HashSet<String> = keep.then(|| "f.json".to_string()).into_iter().collect();
            let mut streamed = Output::streaming(sink.clone(), kept);
            streamed.insert_parts("f.json".into(), parts.clone());
            let mut held = Output::new();
            held.insert_parts("f.json".into(), parts);
            assert_eq!(held.get("f.json"), Some(&joined));
            let sunk = sink.0.lock().unwrap().get("f.json").cloned();
            assert_eq!(
                streamed.get("f.json").cloned().or(sunk),
                Some(joined.clone())
            );
            assert_eq!(streamed.get("f.json").is_some(), keep);
            assert_eq!(
                streamed.sizes().collect::<Vec<_>>(),
                [(&"f.json".to_string(), joined.len())]
            );
        }
    }

    #[test]
    fn a_streaming_output_holds_only_the_files_it_keeps_and_knows_every_file() {
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..50 {
            let sink = Arc::new(Memory::default());
            let names: Vec<String> = (0..rng.usize(1..30))
                .map(|_| (0..rng.usize(1..6)).map(|_| rng.lowercase()).collect())
                .collect();
            let keep: HashSet<String> = names.iter().filter(|_| rng.bool()).cloned().collect();
            let mut streamed = Output::streaming(sink.clone(), keep.clone());
            let mut held = Output::new();
            for n in &names {
                let bytes: Vec<u8> = (0..rng.usize(0..20)).map(|_| rng.u8(..)).collect();
                streamed.insert(n.clone(), bytes.clone());
                held.insert(n.clone(), bytes);
            }
            if let Some(gone) = names.get(rng.usize(..names.len())) {
                streamed.remove(gone);
                held.remove(gone);
            }
            let sizes = |o: &Output| o.sizes().map(|(k, n)| (k.clone(), n)).collect::<Vec<_>>();
            assert_eq!(sizes(&streamed), sizes(&held), "every file, in order");
            assert!(streamed
                .keys()
                .zip(streamed.keys().skip(1))
                .all(|(a, b)| a < b));
            for (rel, bytes) in held.iter() {
                let sunk = sink.0.lock().unwrap().get(rel).cloned();
                let got = streamed.get(rel).cloned().or(sunk);
                assert_eq!(got.as_ref(), Some(bytes), "{rel}");
                assert_eq!(streamed.get(rel).is_some(), keep.contains(rel), "{rel}");
            }
            let sunk = sink.0.lock().unwrap();
            assert_eq!(sunk.len() + streamed.iter().count(), held.len());
            for (rel, bytes) in sunk.iter() {
                assert_eq!(held.get(rel), Some(bytes), "{rel} written as made");
            }
        }
    }
}
