//! Which files a run checks: `ignore` (ripgrep's walker) for `.gitignore`
//! and `.costlintignore` with or without git, `globset` for the
//! configuration's include and exclude patterns, never `.terraform/`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use super::{FileKind, display_path};
use crate::terraform::module::normalize;

pub const IGNORE_FILE: &str = ".costlintignore";

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    Missing(String),
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Absolute, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Problems met while walking (unreadable directories, loops).
    pub warnings: Vec<String>,
}

pub struct DiscoverOptions<'a> {
    pub cwd: &'a Path,
    /// Directory the include/exclude globs are relative to.
    pub base_dir: &'a Path,
    pub include: Option<&'a GlobSet>,
    pub exclude: Option<&'a GlobSet>,
    pub threads: usize,
}

/// Sorts in `Path`'s own order (component by component) from one byte key
/// per path, instead of re-splitting both paths at every comparison. Each
/// component is its kind, its bytes and a NUL, which no path component
/// holds, so a component sorts before any longer one it starts.
pub fn sort_paths(paths: &mut [PathBuf]) {
    use std::path::Component;
    paths.sort_by_cached_key(|p| {
        let mut key = Vec::with_capacity(p.as_os_str().len() + 16);
        for c in p.components() {
            key.push(match c {
                Component::Prefix(_) => 0u8,
                Component::RootDir => 1,
                Component::CurDir => 2,
                Component::ParentDir => 3,
                Component::Normal(_) => 4,
            });
            key.extend_from_slice(c.as_os_str().as_encoded_bytes());
            key.push(0);
        }
        key
    });
}

fn is_candidate(path: &Path) -> bool {
    FileKind::from_path(path).is_some()
}

pub fn discover(paths: &[PathBuf], opts: &DiscoverOptions<'_>) -> Result<Discovery, DiscoverError> {
    let mut out = Discovery::default();
    let excluded = |abs: &Path| -> bool {
        opts.exclude
            .is_some_and(|set| set.is_match(display_path(abs, opts.base_dir)))
    };
    let included = |abs: &Path| -> bool {
        is_candidate(abs)
            || opts
                .include
                .is_some_and(|set| set.is_match(display_path(abs, opts.base_dir)))
    };
    for path in paths {
        let abs = normalize(&opts.cwd.join(path));
        let meta = std::fs::metadata(&abs)
            .map_err(|_| DiscoverError::Missing(path.display().to_string()))?;
        if meta.is_file() {
            // An explicit file is checked even if git ignores it, but not
            // when the configuration excludes it.
            if included(&abs) && !excluded(&abs) {
                out.files.push(abs);
            }
            continue;
        }
        if !meta.is_dir() {
            continue;
        }
        let found = Mutex::new(Vec::new());
        let warnings = Mutex::new(Vec::new());
        let mut builder = WalkBuilder::new(&abs);
        builder
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .add_custom_ignore_filename(IGNORE_FILE)
            .threads(opts.threads.max(1))
            .filter_entry(|e| e.file_name() != ".terraform");
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        let p = e.path();
                        let is_file = match e.file_type() {
                            Some(t) if t.is_file() => true,
                            // A symlink to a file counts; to a directory, a
                            // dangling one or a loop, it does not.
                            Some(t) if t.is_symlink() => {
                                std::fs::metadata(p).map(|m| m.is_file()).unwrap_or(false)
                            }
                            _ => false,
                        };
                        // The walk joins entry names to a normalised root,
                        // so its paths are normalised already.
                        if is_file {
                            if included(p) && !excluded(p) {
                                if let Ok(mut f) = found.lock() {
                                    f.push(p.to_path_buf());
                                }
                            }
                        } else if e.file_type().is_some_and(|t| t.is_dir())
                            && e.depth() > 0
                            && excluded(p)
                        {
                            return WalkState::Skip;
                        }
                    }
                    Err(err) => {
                        if let Ok(mut w) = warnings.lock() {
                            w.push(err.to_string());
                        }
                    }
                }
                WalkState::Continue
            })
        });
        out.files.extend(found.into_inner().unwrap_or_default());
        out.warnings
            .extend(warnings.into_inner().unwrap_or_default());
    }
    sort_paths(&mut out.files);
    out.files.dedup();
    out.warnings.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_paths_orders_as_path_does() {
        let names = [
            "/r/a/b",
            "/r/a-b",
            "/r/a/b/c",
            "/r/a",
            "/r/a.b/c",
            "/r/ab",
            "/r/a/",
            "/r/A",
            "/r/a b",
            "/r/é/x",
            "/r/e/x",
            "/r/a/b/../c",
            "/r/./a",
            "/s",
            "/r",
            "/r/a/bc",
            "/r/a/b-c",
        ];
        let mut ours: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut std_order = ours.clone();
        std_order.sort();
        ours.reverse();
        sort_paths(&mut ours);
        assert_eq!(ours, std_order);
    }
}
