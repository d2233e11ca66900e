//! Linting off the main loop. The main loop records which units are
//! dirty; one worker thread lints them (an edit after a quiet moment at
//! once, a burst of edits once it pauses: edits are superseded, it always
//! lints the newest text), snapshots the open buffers and runs the same
//! `check` as the CLI on each dirty unit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lsp_types::{Location, TextEdit};

use super::convert::{self, Encoding, Text};
use super::settings::ClientSettings;
use super::{Event, UnitKey};
use crate::check::{CheckOptions, check};
use crate::config::{ConfigError, Selection, Settings, find_config};
use crate::finding::Finding;
use crate::source::fs::{FileSystem, OverlayFs, RealFs};
use crate::source::{FileKind, LineIndex, Span, decode, display_path};
use crate::terraform::segments::BlockCache;

/// Edits closer together than this are a burst: linting waits until the
/// burst pauses this long. A lone edit is linted at once.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// Longest wait during a continuous burst of edits.
const MAX_DELAY: Duration = Duration::from_millis(300);
/// Source text whose parsed top-level blocks are kept between lints: a
/// large module's files several times over. Kept blocks take about 18
/// bytes of memory per byte of text (2 MB more for a 114 KB file), so
/// this is about 36 MB at most.
const BLOCK_CACHE_BYTES: usize = 2 << 20;

/// An open buffer.
#[derive(Debug, Clone)]
pub struct Doc {
    pub text: String,
    pub version: i32,
}

/// Files a lint read: a change to any of them makes it stale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deps {
    pub files: BTreeSet<PathBuf>,
    pub dirs: BTreeSet<PathBuf>,
    /// Directories whose manifests a manifest's lint read as context.
    pub manifest_dirs: BTreeSet<PathBuf>,
}

impl Deps {
    pub fn initial(unit: &UnitKey) -> Deps {
        let mut d = Deps::default();
        match unit {
            UnitKey::Module(dir) => {
                d.dirs.insert(dir.clone());
            }
            UnitKey::Manifest(file) => {
                d.files.insert(file.clone());
            }
            UnitKey::Config(_) => {}
        }
        d
    }

    /// Whether a change to `path` can change the lint. A module reads the
    /// Terraform files of the directories it lists, nothing else there; a
    /// manifest, the manifests beside it.
    pub fn contains(&self, path: &Path) -> bool {
        let kind = FileKind::from_path(path);
        self.files.contains(path)
            || path.parent().is_some_and(|p| {
                (kind.is_some_and(FileKind::is_terraform) && self.dirs.contains(p))
                    || (kind == Some(FileKind::Yaml) && self.manifest_dirs.contains(p))
            })
    }
}

/// State shared by the main loop (which writes it) and the worker.
#[derive(Default)]
pub struct Shared {
    pub docs: HashMap<PathBuf, Doc>,
    pub dirty: BTreeSet<UnitKey>,
    /// Bumped on every edit, so the worker can tell a quiet moment.
    pub generation: u64,
    pub client: ClientSettings,
    /// Bumped when configuration may have changed.
    pub config_epoch: u64,
    pub roots: Vec<PathBuf>,
    pub stop: bool,
    /// When the last edit was scheduled, and whether it came within
    /// [`DEBOUNCE`] of the one before (part of a burst).
    last_edit: Option<Instant>,
    in_burst: bool,
}

#[derive(Default)]
pub struct Queue {
    state: Mutex<Shared>,
    wake: Condvar,
}

impl Queue {
    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks units for linting and wakes the worker.
    pub fn schedule(&self, units: impl IntoIterator<Item = UnitKey>) {
        self.schedule_at(units, Instant::now());
    }

    fn schedule_at(&self, units: impl IntoIterator<Item = UnitKey>, now: Instant) {
        let mut s = self.lock();
        s.dirty.extend(units);
        s.generation += 1;
        s.in_burst = s
            .last_edit
            .is_some_and(|t| now.duration_since(t) < DEBOUNCE);
        s.last_edit = Some(now);
        drop(s);
        self.wake.notify_all();
    }

