//! Terraform modules: the static configuration of a directory, and the tree
//! of module instances a root module expands into.

use std::collections::BTreeMap;

use crate::fast::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::ast::{Attribute, Block, Body, Expr};
use super::eval::{Evaluator, Scope, Traced};
use super::functions::string_key;
use super::types::{Type, has_optional, parse as parse_type};
use super::value::Value;
use super::{parse_config_bounded, parse_tfvars_bounded};
use crate::finding::{Diagnostic, FileId, Loc};
use crate::rules::codes;
use crate::source::fs::FileSystem;
use crate::source::{FileKind, Files, SourceFile, Span, decode, display_path};

pub type ConfigId = usize;
pub type InstanceId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

/// Where a declaration sits: file index in the config, block index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockRef {
    pub file: usize,
    pub block: usize,
}

#[derive(Debug)]
pub struct ParsedFile {
    pub id: FileId,
    /// Shared with other units of the run when the module is cached.
    pub body: Arc<Body>,
    /// `override.tf`, `*_override.tf` (and `.tf.json`): Terraform merges
    /// its blocks into the blocks of the same name in the other files.
    pub is_override: bool,
}

/// Whether Terraform reads `path` as an override file.
pub fn is_override_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// Parsed files of module directories that several root modules call, so
/// each is read and parsed once per run rather than once per caller. An
/// entry is dropped after the loads its callers were expected to make, so
/// it holds only shared modules whose callers are still to come; a load
/// past that parses again, which is slower but the same.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// Directories called from more than one directory → expected loads.
    expected: HashMap<PathBuf, usize>,
    entries: Mutex<HashMap<PathBuf, CacheEntry>>,
}

/// Loads left, and the files.
type CacheEntry = (usize, Arc<[CachedFile]>);

#[derive(Debug)]
pub struct CachedFile {
    pub file: Arc<SourceFile>,
    pub body: Arc<Body>,
}

impl ParseCache {
    /// `callers`: for each called directory, how many directories call it.
    pub fn new(callers: HashMap<PathBuf, usize>) -> Self {
        ParseCache {
            expected: callers.into_iter().filter(|(_, n)| *n > 1).collect(),
            entries: Mutex::new(HashMap::default()),
        }
    }

    fn get(&self, dir: &Path) -> Option<Arc<[CachedFile]>> {
        let mut entries = self.entries.lock().ok()?;
        let (left, files) = entries.get_mut(dir)?;
        let files = files.clone();
        *left = left.saturating_sub(1);
        if *left == 0 {
            entries.remove(dir);
        }
        Some(files)
    }

    fn put(&self, dir: &Path, files: Vec<CachedFile>) {
        let Some(&expected) = self.expected.get(dir) else {
            return;
        };
        if let Ok(mut entries) = self.entries.lock() {
            entries
                .entry(dir.to_path_buf())
                .or_insert_with(|| (expected - 1, files.into()));
        }
    }
}

#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub at: BlockRef,
    /// The instance a plan already expanded this block into.
    pub fixed_key: Option<InstanceKey>,
    /// Changed by an override file, which costlint does not merge: not
    /// judged, rather than judged on half of its arguments.
    pub overridden: bool,
}

#[derive(Debug, Clone)]
pub struct CallDecl {
    pub name: String,
    pub at: BlockRef,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProviderDecl {
    pub name: String,
    pub alias: Option<String>,
    pub at: BlockRef,
}

/// The static configuration of one module directory.
#[derive(Debug, Default)]
pub struct ModuleConfig {
    pub dir: PathBuf,
    pub files: Vec<ParsedFile>,
    pub variables: BTreeMap<String, BlockRef>,
    /// Type constraints of the variables whose type declares optional
    /// attributes, read once: converting a value to them fills those in.
    pub var_types: HashMap<String, Type>,
    /// name → (file index, locals block index, attribute index)
    pub locals: HashMap<String, (usize, usize, usize)>,
    pub resources: Vec<ResourceDecl>,
    pub resource_index: HashMap<(Mode, String, String), usize>,
    pub calls: Vec<CallDecl>,
    pub call_index: HashMap<String, usize>,
    pub providers: Vec<ProviderDecl>,
    pub outputs: HashMap<String, BlockRef>,
    /// Built from a plan's planned values: already expanded, and tags are
    /// the provider's merged `tags_all`/`terraform_labels`.
    pub from_plan: bool,
}

impl ModuleConfig {
    pub fn block(&self, at: BlockRef) -> Option<&Block> {
        self.files.get(at.file)?.body.blocks.get(at.block)
    }

