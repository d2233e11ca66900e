//! The one check function shared by the CLI, the language server and the
//! tests: files and settings in, sorted findings out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::Settings;
use crate::finding::{Diagnostic, Edit, FileId, Finding, Fix, Label, Loc, stable_hash};
use crate::kubernetes::kustomize;
use crate::kubernetes::object::Object;
use crate::kubernetes::yaml::{self, Document};
use crate::model::kubernetes::{
    LimitRanges, Manifests, NamespaceIndex, ScaleTargets, collect_namespaces,
};
use crate::model::terraform::Module;
use crate::rules::{Cx, RULES, codes};
use crate::source::fs::{FileSystem, Prefetch};
use crate::source::{Excerpt, FileKind, Files, Position, SourceFile, Span, decode, display_path};
use crate::suppress::{self, Directive, Region, Scope};
use crate::terraform::module::{BuildOptions, Builder, ParseCache};
use crate::terraform::segments::BlockCache;

/// How to run a check, besides what to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Paths in output are relative to this.
    pub cwd: PathBuf,
    /// Local module sources resolving outside this directory are not followed.
    pub boundary: Option<PathBuf>,
    /// Kubernetes manifests read from standard input.
    pub stdin: Option<String>,
    /// Keep the lines of files with findings that text snippets show
    /// ([`Report::excerpts`]).
    pub keep_sources: bool,
    /// Keep the whole text of files with findings ([`Report::sources`]),
    /// for an editor that converts every position.
    pub keep_files: bool,
    /// Extra variable files (`--var-file`), after the configuration's.
    pub var_files: Vec<PathBuf>,
    /// A Terraform plan in JSON (`terraform show -json`), absolute.
    pub plan: Option<PathBuf>,
    /// Top-level blocks parsed by earlier runs, for a language server
    /// re-linting a file after an edit.
    pub blocks: Option<Arc<BlockCache>>,
    /// Manifests read only for their Namespaces and autoscalers, not
    /// checked: the neighbours of a manifest checked alone, so that it is
    /// judged as a run of its whole directory would judge it.
    pub manifest_context: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
    /// Files with findings, when `keep_files` was set.
    pub sources: BTreeMap<Arc<str>, Arc<SourceFile>>,
    /// The lines findings point at, when `keep_sources` was set.
    pub excerpts: BTreeMap<Arc<str>, Excerpt>,
}

impl Report {
    /// Adds kept lines of a file, with what was kept of it before.
    pub fn add_excerpt(&mut self, excerpt: Excerpt) {
        match self.excerpts.get_mut(&excerpt.path) {
            Some(kept) => kept.absorb(excerpt),
            None => {
                self.excerpts.insert(excerpt.path.clone(), excerpt);
            }
        }
    }
}

/// Per path, the 0-based line ranges findings and their labels point at.
fn finding_lines<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> HashMap<&'a str, Vec<(usize, usize)>> {
    let mut lines: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let range = |a: Position, b: Position| (a.line.saturating_sub(1), b.line.saturating_sub(1));
    for f in findings {
        lines
            .entry(&f.path)
            .or_default()
            .push(range(f.start, f.end));
        for l in &f.related {
            lines
                .entry(&l.path)
                .or_default()
                .push(range(l.start, l.end));
        }
    }
    lines
}

/// The lines of `file` in `lines`.
fn excerpt_of(file: &SourceFile, lines: &HashMap<&str, Vec<(usize, usize)>>) -> Excerpt {
    let mine = lines.get(&*file.path).map_or(&[][..], Vec::as_slice);
    Excerpt::new(file, mine.iter().copied())
}

pub const STDIN_PATH: &str = "<stdin>";

/// Bytes the prescans may keep for the units that read the same files
/// again (see [`Prefetch`]): all of a typical repository, a fixed bound on
/// a huge one.
const PREFETCH_BUDGET: usize = 16 << 20;

enum Unit {
    Module(PathBuf),
    Plan(PathBuf),
    /// A variables file that no root module loads: syntax only.
    Standalone(PathBuf, FileKind),
    Manifest(PathBuf),
    Stdin,
}

/// What one unit of work found, before run-wide suppression.
#[derive(Default)]
struct UnitResult {
    findings: Vec<Finding>,
    /// Per file: its directives and whether it failed to parse.
    directives: Vec<FileDirectives>,
    sources: Vec<Arc<SourceFile>>,
    excerpts: Vec<Excerpt>,
    called_dirs: Vec<PathBuf>,
    files: usize,
}

struct FileDirectives {
    file: Arc<SourceFile>,
    list: Vec<Directive>,
    problems: Vec<Finding>,
    broken: bool,
}

/// The files of a run, by what is done with them.
///
/// Directories are looked up by hash and kept in order by
/// [`sort_paths`]: comparing paths component by component in ordered sets
/// cost more than the rest of this put together.
struct Inputs {
    /// Directories holding `.tf` / `.tf.json` files, in path order.
    tf_dirs: Vec<PathBuf>,
    tf_dir_set: crate::fast::HashSet<PathBuf>,
    /// Variables files no root module loads by itself.
    tfvars: Vec<(PathBuf, FileKind)>,
    yaml_files: Vec<PathBuf>,
    /// Directories some local `module` block calls, with how many
    /// directories call each.
    called: crate::fast::HashMap<PathBuf, usize>,
}

impl Inputs {
    /// `plan`: a plan's own configuration is checked through the plan.
    fn sort(
        paths: &[PathBuf],
        fs: &dyn FileSystem,
        settings: &Settings,
        plan: Option<&Path>,
    ) -> Inputs {
        let mut inputs = Inputs::classify(paths);
        inputs.scan_called(fs, settings, plan);
        inputs
    }

    /// Sorts files by kind; which directories are called is left for
    /// [`Inputs::scan_called`].
    fn classify(paths: &[PathBuf]) -> Inputs {
        let mut tf_dir_set: crate::fast::HashSet<PathBuf> = Default::default();
        let mut tfvars: Vec<(PathBuf, FileKind)> = Vec::new();
        let mut yaml_files: Vec<PathBuf> = Vec::new();
        // Discovery sorts paths, so the files of a directory come together:
        // one set insertion (which compares whole paths) per directory.
        let mut last_dir: Option<&Path> = None;
        for path in paths {
            match FileKind::from_path(path) {
                Some(FileKind::Terraform | FileKind::TerraformJson) => {
                    if let Some(dir) = path.parent() {
                        if last_dir.is_none_or(|l| l.as_os_str() != dir.as_os_str()) {
                            tf_dir_set.insert(dir.to_path_buf());
                            last_dir = Some(dir);
                        }
                    }
                }
                Some(kind @ (FileKind::Tfvars | FileKind::TfvarsJson)) => {
                    tfvars.push((path.clone(), kind))
                }
                Some(FileKind::Yaml) => yaml_files.push(path.clone()),
                _ => {}
            }
        }

        // Variables files a root module loads itself are checked with it.
        tfvars.retain(|(p, _)| {
            !(tf_dir_set.contains(p.parent().unwrap_or(Path::new(""))) && auto_loaded(p))
        });
        Inputs {
            tf_dirs: Vec::new(),
            tf_dir_set,
            tfvars,
            yaml_files,
            called: Default::default(),
        }
    }

    /// Finds the directories module blocks call, and so the roots.
    fn scan_called(&mut self, fs: &dyn FileSystem, settings: &Settings, plan: Option<&Path>) {
        // The plan's own directory calls modules too: they are judged
        // through the plan, not again as roots.
        let plan_dir = plan.and_then(Path::parent);
        let mut scanned: Vec<PathBuf> = self.tf_dir_set.iter().cloned().collect();
        if let Some(dir) = plan_dir.filter(|d| !self.tf_dir_set.contains(*d)) {
            scanned.push(dir.to_path_buf());
        }
        self.called = prescan_called_dirs(&scanned, fs, settings.limits.max_file_size);
        if let Some(dir) = plan_dir {
            self.tf_dir_set.remove(dir);
        }
        let mut tf_dirs: Vec<PathBuf> = self.tf_dir_set.iter().cloned().collect();
        crate::source::discover::sort_paths(&mut tf_dirs);
        self.tf_dirs = tf_dirs;
    }

