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
    /// Manifests beside a manifest named on the command line, not checked
    /// themselves: their Namespaces and autoscalers are what a run of the
    /// whole directory would see (a pre-commit hook names changed files).
    pub context: Vec<PathBuf>,
}

pub struct DiscoverOptions<'a> {
    pub cwd: &'a Path,
    /// Directory the include/exclude globs are relative to.
    pub base_dir: &'a Path,
    pub include: Option<&'a GlobSet>,
    pub exclude: Option<&'a GlobSet>,
    pub threads: usize,
}

/// Sorts in `Path`'s own order (component by component). When every path
/// is plain (see [`plain`]) that order is the bytes' order with `/` below
/// every other byte, compared in place; otherwise each path gets one byte
/// key, instead of both paths being split again at every comparison: each
/// component is its kind, its bytes and a NUL, which no path component
/// holds, so a component sorts before any longer one it starts.
pub fn sort_paths(paths: &mut [PathBuf]) {
    use std::path::Component;
    if paths
        .iter()
        .all(|p| plain(p.as_os_str().as_encoded_bytes()))
    {
        paths.sort_unstable_by(|a, b| {
            plain_order(
                a.as_os_str().as_encoded_bytes(),
                b.as_os_str().as_encoded_bytes(),
            )
        });
        return;
    }
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

/// A path whose components are its `/`-separated parts: no `.` or `..`
/// part, no empty part (`a//b`, a trailing `/`) besides the root's.
fn plain(b: &[u8]) -> bool {
    let rest = b.strip_prefix(b"/").unwrap_or(b);
    rest.is_empty()
        || rest
            .split(|&c| c == b'/')
            .all(|part| !matches!(part, b"" | b"." | b".."))
}

/// The order of two plain paths: their bytes, with `/` lowest, so that a
/// component sorts before any longer one it starts (`a/b` < `a-b`).
fn plain_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let mut i = 0;
    // Sibling paths share long prefixes: skip them eight bytes at a time.
    while let (Some(x), Some(y)) = (a.get(i..i + 8), b.get(i..i + 8)) {
        if x != y {
            break;
        }
        i += 8;
    }
    let rank = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
    while i < n {
        match (a.get(i), b.get(i)) {
            (Some(&x), Some(&y)) if x != y => return rank(x).cmp(&rank(y)),
            _ => i += 1,
        }
    }
    a.len().cmp(&b.len())
}

fn is_candidate(path: &Path) -> bool {
    FileKind::from_path(path).is_some()
}

pub fn discover(paths: &[PathBuf], opts: &DiscoverOptions<'_>) -> Result<Discovery, DiscoverError> {
    let mut out = Discovery::default();
    let filter = Filter { opts };
    // Directories of manifests named one by one (what pre-commit passes).
    let mut beside: Vec<PathBuf> = Vec::new();
    for path in paths {
        let abs = normalize(&opts.cwd.join(path));
        let meta = std::fs::metadata(&abs)
            .map_err(|_| DiscoverError::Missing(path.display().to_string()))?;
        if meta.is_file() {
            // An explicit file is checked even if git ignores it, but not
            // when the configuration excludes it.
            if !filter.included(&abs) {
                // Named on purpose, so its being passed over is said.
                out.warnings.push(format!(
                    "{}: not checked: costlint reads *.tf, *.tf.json, *.tfvars, *.tfvars.json, *.yaml and *.yml (more with `include` in costlint.toml)",
                    path.display()
                ));
                continue;
            }
            if !filter.excluded(&abs) {
                if FileKind::from_path(&abs) == Some(FileKind::Yaml) {
                    if let Some(dir) = abs.parent() {
                        beside.push(dir.to_path_buf());
                    }
                }
                out.files.push(abs);
            }
            continue;
        }
        if meta.is_dir() {
            walk(&abs, None, &filter, &mut out);
        }
    }
    sort_paths(&mut out.files);
    out.files.dedup();
    if !beside.is_empty() {
        sort_paths(&mut beside);
        beside.dedup();
        let mut context = Discovery::default();
        for dir in &beside {
            walk(dir, Some(1), &filter, &mut context);
        }
        let run: std::collections::HashSet<&PathBuf> = out.files.iter().collect();
        out.context = context
            .files
            .into_iter()
            .filter(|p| FileKind::from_path(p) == Some(FileKind::Yaml) && !run.contains(p))
            .collect();
        sort_paths(&mut out.context);
        out.context.dedup();
        out.warnings.extend(context.warnings);
    }
    out.warnings.sort();
    out.warnings.dedup();
    Ok(out)
}