    pub fn file_id(&self, at: BlockRef) -> FileId {
        self.files.get(at.file).map_or(FileId(0), |f| f.id)
    }

    pub fn local(&self, name: &str) -> Option<(FileId, &Attribute)> {
        let (f, b, a) = *self.locals.get(name)?;
        let file = self.files.get(f)?;
        Some((file.id, file.body.blocks.get(b)?.body.attributes.get(a)?))
    }

    pub(crate) fn index(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        // Terraform reads override files after all the others.
        let order: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.files.get(i).is_some_and(|f| !f.is_override))
            .chain(
                (0..self.files.len()).filter(|&i| self.files.get(i).is_some_and(|f| f.is_override)),
            )
            .collect();
        for fi in order {
            let Some(file) = self.files.get(fi) else {
                continue;
            };
            for (bi, block) in file.body.blocks.iter().enumerate() {
                let at = BlockRef {
                    file: fi,
                    block: bi,
                };
                let l0 = block.label(0).map(str::to_owned);
                let l1 = block.label(1).map(str::to_owned);
                match (block.ident.as_str(), l0, l1) {
                    ("resource", Some(t), Some(n)) | ("data", Some(t), Some(n)) => {
                        let mode = if block.ident == "resource" {
                            Mode::Managed
                        } else {
                            Mode::Data
                        };
                        let key = (mode, t.clone(), n.clone());
                        if let Some(&i) = self.resource_index.get(&key) {
                            if !file.is_override {
                                diagnostics.push(duplicate(file.id, block, "resource"));
                            } else if let Some(decl) = self.resources.get_mut(i) {
                                if !decl.overridden && mode == Mode::Managed {
                                    diagnostics.push(not_merged(
                                        file.id,
                                        block,
                                        &format!("`{t}.{n}`"),
                                        "the resource is not checked",
                                    ));
                                }
                                decl.overridden = true;
                            }
                            continue;
                        }
                        self.resource_index.insert(key, self.resources.len());
                        self.resources.push(ResourceDecl {
                            mode,
                            rtype: t,
                            name: n,
                            at,
                            fixed_key: None,
                            overridden: false,
                        });
                    }
                    ("module", Some(name), _) => {
                        if self.call_index.contains_key(&name) {
                            if file.is_override {
                                diagnostics.push(not_merged(
                                    file.id,
                                    block,
                                    &format!("module call `{name}`"),
                                    "the call is judged as its base file writes it",
                                ));
                            } else {
                                diagnostics.push(duplicate(file.id, block, "module call"));
                            }
                            continue;
                        }
                        let source = block
                            .body
                            .attr("source")
                            .and_then(|a| a.expr.as_literal_str())
                            .map(str::to_owned);
                        self.call_index.insert(name.clone(), self.calls.len());
                        self.calls.push(CallDecl { name, at, source });
                    }
                    ("provider", Some(name), _) => {
                        let alias = block
                            .body
                            .attr("alias")
                            .and_then(|a| a.expr.as_literal_str())
                            .map(str::to_owned);
                        self.providers.push(ProviderDecl { name, alias, at });
                    }
                    ("variable", Some(name), _) => {
                        if self.variables.contains_key(&name) {
                            continue;
                        }
                        if let Some(ty) = block
                            .body
                            .attr("type")
                            .filter(|t| has_optional(&t.expr))
                            .and_then(|t| parse_type(&t.expr))
                        {
                            self.var_types.insert(name.clone(), ty);
                        }
                        self.variables.insert(name, at);
                    }
                    ("output", Some(name), _) => {
                        self.outputs.entry(name).or_insert(at);
                    }
                    ("locals", _, _) => {
                        for (ai, attr) in block.body.attributes.iter().enumerate() {
                            // An override file's local replaces the base's.
                            if file.is_override {
                                self.locals.insert(attr.name.clone(), (fi, bi, ai));
                                continue;
                            }
                            if self.locals.contains_key(&attr.name) {
                                diagnostics.push(
                                    Diagnostic::new(
                                        codes::CONFIGURATION_ERROR,
                                        Loc::new(file.id, attr.name_span),
                                        format!(
                                            "local value `{}` is defined more than once",
                                            attr.name
                                        ),
                                    )
                                    .help(
                                        "Terraform rejects duplicate locals; keep one definition",
                                    ),
                                );
                                continue;
                            }
                            self.locals.insert(attr.name.clone(), (fi, bi, ai));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A block of an override file that changes a declaration of another file.
fn not_merged(file: FileId, block: &Block, what: &str, consequence: &str) -> Diagnostic {
    Diagnostic::new(
        codes::SKIPPED_FILE,
        Loc::new(file, block.header_span()),
        format!("this override file changes {what}, and costlint does not merge override files: {consequence}"),
    )
    .help("move the change into the base file, or check the plan instead: `terraform show -json plan.out > plan.json && costlint check --plan plan.json`")
}

fn duplicate(file: FileId, block: &Block, what: &str) -> Diagnostic {
    let labels: Vec<&str> = block.labels.iter().map(|(l, _)| l.as_str()).collect();
    Diagnostic::new(
        codes::CONFIGURATION_ERROR,
        Loc::new(file, block.header_span()),
        format!(
            "{what} `{}` is declared more than once in this module",
            labels.join(".")
        ),
    )
    .help("Terraform rejects duplicate declarations; rename or remove one")
}

/// The key of one instance of a `count`/`for_each` block.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    None,
    Int(usize),
    Str(String),
    /// `count`/`for_each` whose value is not known statically.
    Unknown,
}

impl InstanceKey {
    /// `["a"]`, `[0]`, `[*]` or nothing, as in Terraform addresses.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Int(i) => format!("[{i}]"),
            InstanceKey::Str(s) => format!("[{s:?}]"),
            InstanceKey::Unknown => "[*]".into(),
        }
    }

    /// `block_address` followed by [`InstanceKey::suffix`].
    pub fn address(&self, block_address: &str) -> String {
        match self {
            InstanceKey::None => block_address.to_owned(),
            InstanceKey::Unknown => [block_address, "[*]"].concat(),
            _ => [block_address, &self.suffix()].concat(),
        }
    }
}

/// One instance's bindings for `each`/`count`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub key: InstanceKey,
    pub bindings: Bindings,
}

/// Bindings of `each` or `count`, shared by every scope of an instance.
pub type Bindings = std::sync::Arc<[(String, Value)]>;

impl Expansion {
    fn single() -> Self {
        Expansion {
            key: InstanceKey::None,
            bindings: Bindings::default(),
        }
    }
}

/// How a module instance was called.
#[derive(Debug, Clone)]
pub struct CallSite {
    pub parent: InstanceId,
    pub call: usize,
    pub expansion: Expansion,
}

/// A provider configuration as seen from a module instance: the instance
/// whose scope evaluates the block, and the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProviderRef {
    pub instance: InstanceId,
    pub decl: usize,
}

/// A provider declaration's default tags, evaluated, and their keys.
pub(crate) type DefaultTags = (Value, Arc<[String]>);

#[derive(Debug)]
pub struct Instance {
    pub config: ConfigId,
    /// `module.app["x"].module.db`, empty for a root module.
    pub address: String,
    pub parent: Option<CallSite>,
    /// call name → its instances, in key order.
    pub children: BTreeMap<String, Vec<(InstanceKey, InstanceId)>>,
    /// `aws`, `aws.west` → the configuration used under that name here.
    pub providers: HashMap<String, ProviderRef>,
    /// Root modules only: variable values from `.tfvars` files.
    pub tfvars: HashMap<String, (FileId, Expr)>,
    pub(crate) var_cache: Mutex<HashMap<String, Traced>>,
    pub(crate) local_cache: Mutex<HashMap<String, Traced>>,
    /// Provider declaration index → its evaluated default tags or labels,
    /// which every resource using that provider merges under its own.
    pub(crate) default_tags_cache: Mutex<HashMap<usize, DefaultTags>>,
}

/// Every module instance of one root module, and the configurations they
/// share.
#[derive(Debug, Default)]
pub struct Model {
    pub configs: Vec<ModuleConfig>,
    pub config_by_dir: HashMap<PathBuf, ConfigId>,
    pub instances: Vec<Instance>,
    pub workspace: Option<String>,
    pub cwd: PathBuf,
    /// Problems found while evaluating (cycles): reported once each.
    pub(crate) eval_diagnostics: Mutex<Vec<Diagnostic>>,
}

impl Model {
    pub fn instance(&self, id: InstanceId) -> Option<&Instance> {
        self.instances.get(id)
    }