    /// Root modules: directories no module block calls.
    fn roots(&self) -> impl Iterator<Item = Unit> + '_ {
        self.tf_dirs
            .iter()
            .filter(|d| !self.called.contains_key(*d))
            .cloned()
            .map(Unit::Module)
    }

    /// Directories the prescan took for called modules but that nothing
    /// expanded (a cycle, a false match): they are roots after all.
    fn orphans<'a>(&self, expanded: impl Iterator<Item = &'a PathBuf>) -> Vec<Unit> {
        let expanded: crate::fast::HashSet<&PathBuf> = expanded.collect();
        let mut dirs: Vec<PathBuf> = self
            .called
            .keys()
            .filter(|d| self.tf_dir_set.contains(*d) && !expanded.contains(d))
            .cloned()
            .collect();
        crate::source::discover::sort_paths(&mut dirs);
        dirs.into_iter().map(Unit::Module).collect()
    }
}

/// Checks files (absolute paths, already discovered) and stdin.
///
/// Terraform and manifests go side by side, each with its own prescan:
/// neither waits for the other's, so a thread that finishes one half early
/// takes work from the other instead of idling at a barrier.
pub fn check(
    paths: &[PathBuf],
    settings: &Settings,
    fs: &dyn FileSystem,
    opts: &CheckOptions,
) -> Report {
    let prefetch = Prefetch::new(fs, PREFETCH_BUDGET);
    let fs: &dyn FileSystem = &prefetch;
    let mut inputs = Inputs::classify(paths);
    let prescanned = Prescanned::default();
    let threads = rayon::current_num_threads();
    // Units known before the prescans: at least one root when there is
    // any Terraform directory.
    let others = usize::from(opts.plan.is_some())
        + inputs.tfvars.len()
        + inputs.yaml_files.len()
        + usize::from(opts.stdin.is_some());
    let yaml_files = std::mem::take(&mut inputs.yaml_files);
    let least_units = others + usize::from(!inputs.tf_dir_set.is_empty());

    let terraform = || {
        inputs.scan_called(fs, settings, opts.plan.as_deref());
        let cache = ParseCache::new(inputs.called.clone().into_iter().collect());
        let mut units: Vec<Unit> = inputs.roots().collect();
        units.extend(opts.plan.iter().cloned().map(Unit::Plan));
        units.extend(
            inputs
                .tfvars
                .iter()
                .cloned()
                .map(|(p, k)| Unit::Standalone(p, k)),
        );
        let no_namespaces = NamespaceIndex::default();
        let no_targets = ScaleTargets::default();
        let ctx = Ctx {
            settings,
            fs,
            opts,
            namespaces: &no_namespaces,
            scale_targets: &no_targets,
            limit_ranges: &LimitRanges::default(),
            patches: &Patches::default(),
            cache: &cache,
            prescanned: &prescanned,
            parallel_rules: units.len() + yaml_files.len() + usize::from(opts.stdin.is_some())
                < threads,
        };
        let results: Vec<UnitResult> = units.par_iter().map(|u| ctx.run(u)).collect();
        let orphans = inputs.orphans(results.iter().flat_map(|r| r.called_dirs.iter()));
        let more: Vec<UnitResult> = orphans.par_iter().map(|u| ctx.run(u)).collect();
        (results, more)
    };
    let manifests = || {
        let (namespaces, scale_targets, patches, limit_ranges) = prescan_manifests(
            &yaml_files,
            &opts.manifest_context,
            opts.stdin.as_deref(),
            fs,
            settings,
            opts,
            &prescanned,
        );
        let mut units: Vec<Unit> = yaml_files.iter().cloned().map(Unit::Manifest).collect();
        if opts.stdin.is_some() {
            units.push(Unit::Stdin);
        }
        // Manifest units never build modules: the cache stays empty.
        let cache = ParseCache::new(Default::default());
        let ctx = Ctx {
            settings,
            fs,
            opts,
            namespaces: &namespaces,
            scale_targets: &scale_targets,
            limit_ranges: &limit_ranges,
            patches: &patches,
            cache: &cache,
            prescanned: &prescanned,
            parallel_rules: least_units < threads,
        };
        units
            .par_iter()
            .map(|u| ctx.run(u))
            .collect::<Vec<UnitResult>>()
    };
    let ((mut results, orphans), manifest_results) = rayon::join(terraform, manifests);
    results.extend(manifest_results);
    results.extend(orphans);

    merge(results, settings, opts)
}

