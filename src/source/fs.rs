//! Where file contents come from: the disk, an editor's open buffers over
//! the disk, or memory (tests and fuzzing).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub trait FileSystem: Send + Sync {
    /// Reads a regular file, refusing anything larger than `max_bytes`.
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>>;
    /// Regular files directly in `dir`, sorted.
    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;

    /// [`read`](Self::read) by a prescan, for a file read again soon: a
    /// [`Prefetch`] keeps the bytes for that next read.
    /// Shared, so a [`Prefetch`] keeps the same bytes without a copy.
    fn read_ahead(&self, path: &Path, max_bytes: u64) -> io::Result<Arc<Vec<u8>>> {
        self.read(path, max_bytes).map(Arc::new)
    }

    /// [`files_in`](Self::files_in) by a prescan; see [`read_ahead`](Self::read_ahead).
    fn list_ahead(&self, dir: &Path) -> io::Result<Arc<Vec<PathBuf>>> {
        self.files_in(dir).map(Arc::new)
    }
}

/// What the prescans read, handed once to the next reader of the same file
/// or directory, so a run reads each from disk once. A budget bounds the
/// bytes held: past it, files are read again.
pub struct Prefetch<'a> {
    inner: &'a dyn FileSystem,
    budget: usize,
    held: std::sync::Mutex<Held>,
}

/// Keyed by a path's bytes: hashing a `Path` walks its components, which
/// cost more than the rest of a lookup. Two spellings of one path
/// (`a/./b`) only miss, and the file is read again.
#[derive(Default)]
struct Held {
    bytes: usize,
    files: crate::fast::HashMap<Box<[u8]>, Arc<Vec<u8>>>,
    dirs: crate::fast::HashMap<Box<[u8]>, Arc<Vec<PathBuf>>>,
    /// Every directory listed ahead: each caller of a module asks whether
    /// its source is a directory, and a `stat` per call added up.
    listed: crate::fast::HashSet<Box<[u8]>>,
}

fn key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl<'a> Prefetch<'a> {
    pub fn new(inner: &'a dyn FileSystem, budget: usize) -> Prefetch<'a> {
        Prefetch {
            inner,
            budget,
            held: std::sync::Mutex::default(),
        }
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes held now.
    pub fn held_bytes(&self) -> usize {
        self.held().bytes
    }
}

impl FileSystem for Prefetch<'_> {
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
        let kept = {
            let mut held = self.held();
            let kept = held.files.remove(key(path));
            if let Some(b) = &kept {
                held.bytes -= b.len();
            }
            kept
        };
        match kept {
            Some(b) if b.len() as u64 > max_bytes => Err(too_large(max_bytes)),
            // The prescan is done with its share by now: no copy.
            Some(b) => Ok(Arc::unwrap_or_clone(b)),
            None => self.inner.read(path, max_bytes),
        }
    }

    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let kept = self.held().dirs.remove(key(dir));
        match kept {
            Some(list) => Ok(Arc::unwrap_or_clone(list)),
            None => self.inner.files_in(dir),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.held().listed.contains(key(path)) || self.inner.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.inner.is_file(path)
    }

    fn read_ahead(&self, path: &Path, max_bytes: u64) -> io::Result<Arc<Vec<u8>>> {
        let bytes = Arc::new(self.inner.read(path, max_bytes)?);
        let mut held = self.held();
        if held.bytes + bytes.len() <= self.budget && !held.files.contains_key(key(path)) {
            held.bytes += bytes.len();
            held.files.insert(key(path).into(), Arc::clone(&bytes));
        }
        Ok(bytes)
    }

    fn list_ahead(&self, dir: &Path) -> io::Result<Arc<Vec<PathBuf>>> {
        let list = Arc::new(self.inner.files_in(dir)?);
        let mut held = self.held();
        held.listed.insert(key(dir).into());
        held.dirs
            .entry(key(dir).into())
            .or_insert_with(|| Arc::clone(&list));
        Ok(list)
    }
}

pub fn too_large(max_bytes: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("file is larger than the limit of {max_bytes} bytes"),
    )
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
        // Opened first and inspected through the handle: one path lookup,
        // not two. Non-blocking, so opening a FIFO returns at once (and a
        // socket fails); neither is read.
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        #[cfg(not(unix))]
        if !std::fs::metadata(path)?.is_file() {
            return Err(not_a_file());
        }
        let file = options.open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(not_a_file());
        }
        if meta.len() > max_bytes {
            return Err(too_large(max_bytes));
        }
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(max_bytes + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > max_bytes {
            return Err(too_large(max_bytes));
        }
        Ok(buf)
    }

    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            // The directory entry's type costs no system call; only a
            // symbolic link is followed to see what it points to.
            let is_file = match entry.file_type() {
                Ok(t) if !t.is_symlink() => t.is_file(),
                _ => std::fs::metadata(&path).is_ok_and(|m| m.is_file()),
            };
            if is_file {
                out.push(path);
            }
        }
        super::discover::sort_paths(&mut out);
        Ok(out)
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        std::fs::metadata(path)
            .map(|m| m.is_file())
            .unwrap_or(false)
    }
}