    pub fn config_of(&self, id: InstanceId) -> Option<&ModuleConfig> {
        self.configs.get(self.instances.get(id)?.config)
    }

    pub fn take_eval_diagnostics(&self) -> Vec<Diagnostic> {
        self.eval_diagnostics
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default()
    }

    pub(crate) fn push_eval_diagnostic(&self, d: Diagnostic) {
        if let Ok(mut all) = self.eval_diagnostics.lock() {
            if !all.contains(&d) {
                all.push(d);
            }
        }
    }
}

/// What building a root module needs from the outside.
pub struct BuildOptions<'a> {
    pub fs: &'a dyn FileSystem,
    pub cwd: &'a Path,
    /// Module sources resolving outside this directory are not followed.
    pub boundary: Option<&'a Path>,
    pub var_files: &'a [PathBuf],
    pub workspace: Option<&'a str>,
    pub max_file_size: u64,
    pub max_module_depth: usize,
    /// Deepest JSON nesting (`.tf.json`, `.tfvars.json`, plans).
    pub max_nesting_depth: usize,
    /// Parsed modules shared between the root modules of a run.
    pub cache: Option<&'a ParseCache>,
    /// Parsed top-level blocks kept between runs (a language server's).
    pub blocks: Option<&'a super::segments::BlockCache>,
}

#[cfg(test)]
impl<'a> BuildOptions<'a> {
    /// Options of a unit test: no cache, generous limits.
    pub(crate) fn for_tests(fs: &'a dyn FileSystem, cwd: &'a Path) -> BuildOptions<'a> {
        BuildOptions {
            fs,
            cwd,
            boundary: None,
            var_files: &[],
            workspace: None,
            max_file_size: 1 << 20,
            max_module_depth: 8,
            max_nesting_depth: 64,
            cache: None,
            blocks: None,
        }
    }
}