    pub fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }

    /// The dirty units now, without waiting; `None` when there are none.
    pub fn take_job(&self) -> Option<Job> {
        let mut s = self.lock();
        if s.stop || s.dirty.is_empty() {
            return None;
        }
        Some(Job::take(&mut s))
    }

    /// Waits for dirty units and a quiet moment; `None` when stopped.
    fn next_job(&self) -> Option<Job> {
        let mut s = self.lock();
        while !s.stop && s.dirty.is_empty() {
            s = self.wake.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        let started = Instant::now();
        // A lone edit (typing at human speed, a save) is linted at once; a
        // burst (a paste, a rename across files, a formatter) waits for it
        // to pause, so the newest text is linted once.
        while s.in_burst {
            if s.stop {
                return None;
            }
            let seen = s.generation;
            let left = MAX_DELAY.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            s = self
                .wake
                .wait_timeout(s, DEBOUNCE.min(left))
                .unwrap_or_else(|e| e.into_inner())
                .0;
            if s.generation == seen {
                break;
            }
        }
        if s.stop {
            return None;
        }
        Some(Job::take(&mut s))
    }
}

pub struct Job {
    units: Vec<UnitKey>,
    overlay: HashMap<PathBuf, String>,
    versions: HashMap<PathBuf, i32>,
    client: ClientSettings,
    config_epoch: u64,
    roots: Vec<PathBuf>,
}

impl Job {
    /// Takes the dirty units with a snapshot of the buffers.
    fn take(s: &mut Shared) -> Job {
        Job {
            units: std::mem::take(&mut s.dirty).into_iter().collect(),
            overlay: s
                .docs
                .iter()
                .map(|(p, d)| (p.clone(), d.text.clone()))
                .collect(),
            versions: s.docs.iter().map(|(p, d)| (p.clone(), d.version)).collect(),
            client: s.client.clone(),
            config_epoch: s.config_epoch,
            roots: s.roots.clone(),
        }
    }
}

/// Lints on the caller's thread over a given file system, for in-memory
/// sessions (tests and fuzzing): no debounce, no panic catching.
pub struct Inline {
    pub fs: Arc<dyn FileSystem>,
    cache: SettingsCache,
    blocks: Arc<BlockCache>,
}

impl Inline {
    pub fn new(fs: Arc<dyn FileSystem>) -> Inline {
        Inline {
            fs,
            cache: SettingsCache::default(),
            blocks: Arc::new(BlockCache::new(BLOCK_CACHE_BYTES)),
        }
    }

    /// Lints every unit of `job`.
    pub fn run(&mut self, job: &Job, enc: Encoding) -> Vec<Outcome> {
        if self.cache.epoch != job.config_epoch {
            self.cache = SettingsCache {
                epoch: job.config_epoch,
                ..SettingsCache::default()
            };
        }
        job.units
            .iter()
            .map(|unit| {
                let fs = self.fs.as_ref();
                let outcome = lint(job, unit, &mut self.cache, &self.blocks, enc, fs);
                self.blocks.end_round();
                outcome
            })
            .collect()
    }
}

/// A finding as published, with what hover and code actions need.
#[derive(Debug, Clone)]
pub struct Item {
    pub diagnostic: lsp_types::Diagnostic,
    pub code: &'static str,
    pub name: &'static str,
    pub help: Option<String>,
    /// Primary span in the linted text.
    pub span: Span,
    pub resource: Option<String>,
    pub fix: Option<FixEdits>,
}

