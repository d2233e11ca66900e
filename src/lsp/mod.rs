//! `costlint lsp`: the language server. Synchronous, on `lsp-server`'s
//! message types and `lsp-types`, like rust-analyzer and ruff's server;
//! protocol types stay inside this module. It lints with the same
//! [`crate::check::check`] as the command line, over an
//! [`crate::source::fs::OverlayFs`] of the open buffers, so a Terraform
//! file is judged with the rest of its module.
//!
//! A *unit* is what one check covers: a Terraform module directory (with
//! the local modules it calls) or one YAML file. The main loop keeps the
//! buffers, the units and the published diagnostics; a worker thread
//! lints dirty units (see [`worker`]).

mod actions;
mod convert;
mod settings;
mod transport;
mod worker;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    InitializeResult, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use serde_json::{Value, json};

use self::convert::{Encoding, Text};
use self::settings::ClientSettings;
use self::transport::Malformed;
use self::worker::{Deps, Doc, Item, Outcome, Queue};
use crate::config::CONFIG_NAMES;
use crate::source::{FileKind, LineIndex};

/// What one check covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKey {
    /// A Terraform module directory, as a root.
    Module(PathBuf),
    /// One Kubernetes YAML file.
    Manifest(PathBuf),
    /// Problems of a configuration file (never linted itself).
    Config(PathBuf),
}

impl UnitKey {
    fn of(path: &Path) -> Option<UnitKey> {
        match FileKind::from_path(path)? {
            FileKind::Yaml => Some(UnitKey::Manifest(path.to_path_buf())),
            kind if kind.is_terraform() => Some(UnitKey::Module(path.parent()?.to_path_buf())),
            _ => None,
        }
    }
}

/// Everything the main loop reacts to.
pub enum Event {
    Message(Message),
    Malformed(Malformed),
    /// Standard input ended or standard output closed.
    ClientGone,
    /// The editor process that started us is gone.
    ParentGone,
    Linted(Box<Outcome>),
}

#[derive(Debug, thiserror::Error)]
pub enum LspError {
    #[error("cannot start the language server: {0}")]
    Start(#[from] std::io::Error),
}

/// Runs the server over stdio until `exit` or the end of input; returns
/// the exit code: 0 after `shutdown`, 1 otherwise.
pub fn run() -> Result<i32, LspError> {
    let (events_tx, events) = channel();
    let writer = transport::stdio(events_tx.clone())?;
    let mut server = Server::new(writer.sender.clone(), events_tx, None);
    let code = loop {
        let Ok(event) = events.recv() else {
            break server.exit_code();
        };
        if let Some(code) = server.handle(event) {
            break code;
        }
    };
    server.queue.stop();
    drop(server);
    writer.finish(Duration::from_secs(5));
    Ok(code)
}

/// Runs a whole session on the calling thread over in-memory input, for
/// tests and fuzzing: messages are handled in order, each lint runs at once
/// over the open buffers on top of `fs`, and no thread watches the editor.
/// Returns the exit code and every message the server wrote, framed.
pub fn session(input: &[u8], fs: Arc<dyn crate::source::fs::FileSystem>) -> (i32, Vec<u8>) {
    let (events_tx, events) = channel();
    let mut reader = input;
    transport::read_loop(&mut reader, &events_tx);
    let (out_tx, outgoing) = channel();
    let mut server = Server::new(out_tx, events_tx, Some(worker::Inline::new(fs)));
    let mut code = None;
    while let Ok(event) = events.try_recv() {
        if let Some(c) = server.handle(event) {
            code = Some(c);
            break;
        }
        server.lint_inline();
    }
    let code = code.unwrap_or_else(|| server.exit_code());
    drop(server);
    let mut out = Vec::new();
    for msg in outgoing.try_iter() {
        let _ = msg.write(&mut out);
    }
    (code, out)
}

/// Diagnostics of one file from one unit.
struct FileDiags {
    /// Buffer version linted; `None` when read from disk.
    version: Option<i32>,
    items: Vec<Item>,
}

enum Pending {
    Configuration,
    Registration,
}

#[derive(Default)]
struct ClientCaps {
    configuration: bool,
    watch_files: bool,
}

struct Server {
    out: Sender<Message>,
    events: Sender<Event>,
    queue: Arc<Queue>,
    enc: Encoding,
    initialized: bool,
    shutdown: bool,
    caps: ClientCaps,
    /// Active units and the files their last lint read.
    units: BTreeMap<UnitKey, Deps>,
    /// The configuration file each unit was last linted with.
    configs: HashMap<UnitKey, PathBuf>,
    published: HashMap<PathBuf, BTreeMap<UnitKey, FileDiags>>,
    /// The URIs the client used for its open documents.
    uris: HashMap<PathBuf, Uri>,
    next_id: i32,
    pending: HashMap<RequestId, Pending>,
    last_shown: Option<String>,
    /// Lints on this thread instead of the worker's (see [`session`]).
    inline: Option<worker::Inline>,
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_NAMES.contains(&n))
}