pub struct Builder<'a> {
    opts: &'a BuildOptions<'a>,
    pub files: Files,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// `.terraform/modules/modules.json` of the root: module key → dir.
    installed: HashMap<String, PathBuf>,
    /// Directories whose module calls were expanded (to know which were called).
    pub called_dirs: Vec<PathBuf>,
}

impl<'a> Builder<'a> {
    /// Deepest JSON nesting allowed in what this builder reads.
    pub fn max_nesting_depth(&self) -> usize {
        self.opts.max_nesting_depth
    }

    pub fn new(opts: &'a BuildOptions<'a>) -> Self {
        Builder {
            opts,
            files: Files::new(),
            model: Model {
                workspace: opts.workspace.map(str::to_owned),
                cwd: opts.cwd.to_path_buf(),
                ..Model::default()
            },
            diagnostics: Vec::new(),
            installed: HashMap::default(),
            called_dirs: Vec::new(),
        }
    }

    fn display(&self, path: &Path) -> Arc<str> {
        display_path(path, self.opts.cwd).into()
    }

    /// Reads and registers a file; problems become findings.
    pub fn load_file(&mut self, path: &Path, kind: FileKind) -> Option<(FileId, Arc<SourceFile>)> {
        let bytes = match self.opts.fs.read(path, self.opts.max_file_size) {
            Ok(b) => b,
            Err(err) => {
                let file =
                    SourceFile::new(self.display(path), path.to_path_buf(), kind, Arc::from(""));
                let id = self.files.add(file);
                self.diagnostics.push(Diagnostic::new(
                    codes::SKIPPED_FILE,
                    Loc::new(id, Span::empty(0)),
                    format!("not checked: {err}"),
                ));
                return None;
            }
        };
        let (text, problem) = decode(bytes);
        let file = Arc::new(SourceFile::new(
            self.display(path),
            path.to_path_buf(),
            kind,
            Arc::from(text),
        ));
        let id = self.files.add(file.clone());
        if let Some(p) = problem {
            self.diagnostics.push(Diagnostic::new(
                codes::SYNTAX_ERROR,
                Loc::new(id, Span::empty(p.offset)),
                p.message,
            ));
            return None;
        }
        Some((id, file))
    }

    /// Loads (once) the configuration of a module directory.
    pub fn load_config(&mut self, dir: &Path) -> ConfigId {
        self.load_config_listed(dir, None)
    }