/// Builds every Terraform root module among `paths` (and the plan of
/// `opts`) the way [`check`] does, and calls `f` on each: for views of
/// whole modules such as `costlint cost`. Results are in root order.
pub fn for_each_root<R: Send>(
    paths: &[PathBuf],
    settings: &Settings,
    fs: &dyn FileSystem,
    opts: &CheckOptions,
    f: &(dyn Fn(&Builder<'_>) -> R + Sync),
) -> Vec<R> {
    let inputs = Inputs::sort(paths, fs, settings, opts.plan.as_deref());
    let namespaces = NamespaceIndex::default();
    let scale_targets = ScaleTargets::default();
    let cache = ParseCache::new(inputs.called.clone().into_iter().collect());
    let prescanned = Prescanned::default();
    let ctx = Ctx {
        settings,
        fs,
        opts,
        namespaces: &namespaces,
        scale_targets: &scale_targets,
        limit_ranges: &LimitRanges::default(),
        patches: &Patches::default(),
        cache: &cache,
        prescanned: &prescanned,
        parallel_rules: false,
    };
    let mut units: Vec<Unit> = inputs.roots().collect();
    units.extend(opts.plan.iter().cloned().map(Unit::Plan));
    let mut results: Vec<(Option<R>, Vec<PathBuf>)> =
        units.par_iter().map(|u| ctx.build(u, f)).collect();
    let orphans = inputs.orphans(results.iter().flat_map(|r| r.1.iter()));
    let more: Vec<(Option<R>, Vec<PathBuf>)> =
        orphans.par_iter().map(|u| ctx.build(u, f)).collect();
    results.extend(more);
    results.into_iter().filter_map(|(r, _)| r).collect()
}

fn auto_loaded(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// Finds local module sources with a byte scan, so which directories are
/// roots is known before anything is parsed: each called directory with
/// the number of directories calling it.
fn prescan_called_dirs(
    dirs: &[PathBuf],
    fs: &dyn FileSystem,
    max: u64,
) -> crate::fast::HashMap<PathBuf, usize> {
    let found: Vec<crate::fast::HashSet<PathBuf>> = dirs
        .par_iter()
        .map(|dir| {
            let mut out = crate::fast::HashSet::default();
            for path in fs.list_ahead(dir).unwrap_or_default().iter() {
                if !matches!(
                    FileKind::from_path(path),
                    Some(FileKind::Terraform | FileKind::TerraformJson)
                ) {
                    continue;
                }
                let Ok(bytes) = fs.read_ahead(path, max) else {
                    continue;
                };
                for source in scan_sources(&bytes) {
                    out.insert(crate::terraform::module::normalize(&dir.join(source)));
                }
            }
            out
        })
        .collect();
    let mut callers = crate::fast::HashMap::default();
    for dir in found.into_iter().flatten() {
        *callers.entry(dir).or_insert(0) += 1;
    }
    callers
}

/// `source = "./x"` and `"source": "../y"`: local module sources.
fn scan_sources(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let needle = b"source";
    // One searcher for the file: building one per occurrence was most of
    // the scan.
    for pos in memchr::memmem::find_iter(bytes, needle) {
        let mut j = pos + needle.len();
        if bytes.get(j) == Some(&b'"') {
            j += 1;
        }
        while matches!(bytes.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if matches!(bytes.get(j), Some(b'=' | b':')) {
            j += 1;
            while matches!(bytes.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            if bytes.get(j) == Some(&b'"') {
                let start = j + 1;
                let tail = bytes.get(start..).unwrap_or_default();
                let value = tail
                    .iter()
                    .position(|&b| b == b'"' || b == b'\n')
                    .map_or(tail, |p| tail.get(..p).unwrap_or_default());
                if let Ok(s) = std::str::from_utf8(value) {
                    if s.starts_with("./") || s.starts_with("../") {
                        out.push(s.to_owned());
                    }
                }
            }
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Kustomize patch files, with the directory of the kustomization naming
/// each.
type Patches = crate::fast::HashMap<PathBuf, PathBuf>;

/// Namespace objects and autoscaler targets of the whole run and of its
/// `context`, so an object in one file sees the labels of its Namespace,
/// and the autoscaler that scales it, declared in another; and the patch
/// files kustomizations name. Only files that mention `Namespace` or
/// `scaleTargetRef`, and kustomizations, are parsed here.
fn prescan_manifests(
    files: &[PathBuf],
    context: &[PathBuf],
    stdin: Option<&str>,
    fs: &dyn FileSystem,
    settings: &Settings,
    opts: &CheckOptions,
    held: &Prescanned,
) -> (NamespaceIndex, ScaleTargets, Patches, LimitRanges) {
    let limits = yaml_limits(settings);
    // A run's own files come first, so its own Namespace wins over a
    // neighbour's of the same name.
    let all_files: Vec<(&PathBuf, bool)> = files
        .iter()
        .map(|p| (p, true))
        .chain(context.iter().map(|p| (p, false)))
        .collect();
    let per_file: Vec<(NamespaceIndex, ScaleTargets, Vec<PathBuf>, LimitRanges)> = all_files
        .par_iter()
        .map(|&(path, checked)| {
            let mut out = (
                NamespaceIndex::default(),
                ScaleTargets::default(),
                Vec::new(),
                LimitRanges::default(),
            );
            // Only a file a unit reads again is worth keeping.
            let read = if checked {
                fs.read_ahead(path, settings.limits.max_file_size)
            } else {
                fs.read(path, settings.limits.max_file_size).map(Arc::new)
            };
            let Ok(bytes) = read else {
                return out;
            };
            if kustomize::is_kustomization(path) {
                if let (text, None) = decode(Arc::unwrap_or_clone(bytes)) {
                    let (docs, _) = yaml::load(&text, limits);
                    out.2 = kustomize::patch_files(path.parent().unwrap_or(Path::new("")), &docs);
                }
                return out;
            }
            let namespaces = find(&bytes, b"Namespace").is_some();
            let scalers = find(&bytes, b"scaleTargetRef").is_some();
            let defaults = find(&bytes, b"LimitRange").is_some();
            if !namespaces && !scalers && !defaults {
                return out;
            }
            // A copy only here: the unit reading this file next gets the
            // bytes the prefetch keeps.
            let (text, problem) = decode(std::sync::Arc::unwrap_or_clone(bytes));
            if problem.is_some() {
                return out;
            }
            // Only the documents that can hold what is collected here are
            // parsed, each alone, with spans into the whole text.
            let ranges = documents_with(&text, &[b"Namespace", b"scaleTargetRef", b"LimitRange"]);
            let whole = 0..text.len();
            let (docs, error, aliased) = yaml::load_ranges_counted(
                &text,
                ranges.as_deref().unwrap_or(std::slice::from_ref(&whole)),
                limits,
            );
            if namespaces {
                let index = crate::source::LineIndex::new(&text);
                collect_namespaces(
                    FileId(0),
                    &display_path(path, &opts.cwd),
                    &docs,
                    &index,
                    &text,
                    &mut out.0,
                );
            }
            if scalers {
                out.1.collect(&docs);
            }
            if defaults {
                out.3.collect(&docs);
            }
            // Documents that expanded aliases spent budget a whole-file
            // parse would count differently: those are parsed again.
            if checked && error.is_none() && aliased == 0 {
                held.offer(path, &text, ranges, docs);
            }
            out
        })
        .collect();
    let mut all = NamespaceIndex::default();
    let mut targets = ScaleTargets::default();
    let mut patches = Patches::default();
    let mut limit_ranges = LimitRanges::default();
    for ((map, scaled, patched, defaults), (path, _)) in per_file.into_iter().zip(&all_files) {
        limit_ranges.extend(defaults);
        for (k, v) in map {
            all.entry(k).or_insert(v);
        }
        targets.extend(scaled);
        let dir = path.parent().unwrap_or(Path::new(""));
        for p in patched {
            patches.entry(p).or_insert_with(|| dir.to_path_buf());
        }
    }
    if let Some(text) = stdin {
        let (docs, _) = yaml::load(text, limits);
        let index = crate::source::LineIndex::new(text);
        collect_namespaces(FileId(0), STDIN_PATH, &docs, &index, text, &mut all);
        targets.collect(&docs);
        limit_ranges.collect(&docs);
    }
    (all, targets, patches, limit_ranges)
}

/// YAML text whose parsed documents the manifest prescan may hold for the
/// units that check the same files next; they take about ten times as
/// much memory, for the whole run: 1 MB raised the peak of the 100 MB tree
/// by 10 to 15 MB, close to its 200 MB bound.
const PRESCANNED_BUDGET: usize = 512 << 10;

/// Documents the manifest prescan parsed, by file, so that a document
/// holding a Namespace or an autoscaler is parsed once, not twice: the
/// unit checking the file parses only the other documents and puts them
/// in order with these. Bounded by [`PRESCANNED_BUDGET`]; which files fit
/// changes nothing but the time, since the documents are the same.
#[derive(Default)]
struct Prescanned {
    held: Mutex<(HashMap<PathBuf, HeldDocs>, usize)>,
}

struct HeldDocs {
    /// The text they came from, to tell that the file was not changed
    /// between the prescan and its unit.
    len: usize,
    hash: u64,
    /// The ranges parsed (`None`: the whole text).
    ranges: Option<Vec<std::ops::Range<usize>>>,
    docs: Vec<yaml::Document>,
}

impl Prescanned {
    fn lock(&self) -> std::sync::MutexGuard<'_, (HashMap<PathBuf, HeldDocs>, usize)> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn offer(
        &self,
        path: &Path,
        text: &str,
        ranges: Option<Vec<std::ops::Range<usize>>>,
        docs: Vec<yaml::Document>,
    ) {
        let bytes = ranges
            .as_ref()
            .map_or(text.len(), |r| r.iter().map(ExactSizeIterator::len).sum());
        let mut held = self.lock();
        if held.1 + bytes > PRESCANNED_BUDGET {
            return;
        }
        held.1 += bytes;
        let entry = HeldDocs {
            len: text.len(),
            hash: text_hash(text),
            ranges,
            docs,
        };
        held.0.insert(path.to_path_buf(), entry);
    }

    /// The documents of `text` and its first error, as [`yaml::load`]
    /// gives them, parsing only what the prescan did not.
    fn load(
        &self,
        path: &Path,
        text: &str,
        limits: yaml::Limits,
    ) -> (Vec<yaml::Document>, Option<yaml::YamlError>) {
        let held = self.lock().0.remove(path);
        let Some(held) = held.filter(|h| h.len == text.len() && h.hash == text_hash(text)) else {
            return yaml::load(text, limits);
        };
        let Some(ranges) = held.ranges else {
            return (held.docs, None);
        };
        let mut rest = Vec::with_capacity(ranges.len() + 1);
        let mut at = 0;
        for r in ranges
            .iter()
            .chain(std::iter::once(&(text.len()..text.len())))
        {
            if r.start > at {
                rest.push(at..r.start);
            }
            at = r.end;
        }
        // An error, or budget spent, is reported as a whole-file parse
        // reports it: from a whole-file parse.
        let (more, error, _) = yaml::load_ranges_counted(text, &rest, limits);
        if error.is_some() {
            return yaml::load(text, limits);
        }
        let mut docs = held.docs;
        docs.extend(more);
        docs.sort_by_key(|d| d.span.start);
        (docs, None)
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(text)
}

/// The byte ranges of the YAML documents of `text` that contain one of
/// `needles`; `None` when that is every document. A line `---` always
/// starts a document: YAML forbids it inside any scalar at the start of a
/// line. Files with directives (`%TAG`) are left whole, since leaving one
/// out could change how a later document reads.
fn documents_with(text: &str, needles: &[&[u8]]) -> Option<Vec<std::ops::Range<usize>>> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'%') || find(bytes, b"\n%").is_some() {
        return None;
    }
    let mut starts = vec![0];
    for pos in memchr::memmem::find_iter(bytes, b"\n---") {
        let start = pos + 1;
        if matches!(
            bytes.get(start + 3),
            None | Some(b'\n' | b'\r' | b' ' | b'\t')
        ) {
            starts.push(start);
        }
    }
    starts.push(bytes.len());
    let mut kept: Vec<std::ops::Range<usize>> = Vec::new();
    let mut left_out = false;
    for pair in starts.windows(2) {
        let (Some(&from), Some(&to)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let Some(doc) = bytes.get(from..to) else {
            continue;
        };
        if needles.iter().any(|n| find(doc, n).is_some()) {
            // Neighbours are parsed as one: fewer parser starts.
            match kept.last_mut() {
                Some(last) if last.end == from => last.end = to,
                _ => kept.push(from..to),
            }
        } else {
            left_out = true;
        }
    }
    left_out.then_some(kept)
}

fn yaml_limits(settings: &Settings) -> yaml::Limits {
    yaml::Limits {
        max_depth: settings.limits.max_nesting_depth,
        max_alias_nodes: settings.limits.max_alias_expansion,
    }
}

struct Ctx<'a> {
    settings: &'a Settings,
    fs: &'a dyn FileSystem,
    opts: &'a CheckOptions,
    namespaces: &'a NamespaceIndex,
    scale_targets: &'a ScaleTargets,
    limit_ranges: &'a LimitRanges,
    /// Kustomize patch files of the run, with their kustomization's
    /// directory.
    patches: &'a Patches,
    cache: &'a ParseCache,
    prescanned: &'a Prescanned,
    /// Rules of one unit run in parallel only when units alone cannot keep
    /// every thread busy (an editor's single file): otherwise the rules of
    /// one resource wait on each other for its lazily evaluated tags and
    /// environment, and a waiting thread is an idle core.
    parallel_rules: bool,
}

impl Ctx<'_> {
    fn run(&self, unit: &Unit) -> UnitResult {
        match unit {
            Unit::Module(dir) => self.module(dir),
            Unit::Plan(path) => self.plan(path),
            Unit::Standalone(path, kind) => self.standalone(path, *kind),
            Unit::Manifest(path) => self.manifest_file(path),
            Unit::Stdin => {
                let text = self.opts.stdin.clone().unwrap_or_default();
                let max = self.settings.limits.max_file_size;
                let over = text.len() as u64 > max;
                let file = SourceFile::new(
                    STDIN_PATH.into(),
                    PathBuf::from(STDIN_PATH),
                    FileKind::Yaml,
                    Arc::from(if over { String::new() } else { text }),
                );
                let mut files = Files::new();
                let id = files.add(file);
                if over {
                    let note = Diagnostic::new(
                        codes::SKIPPED_FILE,
                        Loc::new(id, Span::empty(0)),
                        format!("not checked: {}", crate::source::fs::too_large(max)),
                    );
                    return self.finish(&files, vec![note], &HashMap::new(), Vec::new());
                }
                self.manifests(files, id, Vec::new())
            }
        }
    }

    /// Runs every enabled rule in parallel; findings come back in rule
    /// order whatever the thread count.
    fn run_rules<F>(&self, run: F) -> Vec<Diagnostic>
    where
        F: Fn(&dyn crate::rules::DynRule, &crate::rules::AnyOptions, &mut Cx<'_>) + Sync,
    {
        let rules: Vec<&'static dyn crate::rules::DynRule> = RULES
            .iter()
            .zip(&self.settings.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| *r)
            .collect();
        let one = |rule: &&'static dyn crate::rules::DynRule| {
            let mut out = Vec::new();
            let code = rule.meta().code;
            let mut cx = Cx::new(&self.settings.environments, &mut out, code)
                .with_base_dir(&self.settings.base_dir);
            // Settings hold every rule's options; building defaults for
            // each unit cost thousands of instructions a rule.
            match self.settings.options_of(code) {
                Some(options) => run(*rule, options, &mut cx),
                None => run(*rule, &rule.default_options(), &mut cx),
            }
            out
        };
        if self.parallel_rules {
            let found: Vec<Vec<Diagnostic>> = rules.par_iter().map(one).collect();
            found.into_iter().flatten().collect()
        } else {
            rules.iter().flat_map(one).collect()
        }
    }

    fn build_options<'b>(&'b self, var_files: &'b [PathBuf]) -> BuildOptions<'b> {
        BuildOptions {
            fs: self.fs,
            cwd: &self.opts.cwd,
            boundary: self.opts.boundary.as_deref(),
            var_files,
            workspace: self.settings.workspace.as_deref(),
            max_file_size: self.settings.limits.max_file_size,
            max_module_depth: self.settings.limits.max_module_depth,
            max_nesting_depth: self.settings.limits.max_nesting_depth,
            cache: Some(self.cache),
            blocks: self.opts.blocks.as_deref(),
        }
    }

    fn var_files(&self) -> Vec<PathBuf> {
        let mut var_files = self.settings.var_files.clone();
        var_files.extend(self.opts.var_files.iter().cloned());
        var_files
    }

    /// Builds a root module or plan and hands it to `f`; also returns the
    /// directories it called.
    fn build<R>(&self, unit: &Unit, f: &dyn Fn(&Builder<'_>) -> R) -> (Option<R>, Vec<PathBuf>) {
        let var_files = match unit {
            Unit::Module(_) => self.var_files(),
            _ => Vec::new(),
        };
        let mut build = self.build_options(&var_files);
        match unit {
            Unit::Module(dir) => {
                let mut builder = Builder::new(&build);
                builder.build_root(dir);
                let out = f(&builder);
                (Some(out), std::mem::take(&mut builder.called_dirs))
            }
            Unit::Plan(path) => {
                build.max_file_size = build.max_file_size.saturating_mul(16);
                let mut builder = Builder::new(&build);
                let built = crate::terraform::plan::build(&mut builder, path);
                (built.then(|| f(&builder)), Vec::new())
            }
            _ => (None, Vec::new()),
        }
    }

    fn module(&self, dir: &Path) -> UnitResult {
        let var_files = self.var_files();
        let build = self.build_options(&var_files);
        let mut builder = Builder::new(&build);
        builder.build_root(dir);
        let found = self.terraform_rules(&builder);
        let mut diagnostics = std::mem::take(&mut builder.diagnostics);
        diagnostics.extend(found);
        let mut result = self.finish_terraform(&builder, diagnostics);
        result.called_dirs = std::mem::take(&mut builder.called_dirs);
        result
    }

    /// A plan: rules run on the planned values; findings move to the
    /// `.tf` sources when they are beside the plan.
    fn plan(&self, path: &Path) -> UnitResult {
        let var_files = Vec::new();
        let mut build = self.build_options(&var_files);
        // Plans of large configurations are big; they are given explicitly.
        build.max_file_size = build.max_file_size.saturating_mul(16);
        let mut builder = Builder::new(&build);
        let built = crate::terraform::plan::build(&mut builder, path);
        let mut diagnostics = std::mem::take(&mut builder.diagnostics);
        let mut module_dirs = Vec::new();
        if built {
            let mut found = self.terraform_rules(&builder);
            if let (Some(map), Some(plan_file)) = (
                crate::terraform::plan::SourceMap::new(&mut builder, path, self.fs),
                builder.files.find(path),
            ) {
                crate::terraform::plan::relocate(&mut builder, &map, &mut found, plan_file);
                module_dirs = map.module_dirs();
            }
            diagnostics.extend(std::mem::take(&mut builder.diagnostics));
            diagnostics.extend(found);
        }
        let mut result = self.finish_terraform(&builder, diagnostics);
        result.called_dirs = module_dirs;
        result
    }

    fn terraform_rules(&self, builder: &Builder<'_>) -> Vec<Diagnostic> {
        let module = Module::new(&builder.model, &builder.files, &self.settings.environments);
        let mut out = self.run_rules(|rule, options, cx| rule.run_terraform(&module, options, cx));
        out.extend(builder.model.take_eval_diagnostics());
        out
    }

    /// Suppression regions are the top-level blocks of every parsed file.
    fn finish_terraform(&self, builder: &Builder<'_>, diagnostics: Vec<Diagnostic>) -> UnitResult {
        let mut regions: HashMap<FileId, Vec<Region>> = HashMap::new();
        for config in builder.model.configs.iter().filter(|c| !c.from_plan) {
            for parsed in &config.files {
                let list = regions.entry(parsed.id).or_default();
                for block in &parsed.body.blocks {
                    list.push(Region {
                        first: block.span.start,
                        span: block.span,
                    });
                }
            }
        }
        self.finish(&builder.files, diagnostics, &regions, Vec::new())
    }

    fn standalone(&self, path: &Path, kind: FileKind) -> UnitResult {
        let mut files = Files::new();
        let mut diagnostics = Vec::new();
        if let Some((id, file)) = self.read(path, kind, &mut files, &mut diagnostics) {
            if let Err(err) = crate::terraform::parse_tfvars_bounded(
                kind,
                &file.text,
                self.settings.limits.max_nesting_depth,
            ) {
                diagnostics.push(Diagnostic::new(
                    codes::SYNTAX_ERROR,
                    Loc::new(id, Span::empty(err.offset)),
                    err.message,
                ));
            }
        }
        self.finish(&files, diagnostics, &HashMap::new(), Vec::new())
    }

    fn read(
        &self,
        path: &Path,
        kind: FileKind,
        files: &mut Files,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(FileId, Arc<SourceFile>)> {
        let display: Arc<str> = display_path(path, &self.opts.cwd).into();
        match self.fs.read(path, self.settings.limits.max_file_size) {
            Ok(bytes) => {
                let (text, problem) = decode(bytes);
                let file = Arc::new(SourceFile::new(
                    display,
                    path.to_path_buf(),
                    kind,
                    Arc::from(text),
                ));
                let id = files.add(file.clone());
                match problem {
                    Some(p) => {
                        diagnostics.push(Diagnostic::new(
                            codes::SYNTAX_ERROR,
                            Loc::new(id, Span::empty(p.offset)),
                            p.message,
                        ));
                        None
                    }
                    None => Some((id, file)),
                }
            }
            Err(err) => {
                let file = SourceFile::new(display, path.to_path_buf(), kind, Arc::from(""));
                let id = files.add(file);
                diagnostics.push(Diagnostic::new(
                    codes::SKIPPED_FILE,
                    Loc::new(id, Span::empty(0)),
                    format!("not checked: {err}"),
                ));
                None
            }
        }
    }

    fn manifest_file(&self, path: &Path) -> UnitResult {
        if let Some(chart) = helm_chart_of(path, self.fs) {
            // Templates parse as YAML surprisingly often, with nonsense
            // values: only rendered manifests are judged.
            return self.skipped(
                path,
                format!(
                    "a template of the Helm chart in {}; not checked until rendered",
                    display_path(&chart, &self.opts.cwd)
                ),
                "check the rendered manifests instead: `helm template <chart> | costlint check -`"
                    .to_owned(),
            );
        }
        if let Some(dir) = self.patches.get(path) {
            // A partial object: judged merged into its base, not alone.
            let shown = display_path(dir, &self.opts.cwd);
            return self.skipped(
                path,
                format!("a patch of the kustomization in {shown}; not checked on its own"),
                format!("check the built manifests instead: `kustomize build {shown} | costlint check -`"),
            );
        }
        let mut files = Files::new();
        let mut diagnostics = Vec::new();
        match self.read(path, FileKind::Yaml, &mut files, &mut diagnostics) {
            Some((id, _)) => self.manifests(files, id, diagnostics),
            None => self.finish(&files, diagnostics, &HashMap::new(), Vec::new()),
        }
    }

    /// A manifest deliberately not read: one CL003 note at its start.
    fn skipped(&self, path: &Path, message: String, help: String) -> UnitResult {
        let mut files = Files::new();
        let display: Arc<str> = display_path(path, &self.opts.cwd).into();
        let id = files.add(SourceFile::new(
            display,
            path.to_path_buf(),
            FileKind::Yaml,
            Arc::from(""),
        ));
        let note =
            Diagnostic::new(codes::SKIPPED_FILE, Loc::new(id, Span::empty(0)), message).help(help);
        self.finish(&files, vec![note], &HashMap::new(), Vec::new())
    }

    fn manifests(&self, files: Files, id: FileId, mut diagnostics: Vec<Diagnostic>) -> UnitResult {
        let Some(file) = files.get(id).cloned() else {
            return UnitResult::default();
        };
        let limits = yaml_limits(self.settings);
        let (docs, error) = self.prescanned.load(&file.abs_path, &file.text, limits);
        let mut broken = Vec::new();
        if let Some(err) = error {
            if file.text.contains("{{") {
                diagnostics.push(
                    Diagnostic::new(
                        codes::SKIPPED_FILE,
                        Loc::new(id, Span::empty(err.offset)),
                        "looks like a Helm or Go template, which is not YAML until rendered; not checked",
                    )
                    .help("check the rendered manifests instead: `helm template <chart> | costlint check -`"),
                );
            } else if looks_like_kubernetes(&file.text) || !docs.is_empty() {
                diagnostics.push(Diagnostic::new(
                    codes::SYNTAX_ERROR,
                    Loc::new(id, Span::empty(err.offset)),
                    format!("invalid YAML: {}", err.message),
                ));
            }
            broken.push(id);
        }
        let objects: Vec<Object<'_>> = docs
            .iter()
            .flat_map(|d| Object::all_in(id, &d.root, d.span))
            .collect();
        let mut annotation_directives = Vec::new();
        let mut problems = Vec::new();
        for object in &objects {
            if let Some(value) = object.annotation("costlint.dev/ignore") {
                if let Some(d) = suppress::annotation_directive(
                    id,
                    value.as_str().unwrap_or(""),
                    value.span,
                    object.node.span,
                    &mut problems,
                ) {
                    annotation_directives.push(d);
                }
            }
        }
        diagnostics.extend(problems);
        let manifests = Manifests {
            env_cache: objects.iter().map(|_| std::sync::OnceLock::new()).collect(),
            objects,
            text: &file.text,
            namespaces: self.namespaces,
            scale_targets: self.scale_targets,
            limit_ranges: self.limit_ranges,
            environments: &self.settings.environments,
        };
        diagnostics.extend(
            self.run_rules(|rule, options, cx| rule.run_kubernetes(&manifests, options, cx)),
        );
        let regions: HashMap<FileId, Vec<Region>> =
            [(id, document_regions(&docs))].into_iter().collect();
        let mut result = self.finish(&files, diagnostics, &regions, annotation_directives);
        for fd in &mut result.directives {
            if broken
                .iter()
                .any(|b| files.get(*b).is_some_and(|f| f.path == fd.file.path))
            {
                fd.broken = true;
            }
        }
        result
    }

    /// Groups instances, places diagnostics, and reads the files'
    /// suppression comments.
    fn finish(
        &self,
        files: &Files,
        diagnostics: Vec<Diagnostic>,
        regions: &HashMap<FileId, Vec<Region>>,
        extra: Vec<Directive>,
    ) -> UnitResult {
        let diagnostics = group_instances(diagnostics);
        let broken: BTreeSet<FileId> = diagnostics
            .iter()
            .filter(|d| d.code == codes::SYNTAX_ERROR || d.code == codes::SKIPPED_FILE)
            .map(|d| d.at.file)
            .collect();
        let mut result = UnitResult {
            files: files.len(),
            ..UnitResult::default()
        };
        let mut with_findings: BTreeSet<FileId> = BTreeSet::new();
        for d in diagnostics {
            if let Some(f) = finalize(d, files, self.settings) {
                with_findings.insert(f.1);
                result.findings.push(f.0);
            }
        }
        for (id, file) in files.iter() {
            if file.abs_path.as_os_str().is_empty() {
                continue;
            }
            let no_regions = Vec::new();
            let file_regions = regions.get(&id).unwrap_or(&no_regions);
            let (mut list, problems) =
                suppress::directives(id, file.kind, &file.text, &file.index, file_regions);
            list.extend(extra.iter().filter(|d| d.file == id).cloned());
            let problems: Vec<Finding> = problems
                .into_iter()
                .filter_map(|p| finalize(p, files, self.settings).map(|f| f.0))
                .collect();
            if !problems.is_empty() {
                with_findings.insert(id);
            }
            if !list.is_empty() || !problems.is_empty() {
                result.directives.push(FileDirectives {
                    file: file.clone(),
                    list,
                    problems,
                    broken: broken.contains(&id),
                });
            }
        }
        if self.opts.keep_files {
            result.sources = with_findings
                .iter()
                .filter_map(|id| files.get(*id).cloned())
                .collect();
        }
        if self.opts.keep_sources {
            let problems = result.directives.iter().flat_map(|d| &d.problems);
            let lines = finding_lines(result.findings.iter().chain(problems));
            result.excerpts = with_findings
                .iter()
                .filter_map(|id| files.get(*id))
                .map(|file| excerpt_of(file, &lines))
                .collect();
        }
        result
    }
}

/// The chart directory when `path` is under a Helm chart's `templates/`.
fn helm_chart_of(path: &Path, fs: &dyn FileSystem) -> Option<PathBuf> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.file_name().is_some_and(|n| n == "templates") {
            let chart = d.parent()?;
            if fs.is_file(&chart.join("Chart.yaml")) {
                return Some(chart.to_path_buf());
            }
        }
        dir = d.parent();
    }
    None
}

fn looks_like_kubernetes(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

pub(crate) fn document_regions(docs: &[Document]) -> Vec<Region> {
    let mut out = Vec::new();
    for doc in docs {
        out.push(Region {
            first: doc.root.span.start,
            span: doc.span,
        });
        // Items of a List are objects of their own.
        if let Some(items) = doc
            .root
            .get("items")
            .and_then(crate::kubernetes::yaml::Node::as_seq)
        {
            for item in items {
                out.push(Region {
                    first: item.span.start,
                    span: item.span,
                });
            }
        }
    }
    out
}

/// Merges findings that differ only by the instance of a `count` or
/// `for_each` block into one, with the count and the summed cost.
fn group_instances(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut groups: Vec<(Diagnostic, Vec<String>, f64, bool)> = Vec::new();
    let mut index: HashMap<(&'static str, Loc, String, String), usize> = HashMap::new();
    // (group, instance key) pairs already counted: a set, since one block
    // can have thousands of instances.
    let mut seen: crate::fast::HashSet<(usize, String)> = Default::default();
    for d in diagnostics {
        let (block, key) = match &d.resource {
            Some(r) => split_instance(r),
            None => (String::new(), None),
        };
        let Some(key) = key else {
            let cost = d.monthly_cost_usd.unwrap_or(0.0);
            let has = d.monthly_cost_usd.is_some();
            groups.push((d, Vec::new(), cost, has));
            continue;
        };
        let k = (d.code, d.at, d.message.clone(), block);
        match index.get(&k) {
            Some(&i) => {
                if let Some(g) = groups.get_mut(i) {
                    // The same instance again (one per iteration of a
                    // `dynamic` block): one more cost, not one more instance.
                    if seen.insert((i, key.clone())) {
                        g.1.push(key);
                    }
                    g.2 += d.monthly_cost_usd.unwrap_or(0.0);
                    g.3 |= d.monthly_cost_usd.is_some();
                    sum_money_properties(&mut g.0, &d);
                }
            }
            None => {
                index.insert(k, groups.len());
                seen.insert((groups.len(), key.clone()));
                let cost = d.monthly_cost_usd.unwrap_or(0.0);
                let has = d.monthly_cost_usd.is_some();
                groups.push((d, vec![key], cost, has));
            }
        }
    }
    groups
        .into_iter()
        .map(|(mut d, keys, cost, has_cost)| {
            if keys.len() > 1 {
                if let Some(r) = &d.resource {
                    d.resource = Some(split_instance(r).0);
                }
                let shown: Vec<&str> = keys.iter().take(5).map(String::as_str).collect();
                let more = if keys.len() > 5 { ", …" } else { "" };
                d.message = format!(
                    "{} ({} instances: {}{more})",
                    d.message,
                    keys.len(),
                    shown.join(", ")
                );
                d = d.property("instances", keys.len());
            }
            if has_cost {
                d.monthly_cost_usd = Some(cost);
                let n = keys.len().max(1);
                let suffix = if n > 1 {
                    format!("; about {}/month for {n} instances", format_usd(cost))
                } else {
                    format!("; about {}/month", format_usd(cost))
                };
                d.message.push_str(&suffix);
            }
            d
        })
        .collect()
}

/// Properties that are money per instance, summed like the cost when
/// instances are merged.
const MONEY_PROPERTIES: [&str; 2] = ["monthly_saving_usd", "cap_monthly_usd"];

fn sum_money_properties(group: &mut Diagnostic, d: &Diagnostic) {
    for key in MONEY_PROPERTIES {
        let value = |d: &Diagnostic| d.properties.get(key).and_then(serde_json::Value::as_f64);
        if let (Some(a), Some(b)) = (value(group), value(d)) {
            group
                .properties
                .insert(key.to_owned(), crate::cost::cents(a + b).into());
        }
    }
}

/// `module.a.aws_instance.web["x"]` → (`module.a.aws_instance.web`, `["x"]`).
pub(crate) fn split_instance(address: &str) -> (String, Option<String>) {
    if address.ends_with(']') {
        if let Some((block, key)) = address
            .rfind('[')
            .and_then(|open| address.split_at_checked(open))
        {
            // Only the resource's own key, not a module instance's.
            if !block.ends_with(']') && block.rsplit('.').next().is_some_and(|n| !n.contains('[')) {
                return (block.to_owned(), Some(key.to_owned()));
            }
        }
    }
    (address.to_owned(), None)
}

pub fn format_usd(usd: f64) -> String {
    if usd >= 100.0 {
        let whole = usd.round() as u64;
        let s = whole.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("${out}")
    } else {
        format!("${usd:.2}")
    }
}

/// Places a diagnostic in its file: positions, severity, fingerprints.
fn finalize(d: Diagnostic, files: &Files, settings: &Settings) -> Option<(Finding, FileId)> {
    let file = files.get(d.at.file)?;
    let rule = crate::rules::by_code(d.code)?;
    let severity = settings
        .severity
        .get(d.code)
        .copied()
        .or(d.severity)
        .unwrap_or(rule.meta().severity);
    let span = clamp(d.at.span, &file.text);
    let (start, end) = file.index.range(span, &file.text);
    let related = d
        .related
        .iter()
        .filter_map(|(loc, message)| {
            let f = files.get(loc.file)?;
            let s = clamp(loc.span, &f.text);
            let (start, end) = f.index.range(s, &f.text);
            Some(Label {
                path: f.path.clone(),
                span: s,
                start,
                end,
                message: message.clone(),
            })
        })
        .collect();
    let fix = d.fix.as_ref().map(|fix| Fix {
        title: fix.title.clone(),
        edits: fix
            .edits
            .iter()
            .filter_map(|e| {
                let f = files.get(e.at.file)?;
                let s = clamp(e.at.span, &f.text);
                let (start, end) = f.index.range(s, &f.text);
                Some(Edit {
                    path: f.path.clone(),
                    span: s,
                    start,
                    end,
                    replacement: e.replacement.clone(),
                })
            })
            .collect(),
    });
    let identity = match (&d.resource, &d.attribute) {
        (None, None) => d.message.clone(),
        _ => String::new(),
    };
    let fingerprint = format!(
        "{:016x}",
        stable_hash(&[
            d.code,
            &file.path,
            d.resource.as_deref().unwrap_or(""),
            d.attribute.as_deref().unwrap_or(""),
            &identity,
        ])
    );
    let line_text: String = file.line_text(start.line - 1).split_whitespace().collect();
    let line_hash = format!("{:016x}", stable_hash(&[&line_text]));
    Some((
        Finding {
            code: rule.meta().code,
            name: rule.meta().name,
            severity,
            message: d.message,
            help: d.help,
            label: d.label,
            path: file.path.clone(),
            span,
            start,
            end,
            resource: d.resource,
            attribute: d.attribute,
            related,
            fix,
            monthly_cost_usd: d.monthly_cost_usd,
            properties: d.properties,
            fingerprint,
            line_hash,
        },
        d.at.file,
    ))
}

fn clamp(span: Span, text: &str) -> Span {
    let start = crate::source::floor_char_boundary(text, span.start.min(text.len()));
    let end = crate::source::floor_char_boundary(text, span.end.min(text.len()));
    Span::new(start, end.max(start))
}

/// Run-wide: suppressions, unused suppressions, per-path ignores, limits
/// and the final order.
fn merge(results: Vec<UnitResult>, settings: &Settings, opts: &CheckOptions) -> Report {
    let mut report = Report::default();
    let mut findings: Vec<Finding> = Vec::new();
    let mut directives: BTreeMap<Arc<str>, FileDirectives> = BTreeMap::new();
    for r in results {
        report.files_checked += r.files;
        findings.extend(r.findings);
        for fd in r.directives {
            match directives.get_mut(&fd.file.path) {
                Some(existing) => existing.broken |= fd.broken,
                None => {
                    directives.insert(fd.file.path.clone(), fd);
                }
            }
        }
        for s in r.sources {
            report.sources.entry(s.path.clone()).or_insert(s);
        }
        for e in r.excerpts {
            report.add_excerpt(e);
        }
    }
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.resource.cmp(&b.resource))
    });
    findings.dedup_by(|a, b| {
        a.sort_key() == b.sort_key() && a.resource == b.resource && a.span == b.span
    });

    // Inline suppressions, file by file.
    let mut used: BTreeMap<(Arc<str>, usize), BTreeSet<&'static str>> = BTreeMap::new();
    findings.retain(|f| {
        let Some(fd) = directives.get(&f.path) else {
            return true;
        };
        if f.code == codes::UNUSED_SUPPRESSION || f.code == codes::INVALID_SUPPRESSION {
            return true;
        }
        let mut suppressed = false;
        for (i, d) in fd.list.iter().enumerate() {
            if covers_finding(d, f) {
                used.entry((f.path.clone(), i)).or_default().insert(f.code);
                suppressed = true;
            }
        }
        !suppressed
    });
    let enabled = |code: &str| settings.is_enabled(code);
    for (path, fd) in &directives {
        if settings.is_enabled(codes::INVALID_SUPPRESSION) {
            findings.extend(fd.problems.iter().cloned());
        }
        if fd.broken || !settings.is_enabled(codes::UNUSED_SUPPRESSION) {
            continue;
        }
        let mut files = Files::new();
        let id = files.add(fd.file.clone());
        for (i, d) in fd.list.iter().enumerate() {
            let empty = BTreeSet::new();
            let used_codes = used.get(&(path.clone(), i)).unwrap_or(&empty);
            let mut d = d.clone();
            d.file = id;
            for diag in suppress::unused(&d, used_codes, &enabled) {
                if let Some((f, _)) = finalize(diag, &files, settings) {
                    if opts.keep_files {
                        report
                            .sources
                            .entry(fd.file.path.clone())
                            .or_insert_with(|| fd.file.clone());
                    }
                    if opts.keep_sources {
                        report.add_excerpt(excerpt_of(&fd.file, &finding_lines([&f])));
                    }
                    findings.push(f);
                }
            }
        }
    }

    // Per-path ignores from the configuration.
    if !settings.per_path_ignores.is_empty() {
        findings.retain(|f| {
            let rel = relative_to_base(&f.path, settings, opts);
            !settings
                .per_path_ignores
                .iter()
                .any(|(set, codes)| codes.contains(&f.code) && set.is_match(&rel))
        });
    }
    findings.retain(|f| settings.is_enabled(f.code));
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.resource.cmp(&b.resource))
    });

    // A bounded number of findings per file.
    let max = settings.limits.max_findings_per_file;
    let mut per_file: HashMap<Arc<str>, usize> = HashMap::new();
    let mut dropped: BTreeMap<Arc<str>, usize> = BTreeMap::new();
    findings.retain(|f| {
        let n = per_file.entry(f.path.clone()).or_default();
        *n += 1;
        if *n > max {
            *dropped.entry(f.path.clone()).or_default() += 1;
            false
        } else {
            true
        }
    });
    for (path, n) in dropped {
        findings.push(limit_note(&path, n, max));
    }
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.resource.cmp(&b.resource))
    });
    if opts.keep_sources || opts.keep_files {
        let wanted: BTreeSet<&Arc<str>> = findings.iter().map(|f| &f.path).collect();
        report.sources.retain(|k, _| wanted.contains(k));
        report.excerpts.retain(|k, _| wanted.contains(k));
    }
    report.findings = findings;
    report
}

