//! What the fuzz targets share: a file set encoded in one input.
//!
//! An input is `path NUL contents NUL path NUL contents …`; an input with no
//! NUL byte is the contents of `main.tf`. Paths are relative to [`ROOT`];
//! `fuzz/seed.sh` writes the rule fixtures and the examples in this form.

use std::path::{Path, PathBuf};

use costlint::source::fs::MemoryFs;
use costlint::terraform::module::normalize;

/// Where the file set lives. Nothing is read from the disk under it.
pub const ROOT: &str = "/costlint-fuzz";

/// At most this many files per input, so each run stays fast.
const MAX_FILES: usize = 24;

pub struct FileSet {
    pub fs: MemoryFs,
    /// Absolute paths, in input order.
    pub paths: Vec<PathBuf>,
}

impl FileSet {
    pub fn decode(data: &[u8]) -> FileSet {
        let root = Path::new(ROOT);
        let mut fs = MemoryFs::new();
        let mut paths = Vec::new();
        if !data.contains(&0) {
            let path = root.join("main.tf");
            fs.insert(path.clone(), data.to_vec());
            paths.push(path);
            return FileSet { fs, paths };
        }
        let mut parts = data.split(|&b| b == 0);
        while let (Some(name), Some(contents)) = (parts.next(), parts.next()) {
            if paths.len() >= MAX_FILES {
                break;
            }
            let Ok(name) = std::str::from_utf8(name) else {
                continue;
            };
            let name = name.trim_start_matches('/');
            if name.is_empty() {
                continue;
            }
            let path = normalize(&root.join(name));
            if !path.starts_with(root) || path == root {
                continue;
            }
            fs.insert(path.clone(), contents.to_vec());
            paths.push(path);
        }
        FileSet { fs, paths }
    }

    /// The contents of `name` (relative to the root), when present.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        use costlint::source::fs::FileSystem;
        self.fs.read(&Path::new(ROOT).join(name), u64::MAX).ok()
    }
}