    /// [`load_config`](Self::load_config) with the directory's files when
    /// the caller has listed them already.
    fn load_config_listed(&mut self, dir: &Path, listing: Option<&[PathBuf]>) -> ConfigId {
        if let Some(id) = self.model.config_by_dir.get(dir) {
            return *id;
        }
        let mut config = ModuleConfig {
            dir: dir.to_path_buf(),
            ..ModuleConfig::default()
        };
        match self.opts.cache.and_then(|c| c.get(dir)) {
            Some(cached) => {
                for f in cached.iter() {
                    let id = self.files.add(f.file.clone());
                    config.files.push(ParsedFile {
                        id,
                        body: f.body.clone(),
                        is_override: is_override_file(&f.file.abs_path),
                    });
                }
            }
            None => self.parse_dir(dir, listing, &mut config),
        }
        config.index(&mut self.diagnostics);
        let id = self.model.configs.len();
        self.model.configs.push(config);
        self.model.config_by_dir.insert(dir.to_path_buf(), id);
        id
    }

    /// Reads and parses the configuration files of a directory; offers
    /// them to the cache when every one of them loaded cleanly.
    fn parse_dir(&mut self, dir: &Path, listing: Option<&[PathBuf]>, config: &mut ModuleConfig) {
        let mut clean = true;
        let mut loaded = Vec::new();
        let listed;
        let paths = match listing {
            Some(paths) => paths,
            None => {
                listed = self.opts.fs.files_in(dir).unwrap_or_default();
                &listed
            }
        };
        for path in paths {
            let Some(kind) = FileKind::from_path(path) else {
                continue;
            };
            if !matches!(kind, FileKind::Terraform | FileKind::TerraformJson) {
                continue;
            }
            let Some((id, file)) = self.load_file(path, kind) else {
                clean = false;
                continue;
            };
            let parsed = match (kind, self.opts.blocks) {
                (FileKind::Terraform, Some(blocks)) => blocks.parse(&file.text),
                _ => parse_config_bounded(kind, &file.text, self.opts.max_nesting_depth),
            };
            match parsed {
                Ok(body) => {
                    let body = Arc::new(body);
                    loaded.push(CachedFile {
                        file,
                        body: body.clone(),
                    });
                    config.files.push(ParsedFile {
                        id,
                        body,
                        is_override: is_override_file(path),
                    });
                }
                Err(err) => {
                    clean = false;
                    self.diagnostics.push(Diagnostic::new(
                        codes::SYNTAX_ERROR,
                        Loc::new(id, Span::empty(err.offset)),
                        err.message,
                    ));
                }
            }
        }
        if let (true, Some(cache)) = (clean, self.opts.cache) {
            cache.put(dir, loaded);
        }
    }

    /// Builds the instance tree of a root module.
    pub fn build_root(&mut self, dir: &Path) -> InstanceId {
        self.installed = read_modules_json(self.opts.fs, dir, self.opts.max_file_size);
        // One listing serves the configuration and the variables files.
        let listing = self.opts.fs.files_in(dir).unwrap_or_default();
        let config = self.load_config_listed(dir, Some(&listing));
        let tfvars = self.load_tfvars(&listing);
        let root = self.new_instance(config, String::new(), None);
        if let Some(inst) = self.model.instances.get_mut(root) {
            inst.tfvars = tfvars;
        }
        self.declare_own_providers(root);
        self.expand_calls(root, &mut vec![dir.to_path_buf()], "");
        root
    }

    pub(crate) fn new_instance(
        &mut self,
        config: ConfigId,
        address: String,
        parent: Option<CallSite>,
    ) -> InstanceId {
        let id = self.model.instances.len();
        self.model.instances.push(Instance {
            config,
            address,
            parent,
            children: BTreeMap::new(),
            providers: HashMap::default(),
            tfvars: HashMap::default(),
            var_cache: Mutex::new(HashMap::default()),
            local_cache: Mutex::new(HashMap::default()),
            default_tags_cache: Mutex::new(HashMap::default()),
        });
        id
    }

    fn declare_own_providers(&mut self, id: InstanceId) {
        let Some(config) = self.model.config_of(id) else {
            return;
        };
        let own: Vec<(String, usize)> = config
            .providers
            .iter()
            .enumerate()
            .map(|(i, p)| (provider_key(&p.name, p.alias.as_deref()), i))
            .collect();
        if let Some(inst) = self.model.instances.get_mut(id) {
            for (key, decl) in own {
                inst.providers
                    .insert(key, ProviderRef { instance: id, decl });
            }
        }
    }

