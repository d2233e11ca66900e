use crate::fast::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::SourceFile;
use crate::finding::FileId;

/// The files one unit of work has loaded, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<Arc<SourceFile>>,
    /// Keyed by a path's bytes: hashing a `Path` goes component by
    /// component, and was a few percent of a run. Paths here are built
    /// the same way (normalised directories joined with entry names).
    by_path: HashMap<Box<[u8]>, FileId>,
}

fn key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Files {
    pub fn new() -> Self {
        Files::default()
    }

    pub fn add(&mut self, file: impl Into<Arc<SourceFile>>) -> FileId {
        let file = file.into();
        if let Some(id) = self.by_path.get(key(&file.abs_path)) {
            return *id;
        }
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_path.insert(key(&file.abs_path).into(), id);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.0 as usize)
    }

    /// The file at `abs_path`, also when it is spelt differently (`a/./b`).
    pub fn find(&self, abs_path: &Path) -> Option<FileId> {
        self.by_path.get(key(abs_path)).copied().or_else(|| {
            self.iter()
                .find(|(_, f)| f.abs_path == abs_path)
                .map(|(id, _)| id)
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Arc<SourceFile>)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
