use crate::fast::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceFile;
use crate::finding::FileId;

/// The files one unit of work has loaded, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<Arc<SourceFile>>,
    by_path: HashMap<PathBuf, FileId>,
}

impl Files {
    pub fn new() -> Self {
        Files::default()
    }

    pub fn add(&mut self, file: impl Into<Arc<SourceFile>>) -> FileId {
        let file = file.into();
        if let Some(id) = self.by_path.get(&file.abs_path) {
            return *id;
        }
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_path.insert(file.abs_path.clone(), id);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.0 as usize)
    }

    pub fn find(&self, abs_path: &Path) -> Option<FileId> {
        self.by_path.get(abs_path).copied()
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