    fn load_tfvars(&mut self, listing: &[PathBuf]) -> HashMap<String, (FileId, Expr)> {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut auto: Vec<PathBuf> = Vec::new();
        for path in listing {
            // Judged like `check::auto_loaded`, whatever the name's encoding.
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            if name == "terraform.tfvars" || name == "terraform.tfvars.json" {
                paths.push(path.clone());
            } else if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") {
                auto.push(path.clone());
            }
        }
        paths.sort();
        auto.sort();
        paths.extend(auto);
        paths.extend(self.opts.var_files.iter().cloned());
        let mut values = HashMap::default();
        for path in paths {
            let kind = FileKind::from_path(&path).unwrap_or(FileKind::Tfvars);
            let Some((id, file)) = self.load_file(&path, kind) else {
                continue;
            };
            match parse_tfvars_bounded(kind, &file.text, self.opts.max_nesting_depth) {
                Ok(attrs) => {
                    for attr in attrs {
                        values.insert(attr.name, (id, attr.expr));
                    }
                }
                Err(err) => self.diagnostics.push(Diagnostic::new(
                    codes::SYNTAX_ERROR,
                    Loc::new(id, Span::empty(err.offset)),
                    err.message,
                )),
            }
        }
        values
    }

    fn expand_calls(&mut self, parent: InstanceId, stack: &mut Vec<PathBuf>, key_prefix: &str) {
        let Some(config_id) = self.model.instance(parent).map(|i| i.config) else {
            return;
        };
        let calls: Vec<CallDecl> = self
            .model
            .configs
            .get(config_id)
            .map(|c| c.calls.clone())
            .unwrap_or_default();
        for (call_idx, call) in calls.iter().enumerate() {
            let Some(config) = self.model.configs.get(config_id) else {
                return;
            };
            let Some(block) = config.block(call.at).cloned() else {
                continue;
            };
            let file = config.file_id(call.at);
            let block = &block;
            let module_key = if key_prefix.is_empty() {
                call.name.clone()
            } else {
                format!("{key_prefix}.{}", call.name)
            };
            let Some(dir) = self.resolve_source(config_id, call, &module_key, file, block) else {
                continue;
            };
            if stack.contains(&dir) {
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::CONFIGURATION_ERROR,
                        Loc::new(file, block.header_span()),
                        format!(
                            "module `{}` calls itself through {}",
                            call.name,
                            stack
                                .iter()
                                .map(|d| display_path(d, self.opts.cwd))
                                .collect::<Vec<_>>()
                                .join(" → ")
                        ),
                    )
                    .help("module calls must form a tree; Terraform rejects cycles"),
                );
                continue;
            }
            if stack.len() >= self.opts.max_module_depth {
                self.diagnostics.push(Diagnostic::new(
                    codes::CONFIGURATION_ERROR,
                    Loc::new(file, block.header_span()),
                    format!(
                        "module nesting deeper than {} levels (limits.max-module-depth); not expanded",
                        self.opts.max_module_depth
                    ),
                ));
                continue;
            }
            let child_config = self.load_config(&dir);
            self.called_dirs.push(dir.clone());
            let expansions = {
                let eval = Evaluator::new(&self.model);
                expansions(&eval, &block.body, &Scope::new(parent, file))
            };
            let parent_address = self
                .model
                .instance(parent)
                .map(|i| i.address.clone())
                .unwrap_or_default();
            let mut children = Vec::new();
            for expansion in expansions {
                let address = if parent_address.is_empty() {
                    format!("module.{}{}", call.name, expansion.key.suffix())
                } else {
                    format!(
                        "{parent_address}.module.{}{}",
                        call.name,
                        expansion.key.suffix()
                    )
                };
                let key = expansion.key.clone();
                let child = self.new_instance(
                    child_config,
                    address,
                    Some(CallSite {
                        parent,
                        call: call_idx,
                        expansion,
                    }),
                );
                self.pass_providers(parent, child, block);
                self.declare_own_providers(child);
                stack.push(dir.clone());
                self.expand_calls(child, stack, &module_key);
                stack.pop();
                children.push((key, child));
            }
            if let Some(inst) = self.model.instances.get_mut(parent) {
                inst.children.insert(call.name.clone(), children);
            }
        }
    }

    /// Default providers are inherited unless the call lists `providers`,
    /// which then is the whole set.
    fn pass_providers(&mut self, parent: InstanceId, child: InstanceId, call: &Block) {
        let Some(parent_providers) = self.model.instance(parent).map(|i| i.providers.clone())
        else {
            return;
        };
        let mut passed = HashMap::default();
        match call.body.attr("providers") {
            Some(attr) => {
                if let super::ast::ExprKind::Object(items) = &attr.expr.kind {
                    for item in items {
                        let child_key = match &item.key {
                            super::ast::ObjectKey::Name(n) => Some(n.clone()),
                            super::ast::ObjectKey::Expr(e) => e.as_path().map(|p| p.join(".")),
                        };
                        let parent_key = item.value.as_path().map(|p| p.join("."));
                        if let (Some(ck), Some(pk)) = (child_key, parent_key) {
                            if let Some(r) = parent_providers.get(&pk) {
                                passed.insert(ck, *r);
                            }
                        }
                    }
                }
            }
            None => {
                for (k, r) in parent_providers {
                    if !k.contains('.') {
                        passed.insert(k, r);
                    }
                }
            }
        }
        if let Some(inst) = self.model.instances.get_mut(child) {
            inst.providers = passed;
        }
    }

    fn resolve_source(
        &mut self,
        config_id: ConfigId,
        call: &CallDecl,
        module_key: &str,
        file: FileId,
        block: &Block,
    ) -> Option<PathBuf> {
        let base = self.model.configs.get(config_id)?.dir.clone();
        let at = block
            .body
            .attr("source")
            .map_or(block.header_span(), |a| a.expr.span);
        let Some(source) = call.source.as_deref() else {
            self.diagnostics.push(Diagnostic::new(
                codes::CONFIGURATION_ERROR,
                Loc::new(file, block.header_span()),
                format!("module `{}` has no literal `source`", call.name),
            ));
            return None;
        };
        if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        {
            let dir = normalize(&base.join(source));
            if let Some(boundary) = self.opts.boundary {
                if !dir.starts_with(boundary) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            codes::SKIPPED_FILE,
                            Loc::new(file, at),
                            format!("module source `{source}` is outside the checked repository; its resources are not checked and its outputs are unknown"),
                        ),
                    );
                    return None;
                }
            }
            if !self.opts.fs.is_dir(&dir) {
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::CONFIGURATION_ERROR,
                        Loc::new(file, at),
                        format!("module source `{source}` does not exist"),
                    )
                    .help("fix the path; `terraform init` would fail"),
                );
                return None;
            }
            return Some(dir);
        }
        // Registry and git modules: only when `terraform init` installed them.
        self.installed
            .get(module_key)
            .cloned()
            .filter(|d| self.opts.fs.is_dir(d))
    }
}

