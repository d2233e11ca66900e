//! Times `costlint lsp` the way an editor sees it: from sending a
//! `didChange` to receiving the `publishDiagnostics` for that version.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Latencies in milliseconds.
pub struct LspResult {
    pub lines: usize,
    pub open: f64,
    pub open_diagnostics: usize,
    pub edits: usize,
    pub min: f64,
    pub median: f64,
    pub p90: f64,
    pub max: f64,
    pub diagnostics: (usize, usize),
}

impl LspResult {
    pub fn describe(&self) -> String {
        format!(
            "`costlint lsp`, {} lines: didOpen → diagnostics {:.1} ms ({} diagnostics); didChange → diagnostics over {} edits: min {:.1} ms, median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({}–{} diagnostics)",
            self.lines,
            self.open,
            self.open_diagnostics,
            self.edits,
            self.min,
            self.median,
            self.p90,
            self.max,
            self.diagnostics.0,
            self.diagnostics.1,
        )
    }
}

pub fn run(server: &Path, file: &Path, iterations: usize, pause_ms: u64) -> Result<(), String> {
    match measure(server, file, iterations, pause_ms)? {
        Some(r) => println!("{}", r.describe()),
        None => println!(
            "LSP re-lint: skipped, `{} lsp` does not exist in this build yet",
            server.display()
        ),
    }
    Ok(())
}

/// `None` when the server has no `lsp` subcommand.
pub fn measure(
    server: &Path,
    file: &Path,
    iterations: usize,
    pause_ms: u64,
) -> Result<Option<LspResult>, String> {
    let probe = Command::new(server)
        .args(["lsp", "--help"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", server.display()))?;
    if !probe.status.success() {
        return Ok(None);
    }
    let file = std::fs::canonicalize(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let uri = format!("file://{}", file.display());
    let root_uri = format!("file://{}", dir.display());

    let mut child = Command::new(server)
        .arg("lsp")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {} lsp: {e}", server.display()))?;
    let mut session = Session::new(&mut child)?;

    session.request(
        1,
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "textDocument": {
                    "synchronization": { "didSave": true },
                    "publishDiagnostics": { "versionSupport": true, "relatedInformation": true }
                },
                "workspace": { "configuration": false, "didChangeConfiguration": {} }
            }
        }),
    )?;
    session.wait_response(1)?;
    session.notify("initialized", json!({}))?;

    let language = if file.extension().is_some_and(|e| e == "yaml" || e == "yml") {
        "yaml"
    } else {
        "terraform"
    };
    let start = Instant::now();
    session.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    )?;
    let (open, first) = session.wait_diagnostics(&uri, 1, start)?;

    // Alternate between the file and a one-word edit that adds a finding.
    let edited = match text.find("volume_type = \"gp3\"") {
        Some(at) => format!("{}volume_type = \"gp2\"{}", &text[..at], &text[at + 19..]),
        None => format!("{text}# edited\n"),
    };
    let mut latencies = Vec::new();
    let mut counts = Vec::new();
    for i in 0..iterations {
        std::thread::sleep(Duration::from_millis(pause_ms));
        let version = i as i64 + 2;
        let body = if i % 2 == 0 { &edited } else { &text };
        let start = Instant::now();
        session.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": body }]
            }),
        )?;
        let (latency, n) = session.wait_diagnostics(&uri, version, start)?;
        latencies.push(latency);
        counts.push(n);
    }
    let _ = session.request(2, "shutdown", Value::Null);
    let _ = session.wait_response(2);
    let _ = session.notify("exit", Value::Null);
    drop(session);
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();

    if latencies.is_empty() {
        return Err("no edits were timed".into());
    }
    latencies.sort_by(f64::total_cmp);
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Ok(Some(LspResult {
        lines: text.lines().count(),
        open,
        open_diagnostics: first,
        edits: latencies.len(),
        min: pick(0.0),
        median: pick(0.5),
        p90: pick(0.9),
        max: pick(1.0),
        diagnostics: (
            counts.iter().copied().min().unwrap_or(0),
            counts.iter().copied().max().unwrap_or(0),
        ),
    }))
}

struct Session {
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
}

impl Session {
    fn new(child: &mut Child) -> Result<Session, String> {
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send((Instant::now(), message)).is_err() {
                    break;
                }
            }
        });
        Ok(Session {
            stdin,
            messages: rx,
        })
    }

    fn send(&mut self, message: Value) -> Result<(), String> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("writing to the server: {e}"))
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Result<(), String> {
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// The next message, answering the server's own requests on the way.
    fn next(&mut self) -> Result<(Instant, Value), String> {
        loop {
            let (at, message) = match self.messages.recv_timeout(TIMEOUT) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    return Err("the server did not answer in 30 s".into());
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the server closed its output".into());
                }
            };
            if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))?;
                continue;
            }
            return Ok((at, message));
        }
    }

    fn wait_response(&mut self, id: i64) -> Result<Value, String> {
        loop {
            let (_, m) = self.next()?;
            if m.get("id").and_then(Value::as_i64) == Some(id) {
                return Ok(m);
            }
        }
    }

    /// Milliseconds from `start` to diagnostics for `version` of `uri`
    /// (or any diagnostics for it, from a server that sends no version),
    /// and how many there were.
    fn wait_diagnostics(
        &mut self,
        uri: &str,
        version: i64,
        start: Instant,
    ) -> Result<(f64, usize), String> {
        loop {
            let (at, m) = self.next()?;
            if m.get("method").and_then(Value::as_str) != Some("textDocument/publishDiagnostics") {
                continue;
            }
            let params = &m["params"];
            if params["uri"].as_str() != Some(uri) {
                continue;
            }
            if params["version"].as_i64().is_some_and(|v| v < version) {
                continue;
            }
            let n = params["diagnostics"].as_array().map_or(0, Vec::len);
            return Ok((at.duration_since(start).as_secs_f64() * 1000.0, n));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