fn limit_note(path: &Arc<str>, n: usize, max: usize) -> Finding {
    Finding {
        code: codes::SKIPPED_FILE,
        name: "skipped-file",
        severity: crate::finding::Severity::Note,
        message: format!(
            "{n} more findings in this file are not shown (limits.max-findings-per-file = {max})"
        ),
        help: Some("fix the findings above, or raise the limit in costlint.toml".into()),
        label: None,
        path: path.clone(),
        span: Span::empty(0),
        start: crate::source::Position { line: 1, column: 1 },
        end: crate::source::Position { line: 1, column: 1 },
        resource: None,
        attribute: None,
        related: Vec::new(),
        fix: None,
        monthly_cost_usd: None,
        properties: serde_json::Map::new(),
        fingerprint: format!(
            "{:016x}",
            stable_hash(&[codes::SKIPPED_FILE, path, "limit"])
        ),
        line_hash: String::new(),
    }
}

fn relative_to_base(path: &str, settings: &Settings, opts: &CheckOptions) -> String {
    let abs = opts.cwd.join(path);
    let abs = crate::terraform::module::normalize(&abs);
    let base = crate::terraform::module::normalize(&settings.base_dir);
    display_path(&abs, &base)
}

fn covers_finding(d: &Directive, f: &Finding) -> bool {
    if !d.codes.iter().any(|(c, _)| *c == f.code) {
        return false;
    }
    match &d.scope {
        Scope::File => true,
        Scope::Line(line) => f.start.line == line + 1,
        Scope::Region(span) => span.start <= f.span.start && f.span.start <= span.end,
    }
}