pub fn provider_key(name: &str, alias: Option<&str>) -> String {
    match alias {
        Some(a) => format!("{name}.{a}"),
        None => name.to_owned(),
    }
}

/// Lexical normalisation of `..` and `.` (no symlink resolution, so a
/// symlink loop cannot hang it).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn read_modules_json(fs: &dyn FileSystem, root: &Path, max: u64) -> HashMap<String, PathBuf> {
    let path = root.join(".terraform").join("modules").join("modules.json");
    let Ok(bytes) = fs.read(&path, max) else {
        return HashMap::default();
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return HashMap::default();
    };
    let mut out = HashMap::default();
    for m in json
        .get("Modules")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
    {
        if let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) {
            if !key.is_empty() {
                out.insert(key.to_owned(), normalize(&root.join(dir)));
            }
        }
    }
    out
}

/// The instances of a block with `count` or `for_each`, each with its
/// bindings; one unknown instance when the collection is not known.
pub fn expansions(eval: &Evaluator<'_>, body: &Body, scope: &Scope) -> Vec<Expansion> {
    if let Some(attr) = body.attr("for_each") {
        let value = eval.eval(&attr.expr, scope).unwrap_or(Value::Unknown);
        let items: Vec<(String, Value)> = match value {
            Value::Map(m) if !m.partial => {
                m.entries.into_iter().map(|(k, e)| (k, e.value)).collect()
            }
            Value::List(items) if items.iter().all(Value::is_known) => items
                .into_iter()
                .filter_map(|v| string_key(&v).map(|k| (k, v)))
                .collect(),
            Value::Null => Vec::new(),
            _ => return vec![unknown_expansion("each")],
        };
        let mut items = items;
        items.sort_by(|a, b| a.0.cmp(&b.0));
        items.dedup_by(|a, b| a.0 == b.0);
        return items
            .into_iter()
            .map(|(k, v)| {
                let mut each = super::value::Map::new();
                each.insert("key".into(), Value::String(k.clone()), None);
                each.insert("value".into(), v, None);
                Expansion {
                    key: InstanceKey::Str(k),
                    bindings: Bindings::from([("each".into(), Value::Map(each))]),
                }
            })
            .collect();
    }
    if let Some(attr) = body.attr("count") {
        let value = eval.eval(&attr.expr, scope).unwrap_or(Value::Unknown);
        let Some(n) = value
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0)
        else {
            return vec![unknown_expansion("count")];
        };
        // An absurd count is not expanded instance by instance.
        if n > 100_000.0 {
            return vec![unknown_expansion("count")];
        }
        return (0..n as usize)
            .map(|i| {
                let mut count = super::value::Map::new();
                count.insert("index".into(), Value::Number(i as f64), None);
                Expansion {
                    key: InstanceKey::Int(i),
                    bindings: Bindings::from([("count".into(), Value::Map(count))]),
                }
            })
            .collect();
    }
    vec![Expansion::single()]
}