/// The configuration's include and exclude patterns.
struct Filter<'a> {
    opts: &'a DiscoverOptions<'a>,
}

impl Filter<'_> {
    fn excluded(&self, abs: &Path) -> bool {
        self.opts
            .exclude
            .is_some_and(|set| set.is_match(display_path(abs, self.opts.base_dir)))
    }

    fn included(&self, abs: &Path) -> bool {
        is_candidate(abs)
            || self
                .opts
                .include
                .is_some_and(|set| set.is_match(display_path(abs, self.opts.base_dir)))
    }
}

/// Adds the files under `root` that a run checks, to `max_depth`.
fn walk(root: &Path, max_depth: Option<usize>, filter: &Filter<'_>, out: &mut Discovery) {
    let found = Mutex::new(Vec::new());
    let warnings = Mutex::new(Vec::new());
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .max_depth(max_depth)
        .add_custom_ignore_filename(IGNORE_FILE)
        .threads(filter.opts.threads.max(1))
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
                    // The walk joins entry names to a normalised root, so
                    // its paths are normalised already.
                    if is_file {
                        if filter.included(p) && !filter.excluded(p) {
                            if let Ok(mut f) = found.lock() {
                                f.push(p.to_path_buf());
                            }
                        }
                    } else if e.file_type().is_some_and(|t| t.is_dir())
                        && e.depth() > 0
                        && filter.excluded(p)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `sort_paths` gives `Path`'s own order from several starting orders.
    fn sorts_as_path_does(names: &[&str]) {
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut std_order = paths.clone();
        std_order.sort();
        for rotate in 0..paths.len() {
            let mut ours = paths.clone();
            ours.rotate_left(rotate);
            ours.reverse();
            sort_paths(&mut ours);
            assert_eq!(ours, std_order);
        }
    }

    const NAMES: [&str; 16] = [
        "/r/a/b",
        "/r/a-b",
        "/r/a/b/c",
        "/r/a",
        "/r/a.b/c",
        "/r/ab",
        "/r/A",
        "/r/a b",
        "/r/é/x",
        "/r/e/x",
        "/s",
        "/r",
        "/r/a/bc",
        "/r/a/b-c",
        "/r/.hidden",
        "/r/a..b",
    ];

    #[test]
    fn sort_paths_orders_as_path_does() {
        let mut names = NAMES.to_vec();
        // Not plain: `.` and `..` parts, a trailing `/`.
        names.extend(["/r/a/", "/r/a/b/../c", "/r/./a"]);
        assert!(!names.iter().all(|n| plain(n.as_bytes())));
        sorts_as_path_does(&names);
    }

    #[test]
    fn plain_paths_sort_by_their_bytes_as_path_does() {
        let mut names = NAMES.to_vec();
        names.extend([
            "/",
            "r/a",
            "r",
            "a/b",
            "/r/a/b\\c",
            "/r/a/b/c/d/e/f/g/h",
            "/r/a/b/c/d/e/f/g-h",
            "/r/a/b/c/d/e/f/g",
            "/r/a/b/c/d/e/f/gg/h",
        ]);
        assert!(names.iter().all(|n| plain(n.as_bytes())));
        for not_plain in ["/r/./a", "r/../a", "a//b", "a/", "./a", ".", ".."] {
            assert!(!plain(not_plain.as_bytes()), "{not_plain}");
        }
        sorts_as_path_does(&names);
    }
}