impl Item {
    /// A configuration error, shown on the configuration file.
    pub fn config_problem(diagnostic: lsp_types::Diagnostic) -> Item {
        Item {
            diagnostic,
            code: "",
            name: "",
            help: None,
            span: Span::empty(0),
            resource: None,
            fix: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FixEdits {
    pub title: String,
    /// Per file: the edits, and the buffer version they apply to (`None`
    /// for a file read from disk).
    pub edits: BTreeMap<PathBuf, (Option<i32>, Vec<TextEdit>)>,
}

/// A configuration file that could not be loaded.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    pub path: PathBuf,
    pub message: String,
    pub diagnostic: lsp_types::Diagnostic,
}

/// What one lint of one unit found.
pub struct Outcome {
    pub unit: UnitKey,
    /// Versions of every open buffer when the lint started.
    pub versions: HashMap<PathBuf, i32>,
    pub deps: Deps,
    /// Findings per file (absolute paths).
    pub files: BTreeMap<PathBuf, Vec<Item>>,
    pub config: Option<PathBuf>,
    pub config_problem: Option<ConfigProblem>,
    /// A bug in costlint, caught so the server stays up.
    pub crashed: Option<String>,
}

impl Outcome {
    /// Nothing found yet.
    fn empty(unit: &UnitKey, versions: &HashMap<PathBuf, i32>) -> Outcome {
        Outcome {
            unit: unit.clone(),
            versions: versions.clone(),
            deps: Deps::initial(unit),
            files: BTreeMap::new(),
            config: None,
            config_problem: None,
            crashed: None,
        }
    }
}

/// Starts the worker thread.
pub fn spawn(queue: Arc<Queue>, events: Sender<Event>, enc: Encoding) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("lsp-lint".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .stack_size(16 * 1024 * 1024)
                .thread_name(|i| format!("lsp-check-{i}"))
                .build()
                .ok();
            let mut cache = SettingsCache::default();
            let blocks = Arc::new(BlockCache::new(BLOCK_CACHE_BYTES));
            while let Some(job) = queue.next_job() {
                if cache.epoch != job.config_epoch {
                    cache = SettingsCache {
                        epoch: job.config_epoch,
                        ..SettingsCache::default()
                    };
                }
                for unit in &job.units {
                    let job = &job;
                    let cache = &mut cache;
                    let blocks = &blocks;
                    let outcome = catch_unwind(AssertUnwindSafe(|| match &pool {
                        Some(pool) => pool.install(|| lint(job, unit, cache, blocks, enc, &RealFs)),
                        None => lint(job, unit, cache, blocks, enc, &RealFs),
                    }))
                    .unwrap_or_else(|panic| Outcome {
                        crashed: Some(panic_message(&panic)),
                        ..Outcome::empty(unit, &job.versions)
                    });
                    blocks.end_round();
                    if events.send(Event::Linted(Box::new(outcome))).is_err() {
                        return;
                    }
                }
            }
        })?;
    Ok(())
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The file system as the check sees it, recording what it reads.
struct Recording<'a> {
    inner: &'a dyn FileSystem,
    deps: Mutex<Deps>,
}

impl Recording<'_> {
    fn deps(&self) -> MutexGuard<'_, Deps> {
        self.deps.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FileSystem for Recording<'_> {
    fn read(&self, path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
        self.deps().files.insert(path.to_path_buf());
        self.inner.read(path, max_bytes)
    }

    fn files_in(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        self.deps().dirs.insert(dir.to_path_buf());
        self.inner.files_in(dir)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.inner.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.deps().files.insert(path.to_path_buf());
        self.inner.is_file(path)
    }
}

#[derive(Default)]
struct SettingsCache {
    epoch: u64,
    map: HashMap<(Option<PathBuf>, PathBuf), Result<Arc<Settings>, ConfigProblemSource>>,
}

#[derive(Clone)]
struct ConfigProblemSource {
    path: PathBuf,
    message: String,
    line: usize,
    column: usize,
}

/// The workspace folder holding `path`, the deepest one.
fn root_of<'r>(roots: &'r [PathBuf], path: &Path) -> Option<&'r PathBuf> {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
}

impl SettingsCache {
    /// Settings for files under `anchor`, and the configuration file used.
    fn get(
        &mut self,
        anchor: &Path,
        client: &ClientSettings,
        roots: &[PathBuf],
    ) -> (Option<PathBuf>, Result<Arc<Settings>, ConfigProblemSource>) {
        let config = match &client.config_path {
            Some(p) if p.is_absolute() => Some(p.clone()),
            Some(p) => Some(roots.first().map_or_else(|| anchor.join(p), |r| r.join(p))),
            None => find_config(anchor),
        };
        let base = root_of(roots, anchor)
            .cloned()
            .unwrap_or_else(|| anchor.to_path_buf());
        let key = (
            config.clone(),
            if config.is_some() {
                PathBuf::new()
            } else {
                base.clone()
            },
        );
        let selection = Selection::from_config(
            client.select.as_deref(),
            &client.extend_select,
            &client.ignore,
        )
        .unwrap_or_default();
        let entry = self.map.entry(key).or_insert_with(|| match &config {
            Some(path) => Settings::load(path, &selection)
                .map(Arc::new)
                .map_err(|e| problem_source(path, e)),
            None => {
                let mut s = Settings::new(&base);
                let mut merged = Selection::default();
                merged.merge(&selection);
                s.apply_selection(&merged);
                Ok(Arc::new(s))
            }
        });
        (config, entry.clone())
    }
}