fn unknown_expansion(name: &str) -> Expansion {
    Expansion {
        key: InstanceKey::Unknown,
        bindings: Bindings::from([(name.to_owned(), Value::Unknown)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached() -> Vec<CachedFile> {
        let file = SourceFile::new(
            "m/main.tf".into(),
            PathBuf::from("/m/main.tf"),
            FileKind::Terraform,
            Arc::from(""),
        );
        vec![CachedFile {
            file: Arc::new(file),
            body: Arc::new(Body::default()),
        }]
    }

    #[test]
    fn a_cached_module_lasts_for_its_expected_loads() {
        let shared = PathBuf::from("/m");
        let once = PathBuf::from("/once");
        let cache = ParseCache::new(
            [(shared.clone(), 3), (once.clone(), 1)]
                .into_iter()
                .collect(),
        );
        // Called from one directory only: never kept.
        cache.put(&once, cached());
        assert!(cache.get(&once).is_none());
        // The first load parses and offers; the two other callers share it.
        assert!(cache.get(&shared).is_none());
        cache.put(&shared, cached());
        assert!(cache.get(&shared).is_some());
        assert!(cache.get(&shared).is_some());
        assert!(cache.entries.lock().map(|e| e.is_empty()).unwrap_or(false));
        assert!(cache.get(&shared).is_none());
    }

    /// Memory that counts directory listings.
    struct Listings {
        mem: crate::source::fs::MemoryFs,
        lists: std::sync::atomic::AtomicUsize,
    }

    impl FileSystem for Listings {
        fn read(&self, path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
            self.mem.read(path, max_bytes)
        }
        fn files_in(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
            self.lists
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.mem.files_in(dir)
        }
        fn is_dir(&self, path: &Path) -> bool {
            self.mem.is_dir(path)
        }
        fn is_file(&self, path: &Path) -> bool {
            self.mem.is_file(path)
        }
    }

    #[test]
    fn a_root_is_listed_once_for_its_configuration_and_variables_files() {
        let mut mem = crate::source::fs::MemoryFs::new();
        mem.insert("/m/main.tf", b"variable \"size\" {}\n".to_vec());
        mem.insert("/m/terraform.tfvars", b"size = \"m5.large\"\n".to_vec());
        mem.insert("/m/x.auto.tfvars", b"size = \"m5.xlarge\"\n".to_vec());
        let fs = Listings {
            mem,
            lists: std::sync::atomic::AtomicUsize::new(0),
        };
        let opts = BuildOptions::for_tests(&fs, Path::new("/m"));
        let mut builder = Builder::new(&opts);
        let root = builder.build_root(Path::new("/m"));
        assert_eq!(fs.lists.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(builder.model.configs.len(), 1);
        let tfvars = &builder.model.instances[root].tfvars;
        let (file, _) = &tfvars["size"];
        // The auto-loaded file comes after terraform.tfvars and wins.
        assert_eq!(
            builder.files.get(*file).map(|f| &*f.path),
            Some("x.auto.tfvars")
        );
    }
}
