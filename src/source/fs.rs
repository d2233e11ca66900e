//! Where file contents come from: the disk, an editor's open buffers over
//! the disk, or memory (tests and fuzzing).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub trait FileSystem: Send + Sync {
    /// Reads a regular file, refusing anything larger than `max_bytes`.
    fn read(&self, path: &Path, max_bytes: u64) -> io::Result<Vec<u8>>;
    /// Regular files directly in `dir`, sorted.
    fn files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
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
        out.sort();
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
        files.sort();
        Ok(files)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.base.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || self.base.is_file(path)
    }
}