/// Parses every file without modelling or checking: the baseline the
/// benchmarks compare a full check with. Returns (files, bytes, failed).
pub fn parse_only(
    paths: &[PathBuf],
    settings: &Settings,
    fs: &dyn FileSystem,
) -> (usize, usize, usize) {
    let limits = yaml_limits(settings);
    let results: Vec<(usize, bool)> = paths
        .par_iter()
        .map(|path| {
            let Some(kind) = FileKind::from_path(path) else {
                return (0, false);
            };
            let Ok(bytes) = fs.read(path, settings.limits.max_file_size) else {
                return (0, true);
            };
            let len = bytes.len();
            let (text, problem) = decode(bytes);
            if problem.is_some() {
                return (len, true);
            }
            let ok = match kind {
                FileKind::Yaml => yaml::load(&text, limits).1.is_none(),
                FileKind::Tfvars | FileKind::TfvarsJson => crate::terraform::parse_tfvars_bounded(
                    kind,
                    &text,
                    settings.limits.max_nesting_depth,
                )
                .is_ok(),
                _ => crate::terraform::parse_config_bounded(
                    kind,
                    &text,
                    settings.limits.max_nesting_depth,
                )
                .is_ok(),
            };
            (len, !ok)
        })
        .collect();
    let bytes = results.iter().map(|r| r.0).sum();
    let failed = results.iter().filter(|r| r.1).count();
    (results.len(), bytes, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_documents_with_the_needles_are_parsed_with_their_own_spans() {
        let text = "kind: Deployment\nmetadata:\n  name: é\n---\nkind: Namespace\nmetadata:\n  name: team\n--- # c\nkind: Service\n---\r\nkind: Namespace\n---\nkind: Namespace\n";
        let ranges = documents_with(text, &[b"Namespace"]).expect("some left out");
        let parts: Vec<&str> = ranges.iter().filter_map(|r| text.get(r.clone())).collect();
        assert_eq!(
            parts,
            [
                "---\nkind: Namespace\nmetadata:\n  name: team\n",
                "---\r\nkind: Namespace\n---\nkind: Namespace\n"
            ]
        );
        // The kept documents load with the same spans as in the whole text.
        let limits = yaml::Limits::default();
        let (all, _) = yaml::load(text, limits);
        let (kept, error) = yaml::load_ranges(text, &ranges, limits);
        assert_eq!(error, None);
        assert_eq!(kept.len(), 3, "{kept:#?}");
        assert!(kept.iter().all(|d| all.contains(d)), "{kept:#?}\n{all:#?}");
    }

    /// The prescan's documents and the rest parsed by the unit are what a
    /// whole-file parse gives, errors included, for every YAML fixture and
    /// example and for streams built to be awkward.
    #[test]
    fn documents_held_from_the_prescan_complete_to_the_whole_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = [
            "kind: Namespace\n",
            "---\nkind: Namespace\n---\n",
            "a: 1\n---\n---\nkind: Namespace\n---\n\n---\nb: 2\n...\n---\nkind: Namespace\n",
            "# c\nkind: Service\n--- # x\nkind: Namespace\nmetadata: {name: n}\n---\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: {kind: Deployment, name: a}\n---\nkind: Deployment\n",
            "kind: Namespace\n---\nkind: Service\na: [\n",
            "kind: Namespace\n---\nx: &a [1]\ny: *a\n---\nkind: Service\n",
            "kind: Namespace\n---\n  bad: indent\n bad\n",
            "%YAML 1.2\n---\nkind: Namespace\n---\nkind: Service\n",
            "kind: Service\n---\r\nkind: Namespace\r\n---\r\nkind: Service\r\n",
            "kind: Namespace\n---\nkind: Service\n---\n",
        ]
        .map(String::from)
        .to_vec();
        let mut files = Vec::new();
        for dir in ["rules", "tests/fixtures", "examples"] {
            let walker = ignore::WalkBuilder::new(root.join(dir)).build();
            files.extend(
                walker
                    .filter_map(Result::ok)
                    .map(|e| e.into_path())
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml")),
            );
        }
        files.sort();
        assert!(files.len() > 20, "{} files", files.len());
        texts.extend(files.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        let limits = yaml::Limits::default();
        let mut held_some = 0;
        for text in &texts {
            let held = Prescanned::default();
            let path = Path::new("/x.yaml");
            let ranges = documents_with(text, &[b"Namespace", b"scaleTargetRef"]);
            let whole = 0..text.len();
            let (docs, error, aliased) = yaml::load_ranges_counted(
                text,
                ranges.as_deref().unwrap_or(std::slice::from_ref(&whole)),
                limits,
            );
            if error.is_none() && aliased == 0 && !docs.is_empty() {
                held.offer(path, text, ranges, docs);
                held_some += 1;
            }
            assert_eq!(
                held.load(path, text, limits),
                yaml::load(text, limits),
                "{text:?}"
            );
            // Taken once: a second unit of the same path parses anew.
            assert!(held.lock().0.is_empty());
        }
        assert!(held_some > 10, "{held_some}");
        // A file changed since the prescan is parsed anew.
        let held = Prescanned::default();
        let text = "kind: Namespace\nmetadata:\n  name: a\n";
        let (docs, _) = yaml::load(text, limits);
        held.offer(Path::new("/x.yaml"), text, None, docs);
        let changed = text.replace("name: a", "name: b");
        assert_eq!(
            held.load(Path::new("/x.yaml"), &changed, limits),
            yaml::load(&changed, limits)
        );
    }

    #[test]
    fn documents_parsed_alone_share_the_alias_budget_and_report_errors_in_place() {
        let doc = "---\nkind: Namespace\na: &x [1, 2, 3]\nb: [*x, *x]\n";
        let text = format!("kind: Service\n{doc}---\nkind: Service\n{doc}");
        let ranges = documents_with(&text, &[b"Namespace"]).expect("some left out");
        let limits = yaml::Limits {
            max_alias_nodes: 10,
            ..yaml::Limits::default()
        };
        // Each document alone stays within 10 alias nodes, both do not.
        assert_eq!(yaml::load(doc, limits).1, None);
        let (docs, error) = yaml::load_ranges(&text, &ranges, limits);
        assert_eq!(docs.len(), 1);
        let error = error.expect("over the budget");
        assert_eq!(&text[error.offset..error.offset + 2], "*x");
        assert_eq!(ranges.len(), 2);
        assert!(error.offset > ranges[1].start);
    }

    #[test]
    fn local_module_sources_are_found_by_the_byte_scan() {
        let hcl = br#"module "a" {
  source = "./modules/a"
}
resource "aws_instance" "x" { source_dest_check = false }
module "b" { source="../b" }
module "registry" { source = "terraform-aws-modules/vpc/aws" }
module "c" {
  source    =   "./c"
}"#;
        assert_eq!(scan_sources(hcl), ["./modules/a", "../b", "./c"]);
        let json = br#"{"module": {"d": {"source": "./d"}, "e": {"source" : "git::x"}}}"#;
        assert_eq!(scan_sources(json), ["./d"]);
        assert!(scan_sources(b"sourcesource").is_empty());
    }

    #[test]
    fn nothing_to_leave_out_or_directives_leave_the_text_whole() {
        assert_eq!(documents_with("kind: Namespace\n", &[b"Namespace"]), None);
        assert_eq!(
            documents_with(
                "%YAML 1.2\n---\na: 1\n---\nkind: Namespace\n",
                &[b"Namespace"]
            ),
            None
        );
        // `---` inside a line or followed by text is no document marker.
        assert_eq!(
            documents_with("a: 1\n---x: 2\nkind: Namespace\n", &[b"Namespace"]),
            None
        );
    }
}