fn not_a_file() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
}

/// Files held in memory, for tests and fuzzing.
#[derive(Debug, Default, Clone)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }

    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.keys()
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
        let data = self
            .files
            .get(path)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))?;
        if data.len() as u64 > max_bytes {
            return Err(too_large(max_bytes));
        }
        Ok(data.clone())
    }

    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(self
            .files
            .keys()
            .filter(|p| p.parent() == Some(dir))
            .cloned()
            .collect())
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.files.keys().any(|p| p.starts_with(path) && p != path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
}

/// Open editor buffers over another file system: what the language server
/// lints, so unsaved edits in one file are seen from the others.
pub struct OverlayFs<'a> {
    pub base: &'a dyn FileSystem,
    pub overlay: &'a HashMap<PathBuf, String>,
}

impl FileSystem for OverlayFs<'_> {
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
        match self.overlay.get(path) {
            Some(text) if text.len() as u64 > max_bytes => Err(too_large(max_bytes)),
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.base.read(path, max_bytes),
        }
    }

    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut files = self.base.files_in(dir).unwrap_or_default();
        for path in self.overlay.keys() {
            if path.parent() == Some(dir) && !files.contains(path) {
                files.push(path.clone());
            }
        }
        super::discover::sort_paths(&mut files);
        Ok(files)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.base.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || self.base.is_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Memory that counts what reaches it.
    struct Counting {
        mem: MemoryFs,
        reads: AtomicUsize,
        lists: AtomicUsize,
        stats: AtomicUsize,
    }

    impl FileSystem for Counting {
        fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
            self.reads.fetch_add(1, Ordering::Relaxed);
            self.mem.read(path, max_bytes)
        }
        fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
            self.lists.fetch_add(1, Ordering::Relaxed);
            self.mem.files_in(dir)
        }
        fn is_dir(&self, path: &Path) -> bool {
            self.stats.fetch_add(1, Ordering::Relaxed);
            self.mem.is_dir(path)
        }
        fn is_file(&self, path: &Path) -> bool {
            self.mem.is_file(path)
        }
    }

    fn counting() -> Counting {
        let mut mem = MemoryFs::new();
        mem.insert("/m/a.tf", vec![b'a'; 10]);
        mem.insert("/m/b.tf", vec![b'b'; 10]);
        Counting {
            mem,
            reads: AtomicUsize::new(0),
            lists: AtomicUsize::new(0),
            stats: AtomicUsize::new(0),
        }
    }

    #[test]
    fn a_prefetched_file_is_read_from_disk_once_within_the_budget() {
        let inner = counting();
        let fs = Prefetch::new(&inner, 15);
        let a = Path::new("/m/a.tf");
        let b = Path::new("/m/b.tf");
        assert_eq!(*fs.read_ahead(a, 100).unwrap(), vec![b'a'; 10]);
        // Over the budget: not kept.
        assert_eq!(*fs.read_ahead(b, 100).unwrap(), vec![b'b'; 10]);
        assert_eq!(fs.held_bytes(), 10);
        assert_eq!(inner.reads.load(Ordering::Relaxed), 2);

        assert_eq!(fs.read(a, 100).unwrap(), vec![b'a'; 10]);
        assert_eq!(inner.reads.load(Ordering::Relaxed), 2, "a came from memory");
        assert_eq!(fs.held_bytes(), 0, "handed over, not kept");
        assert_eq!(fs.read(b, 100).unwrap(), vec![b'b'; 10]);
        assert_eq!(fs.read(a, 100).unwrap(), vec![b'a'; 10]);
        assert_eq!(inner.reads.load(Ordering::Relaxed), 4);

        // The limit still holds for kept bytes.
        fs.read_ahead(a, 100).unwrap();
        assert_eq!(
            fs.read(a, 5).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
    }

    #[test]
    fn a_prefetched_listing_is_listed_once() {
        let inner = counting();
        let fs = Prefetch::new(&inner, 0);
        let dir = Path::new("/m");
        let first = fs.list_ahead(dir).unwrap();
        assert_eq!(fs.files_in(dir).unwrap(), *first);
        assert_eq!(inner.lists.load(Ordering::Relaxed), 1);
        assert_eq!(fs.files_in(dir).unwrap(), *first);
        assert_eq!(inner.lists.load(Ordering::Relaxed), 2);

        // A directory listed ahead is known to be one, even once its
        // listing is handed over; others are asked of the file system.
        assert!(fs.is_dir(dir));
        assert_eq!(inner.stats.load(Ordering::Relaxed), 0);
        assert!(!fs.is_dir(Path::new("/m/a.tf")));
        assert!(!fs.is_dir(Path::new("/nowhere")));
        assert_eq!(inner.stats.load(Ordering::Relaxed), 2);
    }
}