fn problem_source(path: &Path, e: ConfigError) -> ConfigProblemSource {
    match e {
        ConfigError::Invalid {
            line,
            column,
            message,
            ..
        } => ConfigProblemSource {
            path: path.to_path_buf(),
            message,
            line,
            column,
        },
        other => ConfigProblemSource {
            path: path.to_path_buf(),
            message: other.to_string(),
            line: 1,
            column: 1,
        },
    }
}

/// The directory holding the nearest `.git` above `dir`: local module
/// sources are not followed out of the repository, as on the command line.
fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A file's text with its line index.
type Loaded = (Arc<str>, Arc<LineIndex>);

/// Texts of the files findings point into, read once per lint.
struct Texts<'a> {
    fs: &'a dyn FileSystem,
    max: u64,
    cache: HashMap<PathBuf, Option<Loaded>>,
}

impl Texts<'_> {
    fn get(&mut self, path: &Path) -> Option<Loaded> {
        if let Some(hit) = self.cache.get(path) {
            return hit.clone();
        }
        let found = self.fs.read(path, self.max).ok().map(|bytes| {
            let (text, _) = decode(bytes);
            let index = Arc::new(LineIndex::new(&text));
            (Arc::<str>::from(text), index)
        });
        self.cache.insert(path.to_path_buf(), found.clone());
        found
    }
}