impl Server {
    fn new(out: Sender<Message>, events: Sender<Event>, inline: Option<worker::Inline>) -> Server {
        Server {
            out,
            events,
            queue: Arc::new(Queue::default()),
            enc: Encoding::Utf16,
            initialized: false,
            shutdown: false,
            caps: ClientCaps::default(),
            units: BTreeMap::new(),
            configs: HashMap::new(),
            published: HashMap::new(),
            uris: HashMap::new(),
            next_id: 0,
            pending: HashMap::new(),
            last_shown: None,
            inline,
        }
    }

    /// In an in-memory session: lints what is dirty now, and what that
    /// makes dirty in turn (bounded: a lint never dirties its own unit).
    fn lint_inline(&mut self) {
        for _ in 0..16 {
            let Some(inline) = self.inline.as_mut() else {
                return;
            };
            let Some(job) = self.queue.take_job() else {
                return;
            };
            for outcome in inline.run(&job, self.enc) {
                self.on_linted(outcome);
            }
        }
    }

    fn exit_code(&self) -> i32 {
        if self.shutdown { 0 } else { 1 }
    }

    fn send(&self, msg: impl Into<Message>) {
        // A failed send means the writer is gone; `ClientGone` follows.
        let _ = self.out.send(msg.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_owned(), params));
    }

    fn request(&mut self, method: &str, params: Value, pending: Pending) {
        self.next_id += 1;
        let id = RequestId::from(format!("costlint-{}", self.next_id));
        self.pending.insert(id.clone(), pending);
        self.send(Request::new(id, method.to_owned(), params));
    }

    fn log(&self, level: u8, message: &str) {
        if self.inline.is_none() {
            eprintln!("costlint lsp: {message}");
        }
        if self.initialized {
            self.notify(
                "window/logMessage",
                json!({"type": level, "message": message}),
            );
        }
    }

    fn show(&mut self, message: String) {
        if self.last_shown.as_ref() != Some(&message) {
            self.notify("window/showMessage", json!({"type": 1, "message": message}));
            self.last_shown = Some(message);
        }
    }

    /// Handles one event; `Some(code)` ends the server.
    fn handle(&mut self, event: Event) -> Option<i32> {
        match event {
            Event::Message(Message::Request(req)) => self.on_request(req),
            Event::Message(Message::Notification(n)) => {
                if n.method == "exit" {
                    return Some(self.exit_code());
                }
                self.on_notification(n);
            }
            Event::Message(Message::Response(resp)) => self.on_response(resp),
            Event::Malformed(bad) => {
                self.log(1, &format!("ignored a malformed message: {}", bad.reason));
                if let Some(id) = bad.id {
                    self.send(Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        bad.reason,
                    ));
                }
            }
            Event::ClientGone | Event::ParentGone => return Some(self.exit_code()),
            Event::Linted(outcome) => self.on_linted(*outcome),
        }
        None
    }

    fn on_request(&mut self, req: Request) {
        if req.method == "initialize" {
            let resp = if self.initialized {
                Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    "initialize was already received".into(),
                )
            } else {
                let result = self.initialize(&req.params);
                Response::new_ok(req.id, result)
            };
            self.send(resp);
            return;
        }
        if !self.initialized {
            self.send(Response::new_err(
                req.id,
                ErrorCode::ServerNotInitialized as i32,
                format!("`{}` before `initialize`", req.method),
            ));
            return;
        }
        if self.shutdown {
            self.send(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                format!("`{}` after `shutdown`", req.method),
            ));
            return;
        }
        let result: Result<Value, (ErrorCode, String)> = match req.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                self.queue.stop();
                Ok(Value::Null)
            }
            "textDocument/hover" => parse(&req.params).map(|p| self.hover(&p)),
            "textDocument/codeAction" => parse(&req.params).map(|p| self.code_actions(&p)),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("costlint does not handle `{other}`"),
            )),
        };
        self.send(match result {
            Ok(value) => Response::new_ok(req.id, value),
            Err((code, message)) => Response::new_err(req.id, code as i32, message),
        });
    }

    fn initialize(&mut self, params: &Value) -> Value {
        let at = |p: &str| params.pointer(p);
        let offers_utf8 = at("/capabilities/general/positionEncodings")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|e| e == "utf-8"));
        self.enc = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.caps = ClientCaps {
            configuration: at("/capabilities/workspace/configuration") == Some(&Value::Bool(true)),
            watch_files: at("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
                == Some(&Value::Bool(true)),
        };
        let mut roots: Vec<PathBuf> = at("/workspaceFolders")
            .and_then(Value::as_array)
            .map(|folders| {
                folders
                    .iter()
                    .filter_map(|f| f.get("uri")?.as_str()?.parse::<Uri>().ok())
                    .filter_map(|u| convert::uri_to_path(&u))
                    .collect()
            })
            .unwrap_or_default();
        if roots.is_empty() {
            let root = at("/rootUri")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Uri>().ok())
                .and_then(|u| convert::uri_to_path(&u))
                .or_else(|| at("/rootPath").and_then(Value::as_str).map(PathBuf::from));
            roots.extend(root);
        }
        let client = match at("/initializationOptions").map(ClientSettings::from_json) {
            Some(Ok(Some(s))) => s,
            Some(Err(e)) => {
                self.show(e);
                ClientSettings::default()
            }
            _ => ClientSettings::default(),
        };
        {
            let mut s = self.queue.lock();
            s.roots = roots;
            s.client = client;
        }
        if self.inline.is_none() {
            if let Err(e) = worker::spawn(self.queue.clone(), self.events.clone(), self.enc) {
                self.log(1, &format!("cannot start the lint thread: {e}"));
            }
            if let Some(pid) = at("/processId").and_then(Value::as_u64) {
                watch_parent(pid, self.events.clone());
            }
        }
        self.initialized = true;
        let capabilities = ServerCapabilities {
            position_encoding: Some(match self.enc {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                resolve_provider: Some(false),
                ..CodeActionOptions::default()
            })),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(lsp_types::OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        };
        serde_json::to_value(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "costlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
        .unwrap_or(Value::Null)
    }

    fn on_notification(&mut self, n: Notification) {
        if !self.initialized || self.shutdown {
            return;
        }
        let params = &n.params;
        let result: Result<(), (ErrorCode, String)> = match n.method.as_str() {
            "initialized" => {
                self.after_initialized();
                Ok(())
            }
            "textDocument/didOpen" => parse(params).map(|p| self.did_open(p)),
            "textDocument/didChange" => parse(params).map(|p| self.did_change(p)),
            "textDocument/didSave" => parse(params).map(|p| self.did_save(p)),
            "textDocument/didClose" => parse(params).map(|p| self.did_close(&p)),
            "workspace/didChangeConfiguration" => {
                self.did_change_configuration(params);
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => parse(params).map(|p| self.watched_files(&p)),
            "workspace/didChangeWorkspaceFolders" => parse(params).map(|p| self.folders(&p)),
            // `$/cancelRequest`, `$/setTrace` and anything else: requests
            // are answered at once, there is nothing to cancel.
            _ => Ok(()),
        };
        if let Err((_, message)) = result {
            self.log(1, &format!("ignored `{}`: {message}", n.method));
        }
    }

    fn on_response(&mut self, resp: Response) {
        let Some(pending) = self.pending.remove(&resp.id) else {
            return;
        };
        match (pending, resp.response_result) {
            (Pending::Configuration, Ok(value)) => {
                let first = value.get(0).cloned().unwrap_or(Value::Null);
                self.apply_settings(&first);
            }
            (Pending::Configuration | Pending::Registration, Err(e)) => {
                self.log(2, &format!("the client refused a request: {}", e.message));
            }
            (Pending::Registration, Ok(_)) => {}
        }
    }

    fn after_initialized(&mut self) {
        if self.caps.watch_files {
            let watchers: Vec<Value> = [
                "**/costlint.toml",
                "**/.costlint.toml",
                "**/*.tf",
                "**/*.tf.json",
                "**/*.tfvars",
                "**/*.tfvars.json",
            ]
            .iter()
            .map(|g| json!({"globPattern": g}))
            .collect();
            self.request(
                "client/registerCapability",
                json!({"registrations": [{
                    "id": "costlint-watched-files",
                    "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": {"watchers": watchers},
                }]}),
                Pending::Registration,
            );
        }
        self.pull_configuration();
    }

    fn pull_configuration(&mut self) {
        if self.caps.configuration {
            self.request(
                "workspace/configuration",
                json!({"items": [{"section": "costlint"}]}),
                Pending::Configuration,
            );
        }
    }

    fn did_change_configuration(&mut self, params: &Value) {
        match params.get("settings") {
            Some(v) if v.as_object().is_some_and(|o| !o.is_empty()) => self.apply_settings(v),
            _ => self.pull_configuration(),
        }
    }

    fn apply_settings(&mut self, value: &Value) {
        match ClientSettings::from_json(value) {
            Ok(Some(settings)) => {
                let changed = {
                    let mut s = self.queue.lock();
                    let changed = s.client != settings;
                    s.client = settings;
                    changed
                };
                if changed {
                    self.reload();
                }
            }
            Ok(None) => {}
            Err(e) => self.show(e),
        }
    }

    /// Configuration changed: every unit is linted again.
    fn reload(&mut self) {
        self.queue.lock().config_epoch += 1;
        self.last_shown = None;
        self.queue
            .schedule(self.units.keys().cloned().collect::<Vec<_>>());
    }

    fn folders(&mut self, p: &lsp_types::DidChangeWorkspaceFoldersParams) {
        let removed: BTreeSet<PathBuf> = p
            .event
            .removed
            .iter()
            .filter_map(|f| convert::uri_to_path(&f.uri))
            .collect();
        {
            let mut s = self.queue.lock();
            s.roots.retain(|r| !removed.contains(r));
            s.roots.extend(
                p.event
                    .added
                    .iter()
                    .filter_map(|f| convert::uri_to_path(&f.uri)),
            );
        }
        self.reload();
    }

    fn did_open(&mut self, p: lsp_types::DidOpenTextDocumentParams) {
        let Some(path) = convert::uri_to_path(&p.text_document.uri) else {
            return;
        };
        if UnitKey::of(&path).is_none() {
            return;
        }
        self.uris.insert(path.clone(), p.text_document.uri);
        self.queue.lock().docs.insert(
            path.clone(),
            Doc {
                text: p.text_document.text,
                version: p.text_document.version,
            },
        );
        self.touch(&path);
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let Some(path) = convert::uri_to_path(&p.text_document.uri) else {
            return;
        };
        {
            let mut s = self.queue.lock();
            let Some(doc) = s.docs.get_mut(&path) else {
                drop(s);
                self.log(
                    2,
                    &format!("change to a document that is not open: {}", path.display()),
                );
                return;
            };
            for change in p.content_changes {
                match change.range {
                    None => doc.text = change.text,
                    Some(range) => {
                        let index = LineIndex::new(&doc.text);
                        let t = Text {
                            text: &doc.text,
                            index: &index,
                        };
                        let start = t.offset(range.start, self.enc);
                        let end = t.offset(range.end, self.enc).max(start);
                        doc.text.replace_range(start..end, &change.text);
                    }
                }
            }
            doc.version = p.text_document.version;
        }
        self.touch(&path);
    }

    fn did_save(&mut self, p: lsp_types::DidSaveTextDocumentParams) {
        let Some(path) = convert::uri_to_path(&p.text_document.uri) else {
            return;
        };
        if is_config_file(&path) {
            self.reload();
            return;
        }
        if let Some(text) = p.text {
            if let Some(doc) = self.queue.lock().docs.get_mut(&path) {
                doc.text = text;
            }
        }
        self.touch(&path);
    }

    fn did_close(&mut self, p: &lsp_types::DidCloseTextDocumentParams) {
        let Some(path) = convert::uri_to_path(&p.text_document.uri) else {
            return;
        };
        if self.queue.lock().docs.remove(&path).is_none() {
            return;
        }
        self.uris.remove(&path);
        let open: Vec<PathBuf> = self.queue.lock().docs.keys().cloned().collect();
        let mut dirty = Vec::new();
        let mut gone = Vec::new();
        for (unit, deps) in &self.units {
            if !deps.contains(&path) {
                continue;
            }
            // A manifest's unit lives while the manifest is open; its
            // neighbours only inform it.
            let alive = match unit {
                UnitKey::Manifest(file) => open.contains(file),
                _ => open.iter().any(|p| deps.contains(p)),
            };
            if alive {
                dirty.push(unit.clone());
            } else {
                gone.push(unit.clone());
            }
        }
        for unit in gone {
            self.deactivate(&unit);
        }
        self.queue.schedule(dirty);
    }

    fn watched_files(&mut self, p: &lsp_types::DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = p
            .changes
            .iter()
            .filter_map(|c| convert::uri_to_path(&c.uri))
            .collect();
        if paths.iter().any(|p| is_config_file(p)) {
            self.reload();
            return;
        }
        let open: BTreeSet<PathBuf> = self.queue.lock().docs.keys().cloned().collect();
        let dirty: Vec<UnitKey> = self
            .units
            .iter()
            .filter(|(_, deps)| paths.iter().any(|p| !open.contains(p) && deps.contains(p)))
            .map(|(u, _)| u.clone())
            .collect();
        self.queue.schedule(dirty);
    }

    /// A buffer changed: lint every unit that read it, or start its own.
    fn touch(&mut self, path: &Path) {
        let mut dirty: Vec<UnitKey> = self
            .units
            .iter()
            .filter(|(_, deps)| deps.contains(path))
            .map(|(u, _)| u.clone())
            .collect();
        // A file of a module another unit reads is judged through that
        // unit; a manifest always has its own, whoever else reads it.
        if let Some(unit) = UnitKey::of(path) {
            let own = dirty.is_empty() || matches!(unit, UnitKey::Manifest(_));
            if own && !self.units.contains_key(&unit) {
                self.units.insert(unit.clone(), Deps::initial(&unit));
                dirty.push(unit);
            }
        }
        self.queue.schedule(dirty);
    }

    fn deactivate(&mut self, unit: &UnitKey) {
        self.units.remove(unit);
        self.configs.remove(unit);
        for path in self.sweep_config_problems() {
            self.publish(&path);
        }
        let paths: Vec<PathBuf> = self
            .published
            .iter()
            .filter(|(_, by_unit)| by_unit.contains_key(unit))
            .map(|(p, _)| p.clone())
            .collect();
        for path in paths {
            if let Some(by_unit) = self.published.get_mut(&path) {
                by_unit.remove(unit);
            }
            self.publish(&path);
        }
    }

    /// Whether a lint saw older text than the buffers hold now.
    fn is_stale(&self, o: &Outcome) -> bool {
        let s = self.queue.lock();
        let changed = s
            .docs
            .iter()
            .any(|(p, d)| o.deps.contains(p) && o.versions.get(p) != Some(&d.version));
        let closed = o
            .versions
            .keys()
            .any(|p| o.deps.contains(p) && !s.docs.contains_key(p));
        changed || closed
    }

    fn on_linted(&mut self, o: Outcome) {
        if self.shutdown || !self.units.contains_key(&o.unit) {
            return;
        }
        if let Some(message) = &o.crashed {
            self.log(1, &format!("internal error while checking: {message}"));
        }
        if self.is_stale(&o) {
            // Newer text is waiting; lint again rather than show old news.
            self.queue.schedule([o.unit.clone()]);
            return;
        }
        self.units.insert(o.unit.clone(), o.deps.clone());
        // Local modules this one called are covered through it, with its
        // inputs, as on the command line.
        if let UnitKey::Module(dir) = &o.unit {
            let called: Vec<UnitKey> = self
                .units
                .keys()
                .filter(|u| matches!(u, UnitKey::Module(d) if d != dir && o.deps.dirs.contains(d)))
                .cloned()
                .collect();
            for unit in called {
                self.deactivate(&unit);
            }
        }
        let mut touched: BTreeSet<PathBuf> = self
            .published
            .iter_mut()
            .filter_map(|(p, by_unit)| by_unit.remove(&o.unit).map(|_| p.clone()))
            .collect();
        // Open buffers the lint read get an answer even when it is "still
        // nothing", so the editor knows which version it is about.
        touched.extend(
            self.queue
                .lock()
                .docs
                .keys()
                .filter(|p| o.deps.contains(p))
                .cloned(),
        );
        for (path, items) in o.files {
            let version = o.versions.get(&path).copied();
            self.published
                .entry(path.clone())
                .or_default()
                .insert(o.unit.clone(), FileDiags { version, items });
            touched.insert(path);
        }
        match o.config {
            Some(config) => {
                self.configs.insert(o.unit.clone(), config.clone());
                let key = UnitKey::Config(config.clone());
                let entry = self.published.entry(config.clone()).or_default();
                let had = entry.remove(&key).is_some();
                if let Some(problem) = o.config_problem {
                    entry.insert(
                        key,
                        FileDiags {
                            version: None,
                            items: vec![Item::config_problem(problem.diagnostic)],
                        },
                    );
                    self.show(format!(
                        "costlint: {}: {}",
                        problem.path.display(),
                        problem.message
                    ));
                    touched.insert(config);
                } else if had {
                    touched.insert(config);
                }
            }
            None => {
                self.configs.remove(&o.unit);
            }
        }
        touched.extend(self.sweep_config_problems());
        for path in touched {
            self.publish(&path);
        }
    }

    /// Drops problems of configuration files no unit uses any more;
    /// returns the files to publish again.
    fn sweep_config_problems(&mut self) -> Vec<PathBuf> {
        let used: BTreeSet<&PathBuf> = self.configs.values().collect();
        let mut cleared = Vec::new();
        for (path, by_unit) in &mut self.published {
            let before = by_unit.len();
            by_unit.retain(|k, _| !matches!(k, UnitKey::Config(p) if !used.contains(p)));
            if by_unit.len() != before {
                cleared.push(path.clone());
            }
        }
        cleared
    }

    fn publish(&mut self, path: &Path) {
        let Some(uri) = self
            .uris
            .get(path)
            .cloned()
            .or_else(|| convert::path_to_uri(path))
        else {
            return;
        };
        let by_unit = self.published.get(path);
        let mut diagnostics: Vec<lsp_types::Diagnostic> = Vec::new();
        let mut version = None;
        for fd in by_unit.into_iter().flat_map(|m| m.values()) {
            version = version.or(fd.version);
            for item in &fd.items {
                if !diagnostics.contains(&item.diagnostic) {
                    diagnostics.push(item.diagnostic.clone());
                }
            }
        }
        if by_unit.is_none_or(BTreeMap::is_empty) {
            // Nothing left: clearing is for the buffer as it is now.
            version = self.queue.lock().docs.get(path).map(|d| d.version);
            self.published.remove(path);
        }
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    /// Items of an open document that were computed for its current text.
    fn current_items(&self, uri: &Uri) -> Option<(PathBuf, Doc, Vec<&Item>)> {
        let path = convert::uri_to_path(uri)?;
        let doc = self.queue.lock().docs.get(&path)?.clone();
        let items = self
            .published
            .get(&path)
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|fd| fd.version == Some(doc.version))
            .flat_map(|fd| fd.items.iter())
            .collect();
        Some((path, doc, items))
    }

    fn hover(&self, p: &lsp_types::HoverParams) -> Value {
        let pos = &p.text_document_position_params;
        let Some((_, _, items)) = self.current_items(&pos.text_document.uri) else {
            return Value::Null;
        };
        actions::hover(&items, pos.position)
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null)
    }

    fn code_actions(&self, p: &lsp_types::CodeActionParams) -> Value {
        let Some((path, doc, items)) = self.current_items(&p.text_document.uri) else {
            return json!([]);
        };
        let versions: HashMap<PathBuf, i32> = self
            .queue
            .lock()
            .docs
            .iter()
            .map(|(p, d)| (p.clone(), d.version))
            .collect();
        let uri_of = |p: &Path| {
            self.uris
                .get(p)
                .cloned()
                .or_else(|| convert::path_to_uri(p))
        };
        let cx = actions::ActionContext {
            path: &path,
            uri: &p.text_document.uri,
            text: &doc.text,
            enc: self.enc,
            versions: &versions,
            uri_of: &uri_of,
        };
        serde_json::to_value(actions::code_actions(&cx, &items, p)).unwrap_or_else(|_| json!([]))
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: &Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params.clone())
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

/// Ends the server when the editor that started it dies without closing
/// our input (Linux: polls `/proc`). A process we cannot see is not watched.
fn watch_parent(pid: u64, events: Sender<Event>) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    if !proc_dir.exists() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("lsp-parent-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(3));
                if !proc_dir.exists() {
                    let _ = events.send(Event::ParentGone);
                    return;
                }
            }
        });
}