fn lint(
    job: &Job,
    unit: &UnitKey,
    cache: &mut SettingsCache,
    blocks: &Arc<BlockCache>,
    enc: Encoding,
    base: &dyn FileSystem,
) -> Outcome {
    let overlay = OverlayFs {
        base,
        overlay: &job.overlay,
    };
    let fs = Recording {
        inner: &overlay,
        deps: Mutex::new(Deps::initial(unit)),
    };
    let anchor = match unit {
        UnitKey::Module(dir) => dir.clone(),
        UnitKey::Manifest(file) | UnitKey::Config(file) => {
            file.parent().map(Path::to_path_buf).unwrap_or_default()
        }
    };
    let mut outcome = Outcome::empty(unit, &job.versions);
    let (config, settings) = cache.get(&anchor, &job.client, &job.roots);
    outcome.config = config;
    let settings = match settings {
        Ok(s) => s,
        Err(problem) => {
            outcome.config_problem = Some(config_problem(&problem, enc));
            return outcome;
        }
    };
    let excluded = |p: &Path| {
        settings
            .exclude
            .as_ref()
            .is_some_and(|set| set.is_match(display_path(p, &settings.base_dir)))
    };
    let paths: Vec<PathBuf> = match unit {
        UnitKey::Module(dir) => fs
            .files_in(dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| FileKind::from_path(p).is_some_and(FileKind::is_terraform))
            .filter(|p| !excluded(p))
            .collect(),
        UnitKey::Manifest(file) if !excluded(file) => vec![file.clone()],
        _ => Vec::new(),
    };
    // A manifest is judged with the Namespaces and autoscalers beside it,
    // from disk or open buffers, as the command line judges it.
    let manifest_context: Vec<PathBuf> = match (unit, paths.is_empty()) {
        (UnitKey::Manifest(file), false) => match file.parent() {
            Some(dir) => {
                fs.deps().manifest_dirs.insert(dir.to_path_buf());
                overlay
                    .files_in(dir)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|p| p != file && FileKind::from_path(p) == Some(FileKind::Yaml))
                    .filter(|p| !excluded(p))
                    .collect()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    let cwd = root_of(&job.roots, &anchor)
        .cloned()
        .unwrap_or_else(|| anchor.clone());
    let opts = CheckOptions {
        cwd: cwd.clone(),
        boundary: repository_root(&anchor).or_else(|| root_of(&job.roots, &anchor).cloned()),
        stdin: None,
        keep_sources: false,
        keep_files: true,
        var_files: Vec::new(),
        plan: None,
        blocks: Some(blocks.clone()),
        manifest_context,
    };
    let report = check(&paths, &settings, &fs, &opts);
    outcome.deps = fs.deps().clone();

    let mut texts = Texts {
        fs: &overlay,
        max: settings.limits.max_file_size,
        cache: report
            .sources
            .values()
            .map(|s| (s.abs_path.clone(), Some((s.text.clone(), s.index.clone()))))
            .collect(),
    };
    let abs = |p: &str| crate::terraform::module::normalize(&cwd.join(p));
    for f in &report.findings {
        let path = abs(&f.path);
        let Some((text, index)) = texts.get(&path) else {
            continue;
        };
        let item = item(
            f,
            &path,
            &text,
            &index,
            enc,
            &abs,
            &mut texts,
            &job.versions,
        );
        outcome.files.entry(path).or_default().push(item);
    }
    outcome
}

#[allow(clippy::too_many_arguments)]
fn item(
    f: &Finding,
    path: &Path,
    text: &str,
    index: &LineIndex,
    enc: Encoding,
    abs: &dyn Fn(&str) -> PathBuf,
    texts: &mut Texts<'_>,
    versions: &HashMap<PathBuf, i32>,
) -> Item {
    // Texts of related files are read before converting.
    for label in &f.related {
        let _ = texts.get(&abs(&label.path));
    }
    let related = |label: &crate::finding::Label| -> Option<Location> {
        let p = abs(&label.path);
        let range = if p == path {
            Text { text, index }.range(label.span, enc)
        } else {
            let (t, i) = texts.cache.get(&p).cloned().flatten()?;
            Text {
                text: &t,
                index: &i,
            }
            .range(label.span, enc)
        };
        Some(Location::new(convert::path_to_uri(&p)?, range))
    };
    let diagnostic = convert::diagnostic(f, &Text { text, index }, enc, related);
    let fix = f.fix.as_ref().and_then(|fix| {
        let mut edits: BTreeMap<PathBuf, (Option<i32>, Vec<TextEdit>)> = BTreeMap::new();
        for e in &fix.edits {
            let p = abs(&e.path);
            let (t, i) = texts.get(&p)?;
            let range = Text {
                text: &t,
                index: &i,
            }
            .range(e.span, enc);
            edits
                .entry(p.clone())
                .or_insert_with(|| (versions.get(&p).copied(), Vec::new()))
                .1
                .push(TextEdit::new(range, e.replacement.clone()));
        }
        (!edits.is_empty()).then(|| FixEdits {
            title: fix.title.clone(),
            edits,
        })
    });
    Item {
        diagnostic,
        code: f.code,
        name: f.name,
        help: f.help.clone(),
        span: f.span,
        resource: f.resource.clone(),
        fix,
    }
}

fn config_problem(p: &ConfigProblemSource, enc: Encoding) -> ConfigProblem {
    let text = std::fs::read_to_string(&p.path).unwrap_or_default();
    let index = LineIndex::new(&text);
    let line0 = p.line.saturating_sub(1);
    let line_start = index.line_start(line0);
    let offset = index
        .line_text(line0, &text)
        .char_indices()
        .nth(p.column.saturating_sub(1))
        .map_or_else(|| index.line_end(line0, &text), |(i, _)| line_start + i);
    let t = Text {
        text: &text,
        index: &index,
    };
    let range = t.range(Span::new(offset, index.line_end(line0, &text)), enc);
    ConfigProblem {
        path: p.path.clone(),
        message: p.message.clone(),
        diagnostic: lsp_types::Diagnostic {
            range,
            severity: Some(lsp_types::DiagnosticSeverity::ERROR),
            source: Some("costlint".into()),
            message: format!(
                "{}; costlint is not checking files under this configuration",
                p.message
            ),
            ..lsp_types::Diagnostic::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> UnitKey {
        UnitKey::Module(PathBuf::from("/m"))
    }

    #[test]
    fn a_lone_edit_is_linted_without_waiting_and_a_burst_waits() {
        let q = Queue::default();
        let t0 = Instant::now();
        q.schedule_at([unit()], t0);
        assert!(!q.lock().in_burst, "the first edit is lone");
        q.schedule_at([unit()], t0 + DEBOUNCE * 4);
        assert!(!q.lock().in_burst, "an edit after a pause is lone");
        q.schedule_at([unit()], t0 + DEBOUNCE * 4 + DEBOUNCE / 3);
        assert!(q.lock().in_burst, "an edit right after another is a burst");

        q.schedule_at([unit()], t0 + DEBOUNCE * 10);
        let job = q.next_job().expect("a job");
        assert_eq!(job.units, vec![unit()]);
    }
}
