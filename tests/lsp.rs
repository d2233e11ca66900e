//! `costlint lsp` driven over stdio like an editor would: the real binary,
//! real framing, a full session. Waits are bounded by generous timeouts so
//! a bug fails the test instead of hanging it; nothing here measures speed.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
    /// Answer to `workspace/configuration`.
    settings: Value,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start(cwd: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_costlint"))
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("COSTLINT_LSP_STDERR").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start costlint lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().expect("length");
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let msg: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
            settings: Value::Null,
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, msg: Value) {
        self.write_raw(&frame(&msg.to_string()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message from the server; its requests are answered.
    fn recv(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = match self.incoming.recv_timeout(left) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        };
        if let (Some(id), Some(method)) = (msg.get("id"), msg["method"].as_str()) {
            let result = match method {
                "workspace/configuration" => json!([self.settings.clone()]),
                _ => Value::Null,
            };
            let id = id.clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
        msg
    }

    /// The first message matching `pred`, from the backlog or the wire;
    /// others are kept for later.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).expect("index");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if Instant::now() >= deadline {
                panic!("timed out waiting for {what}");
            }
            let msg = self.recv(deadline);
            if pred(&msg) {
                return msg;
            }
            self.backlog.push_back(msg);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(&format!("the response to {method}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    /// The next diagnostics published for `uri` that satisfy `pred`;
    /// earlier ones for that file are dropped.
    fn diagnostics(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        loop {
            if let Some(i) = self.backlog.iter().position(is_for) {
                let m = self.backlog.remove(i).expect("index");
                if pred(m["params"]["diagnostics"].as_array().expect("array")) {
                    return m["params"].clone();
                }
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for diagnostics of {uri}"
            );
            let msg = self.recv(deadline);
            self.backlog.push_back(msg);
        }
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // Never leave a server running, whatever the test did.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let s = path.to_str().expect("utf-8 path");
    format!("file://{}", s.replace(' ', "%20"))
}

fn initialize(client: &mut Client, root: &Path, encodings: &[&str]) -> Value {
    let resp = client.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": uri(root),
            "workspaceFolders": [{"uri": uri(root), "name": "infra"}],
            "capabilities": {
                "general": {"positionEncodings": encodings},
                "workspace": {
                    "configuration": true,
                    "didChangeWatchedFiles": {"dynamicRegistration": true},
                },
                "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
            },
        }),
    );
    client.notify("initialized", json!({}));
    resp["result"].clone()
}

fn open(client: &mut Client, path: &Path, language: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": uri(path), "languageId": language, "version": 1, "text": text,
        }}),
    );
}

fn change_full(client: &mut Client, path: &Path, version: i32, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"text": text}],
        }),
    );
}

fn change_range(client: &mut Client, path: &Path, version: i32, range: &Value, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"range": range, "text": text}],
        }),
    );
}

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The only edit of a single-file code action.
fn only_edit(action: &Value, file: &str) -> Value {
    let edits = action["edit"]["changes"][file]
        .as_array()
        .unwrap_or_else(|| panic!("edits for {file} in {action:#}"));
    assert_eq!(edits.len(), 1, "{action:#}");
    edits[0].clone()
}

fn action<'a>(actions: &'a Value, title_start: &str) -> &'a Value {
    actions
        .as_array()
        .expect("array")
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(title_start))
        })
        .unwrap_or_else(|| panic!("no action `{title_start}…` in {actions:#}"))
}

const MAIN_TF: &str = r#"resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = var.volume_type
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1a"
  size              = 20
  type = /* é😀 */ "gp2"
}
"#;

const VARIABLES_TF: &str = r#"variable "volume_type" {
  type    = string
  default = "gp3"
}
"#;

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: shop/api:1.4
";

/// Only the rules these tests are about, whatever rules are added later.
const CONFIG: &str = "select = [\"CL0\", \"CL104\", \"CL501\"]\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("costlint.toml"), CONFIG).expect("write");
    let tf = dir.path().join("infra");
    std::fs::create_dir_all(&tf).expect("mkdir");
    std::fs::write(tf.join("main.tf"), MAIN_TF).expect("write");
    std::fs::write(tf.join("variables.tf"), VARIABLES_TF).expect("write");
    std::fs::create_dir_all(dir.path().join("k8s")).expect("mkdir");
    std::fs::write(dir.path().join("k8s/deployment.yaml"), DEPLOYMENT).expect("write");
    dir
}

#[test]
fn a_full_editor_session() {
    let ws = workspace();
    let root = ws.path();
    let main = root.join("infra/main.tf");
    let vars = root.join("infra/variables.tf");
    let main_uri = uri(&main);
    let mut c = Client::start(root);

    // Initialize: UTF-16 positions (the default), incremental sync, hover
    // and quick fixes.
    let init = initialize(&mut c, root, &["utf-16"]);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(init["serverInfo"]["name"], "costlint");
    // The server watches configuration files and asks for settings.
    let reg = c.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = reg["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(watchers.contains("**/costlint.toml"), "{watchers}");
    c.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });

    // didOpen → diagnostics, positions in UTF-16 code units.
    open(&mut c, &main, "terraform", MAIN_TF);
    let d = c.diagnostics(&main_uri, |d| !d.is_empty());
    assert_eq!(d["version"], 1);
    assert_eq!(codes(&d), ["CL501"]);
    let diag = &d["diagnostics"][0];
    assert_eq!(diag["source"], "costlint");
    assert_eq!(diag["severity"], 2);
    assert!(
        diag["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/ebs-gp2-volume.md")
    );
    // The message states the fact (and, with a price, the cost).
    assert!(
        diag["message"]
            .as_str()
            .unwrap()
            .starts_with("`aws_ebs_volume.logs` uses EBS volume type `gp2`"),
        "{}",
        diag["message"]
    );
    // `  type = /* é😀 */ ` is 19 UTF-16 code units (😀 counts two).
    assert_eq!(
        diag["range"],
        json!({"start": {"line": 9, "character": 19}, "end": {"line": 9, "character": 24}})
    );
    let logs_range = diag["range"].clone();

    // Hover on the finding shows the rule's documentation.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 9, "character": 21}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert!(text.contains("**CL501** `ebs-gp2-volume`"), "{text}");
    assert!(text.contains("What it does"), "{text}");
    assert!(text.contains("use `gp3`"), "{text}");
    // Nothing to say away from findings.
    let none = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 1, "character": 3}}),
    );
    assert_eq!(none["result"], Value::Null);

    // Code actions: the rule's fix first, then suppressions.
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": main_uri},
            "range": logs_range,
            "context": {"diagnostics": [diag]},
        }),
    )["result"]
        .clone();
    let fix = action(&actions, "Change the volume type to `gp3`");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "CL501");
    let fix_edit = only_edit(fix, &main_uri);
    assert_eq!(fix_edit["newText"], "\"gp3\"");
    assert_eq!(fix_edit["range"], logs_range);
    let on_line = only_edit(action(&actions, "Suppress CL501 on this line"), &main_uri);
    assert_eq!(on_line["newText"], " # costlint:ignore CL501 -- reason");
    assert_eq!(
        on_line["range"]["start"],
        json!({"line": 9, "character": 24})
    );
    let on_block = only_edit(
        action(&actions, "Suppress CL501 for `aws_ebs_volume.logs`"),
        &main_uri,
    );
    assert_eq!(on_block["newText"], "# costlint:ignore CL501 -- reason\n");
    assert_eq!(
        on_block["range"]["start"],
        json!({"line": 6, "character": 0})
    );

    // The suppression, applied as the editor would, silences the finding.
    change_range(
        &mut c,
        &main,
        2,
        &on_line["range"],
        " # costlint:ignore CL501 -- reason",
    );
    let d = c.diagnostics(&main_uri, |d| d.is_empty());
    assert_eq!(d["version"], 2);
    // Undo it, then apply the quick fix instead: cleared as well.
    change_full(&mut c, &main, 3, MAIN_TF);
    c.diagnostics(&main_uri, |d| d.len() == 1);
    change_range(&mut c, &main, 4, &fix_edit["range"], "\"gp3\"");
    let d = c.diagnostics(&main_uri, |d| d.is_empty());
    assert_eq!(d["version"], 4);
    let fixed = MAIN_TF.replace("\"gp2\"", "\"gp3\"");

    // The module is linted as a whole: an unsaved edit in variables.tf
    // re-lints main.tf, with the origin as related information.
    open(&mut c, &vars, "terraform", VARIABLES_TF);
    change_full(&mut c, &vars, 2, &VARIABLES_TF.replace("gp3", "gp2"));
    let d = c.diagnostics(&main_uri, |d| d.len() == 1);
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`aws_ebs_volume.data` uses EBS volume type `gp2`")
    );
    let related = &d["diagnostics"][0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri(&vars));
    assert_eq!(related["message"], "`gp2` is set here");
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 2, "character": 12})
    );
    // Closing variables.tf discards the unsaved edit: the disk says gp3.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&vars)}}),
    );
    c.diagnostics(&main_uri, |d| d.is_empty());

    // didSave: the disk changed behind the buffer's back and main.tf was saved.
    std::fs::write(&vars, VARIABLES_TF.replace("gp3", "gp2")).expect("write");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": main_uri}}),
    );
    c.diagnostics(&main_uri, |d| d.len() == 1);
    std::fs::write(&vars, VARIABLES_TF).expect("write");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": main_uri}}),
    );
    c.diagnostics(&main_uri, |d| d.is_empty());

    // A syntax error is CL000 at its place.
    let broken = format!("{fixed}resource \"aws_instance\" \"x\" {{\n  ami = \n");
    change_full(&mut c, &main, 5, &broken);
    let d = c.diagnostics(&main_uri, |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL000"]);
    assert_eq!(d["diagnostics"][0]["severity"], 1);
    assert_eq!(d["version"], 5);
    change_full(&mut c, &main, 6, &fixed);
    c.diagnostics(&main_uri, |d| d.is_empty());

    // A burst of 200 edits: whatever is published in between, the last
    // diagnostics are for the last version.
    let mut text = fixed.clone();
    let mut version = 6;
    for i in 0..200 {
        version += 1;
        // Alternate a gp2 and a gp3 volume, with a syntax error now and then.
        let t = if i % 2 == 0 { "gp2" } else { "gp3" };
        let extra = if i % 7 == 0 { "oops {" } else { "" };
        text = format!(
            "{fixed}resource \"aws_ebs_volume\" \"burst\" {{\n  availability_zone = \"eu-west-1a\"\n  size = {i}\n  type = \"{t}\"\n}}\n{extra}"
        );
        change_full(&mut c, &main, version, &text);
    }
    assert!(text.contains("gp3") && !text.contains("oops"));
    let mut published = 0;
    let last = loop {
        let d = c.diagnostics(&main_uri, |_| true);
        published += 1;
        if d["version"] == version {
            break d;
        }
        let v = d["version"].as_i64().unwrap_or(0);
        assert!(
            v < i64::from(version),
            "published a version from the future"
        );
    };
    eprintln!("{published} publications for 200 edits");
    assert_eq!(codes(&last), Vec::<String>::new(), "{last:#}");
    // Nothing older is published after it: a round trip later, the newest
    // diagnostics for main.tf are still those of the last version.
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 0, "character": 0}}),
    );
    while let Some(i) = c.backlog.iter().position(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == main_uri
    }) {
        let m = c.backlog.remove(i).unwrap();
        assert_eq!(
            m["params"]["version"], version,
            "stale diagnostics after the burst"
        );
    }

    // Kubernetes YAML: findings, and a suppression for the object.
    let yaml = root.join("k8s/deployment.yaml");
    let yaml_uri = uri(&yaml);
    open(&mut c, &yaml, "yaml", DEPLOYMENT);
    let d = c.diagnostics(&yaml_uri, |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL104"]);
    let diag = d["diagnostics"][0].clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": yaml_uri},
            "range": diag["range"],
            "context": {"diagnostics": [diag], "only": ["quickfix"]},
        }),
    )["result"]
        .clone();
    let suppress = only_edit(
        action(&actions, "Suppress CL104 for `Deployment/"),
        &yaml_uri,
    );
    assert_eq!(suppress["newText"], "# costlint:ignore CL104 -- reason\n");
    assert_eq!(
        suppress["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // Only refactorings asked for: none offered.
    let none = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": yaml_uri},
            "range": diag["range"],
            "context": {"diagnostics": [], "only": ["refactor"]},
        }),
    );
    assert_eq!(none["result"], json!([]));
    change_range(
        &mut c,
        &yaml,
        2,
        &suppress["range"],
        "# costlint:ignore CL104 -- reason\n",
    );
    c.diagnostics(&yaml_uri, |d| d.is_empty());
    change_full(&mut c, &yaml, 3, DEPLOYMENT);
    c.diagnostics(&yaml_uri, |d| d.len() == 1);

    // Settings from the editor: ignore CL104.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"costlint": {"ignore": ["CL104"]}}}),
    );
    c.diagnostics(&yaml_uri, |d| d.is_empty());
    // Settings pulled with workspace/configuration when none are pushed.
    c.settings = json!({"ignore": []});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.diagnostics(&yaml_uri, |d| d.len() == 1);

    // costlint.toml changes are picked up from the file watcher.
    change_full(&mut c, &main, version + 1, MAIN_TF);
    c.diagnostics(&main_uri, |d| d.len() == 1);
    let config = root.join("costlint.toml");
    std::fs::write(&config, format!("{CONFIG}ignore = [\"CL501\"]\n")).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    c.diagnostics(&main_uri, |d| d.is_empty());
    // A broken configuration is shown on the file itself.
    std::fs::write(&config, format!("{CONFIG}bogus = 1\n")).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let d = c.diagnostics(&uri(&config), |d| !d.is_empty());
    assert_eq!(
        d["diagnostics"][0]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bogus")
    );
    c.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    // Fixed: the problem goes, the findings come back.
    std::fs::write(&config, CONFIG).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    c.diagnostics(&uri(&config), |d| d.is_empty());
    c.diagnostics(&main_uri, |d| d.len() == 1);
    // Broken, then deleted: the problem goes with the file.
    std::fs::write(&config, "bogus = 1\n").expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    c.diagnostics(&uri(&config), |d| !d.is_empty());
    std::fs::remove_file(&config).expect("remove");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 3}]}),
    );
    c.diagnostics(&uri(&config), |d| d.is_empty());
    std::fs::write(&config, CONFIG).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 1}]}),
    );
    c.diagnostics(&main_uri, |d| d.len() == 1);

    // Robustness: none of this takes the server down.
    c.write_raw(&frame("{this is not json"));
    c.write_raw(b"garbage without a header\r\n");
    let resp = c.request("costlint/unknown", json!({}));
    assert_eq!(resp["error"]["code"], -32601);
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&root.join("nowhere.tf"))}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(resp["result"], Value::Null);
    let resp = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&root.join("nowhere.tf"))}, "range": logs_range, "context": {"diagnostics": []}}),
    );
    assert_eq!(resp["result"], json!([]));
    let resp = c.request("textDocument/hover", json!({"position": "nope"}));
    assert_eq!(resp["error"]["code"], -32602);
    c.send(json!({"jsonrpc": "2.0", "id": 999, "method": 42}));
    let resp = c.wait_for("the answer to a bad request", |m| m["id"] == 999);
    assert_eq!(resp["error"]["code"], -32600);
    change_full(&mut c, &root.join("never-opened.tf"), 1, "x = 1");
    c.notify("$/cancelRequest", json!({"id": 1}));
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "terraform", "version": 1, "text": "x"}}));
    // Still serving.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 9, "character": 21}}),
    );
    assert!(hover["result"]["contents"]["value"].as_str().is_some());

    // shutdown, then exit: code 0.
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    let resp = c.request("textDocument/hover", json!({}));
    assert_eq!(resp["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let ws = workspace();
    let root = ws.path();
    let main = root.join("infra/main.tf");
    let mut c = Client::start(root);
    let init = initialize(&mut c, root, &["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    open(&mut c, &main, "terraform", MAIN_TF);
    let d = c.diagnostics(&uri(&main), |d| !d.is_empty());
    // `  type = /* é😀 */ ` is 22 bytes.
    assert_eq!(
        d["diagnostics"][0]["range"],
        json!({"start": {"line": 9, "character": 22}, "end": {"line": 9, "character": 27}})
    );
    // Incremental edits are read in bytes too.
    let range = d["diagnostics"][0]["range"].clone();
    change_range(&mut c, &main, 2, &range, "\"gp3\"");
    c.diagnostics(&uri(&main), |d| d.is_empty());
}

/// The server keeps the blocks it parsed and re-parses only those an edit
/// touched: a block kept from an earlier lint moves with the text around
/// it, and a syntax error in another block is still reported where it is.
#[test]
fn blocks_kept_between_edits_move_with_the_text() {
    let ws = workspace();
    let root = ws.path();
    let main = root.join("infra/main.tf");
    let main_uri = uri(&main);
    let mut c = Client::start(root);
    initialize(&mut c, root, &["utf-16"]);
    let at = |line: u32| json!({"start": {"line": line, "character": 19}, "end": {"line": line, "character": 24}});
    open(&mut c, &main, "terraform", MAIN_TF);
    let d = c.diagnostics(&main_uri, |d| !d.is_empty());
    assert_eq!(d["diagnostics"][0]["range"], at(9));

    // Two lines more in the first block: the second, unchanged, moves.
    let longer = MAIN_TF.replace(
        "  size              = 100\n",
        "  size              = 100\n  # a comment\n  iops = 3000\n",
    );
    change_full(&mut c, &main, 2, &longer);
    let d = c.diagnostics(&main_uri, |d| d.len() == 1 && d[0]["range"] != at(9));
    assert_eq!(codes(&d), ["CL501"]);
    assert_eq!(d["diagnostics"][0]["range"], at(11));

    // A syntax error in the first block, the second one still kept.
    let broken = longer.replace("iops = 3000", "iops = ");
    change_full(&mut c, &main, 3, &broken);
    let d = c.diagnostics(&main_uri, |d| d.iter().any(|x| x["code"] == "CL000"));
    assert_eq!(codes(&d), ["CL000"]);
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 4);

    // The same attribute twice at the top level, each in its own block of
    // lines, is an error of the whole file.
    let twice = format!("{MAIN_TF}x = 1\n\nx = 2\n");
    change_full(&mut c, &main, 4, &twice);
    let d = c.diagnostics(&main_uri, |d| d.iter().any(|x| x["code"] == "CL000"));
    assert_eq!(d["version"], 4);

    // Back to the start: the finding is where it was.
    change_full(&mut c, &main, 5, MAIN_TF);
    let d = c.diagnostics(&main_uri, |d| d.len() == 1 && d[0]["code"] == "CL501");
    assert_eq!(d["diagnostics"][0]["range"], at(9));
    assert_eq!(d["version"], 5);
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let ws = workspace();
    let mut c = Client::start(ws.path());
    initialize(&mut c, ws.path(), &[]);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
}

#[test]
fn a_client_that_disappears_ends_the_server() {
    let ws = workspace();
    let mut c = Client::start(ws.path());
    initialize(&mut c, ws.path(), &[]);
    open(
        &mut c,
        &ws.path().join("infra/main.tf"),
        "terraform",
        MAIN_TF,
    );
    // The editor crashes: its end of the pipe closes mid-session.
    c.stdin = None;
    assert_eq!(c.wait_exit().code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let ws = workspace();
    let mut c = Client::start(ws.path());
    let resp = c.request("textDocument/hover", json!({}));
    assert_eq!(resp["error"]["code"], -32002);
    initialize(&mut c, ws.path(), &[]);
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn a_manifest_next_to_terraform_files_is_checked_on_its_own() {
    let ws = workspace();
    let root = ws.path();
    let main = root.join("infra/main.tf");
    let yaml = root.join("infra/deployment.yaml");
    let mut c = Client::start(root);
    initialize(&mut c, root, &[]);
    open(&mut c, &main, "terraform", MAIN_TF);
    c.diagnostics(&uri(&main), |d| d.len() == 1);
    open(&mut c, &yaml, "yaml", DEPLOYMENT);
    let d = c.diagnostics(&uri(&yaml), |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL104"]);
    // Editing the manifest does not re-check the module, and the other way round.
    change_full(&mut c, &yaml, 2, "");
    c.diagnostics(&uri(&yaml), |d| d.is_empty());
    change_full(&mut c, &main, 2, &MAIN_TF.replace("\"gp2\"", "\"gp3\""));
    c.diagnostics(&uri(&main), |d| d.is_empty());
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

/// A manifest is judged with the Namespace beside it, from disk and then
/// from the open buffer, as `costlint check FILE` judges it: the
/// Namespace's label decides the environment, and so the replica cap.
#[test]
fn a_manifest_is_judged_with_the_namespace_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let config = "select = [\"CL0\", \"CL106\", \"CL201\", \"CL403\"]\n\n[rules.missing-cost-tags]\nrequired-keys = [\"owner\"]\n";
    std::fs::write(root.join("costlint.toml"), config).expect("write");
    std::fs::create_dir_all(root.join("app")).expect("mkdir");
    // And a Job that stays after it finishes: a finding in this file.
    let prod = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels:\n    owner: shop\n    environment: prod\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  namespace: web\n  labels:\n    owner: shop\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: shop/api:1.4\n";
    let dev = prod.replace("prod", "dev");
    let namespace = root.join("app/namespace.yaml");
    std::fs::write(&namespace, prod).expect("write");
    let deployment = root.join("app/deployment.yaml");
    let text = DEPLOYMENT
        .replace("  name: api\n", "  name: api\n  namespace: web\n")
        .replace("spec:\n  template:", "spec:\n  replicas: 40\n  template:");
    let mut c = Client::start(root);
    initialize(&mut c, root, &[]);
    open(&mut c, &deployment, "yaml", &text);
    c.diagnostics(&uri(&deployment), |d| d.is_empty());
    // The Namespace becomes a development one in the editor, not on disk.
    open(&mut c, &namespace, "yaml", prod);
    let d = c.diagnostics(&uri(&namespace), |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL403"]);
    change_full(&mut c, &namespace, 2, &dev);
    let d = c.diagnostics(&uri(&deployment), |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL106"]);
    change_full(&mut c, &namespace, 3, prod);
    c.diagnostics(&uri(&deployment), |d| d.is_empty());
    // Without its owner the Namespace has a finding of its own, in its
    // own file only; closed unsaved, the one on disk counts again and the
    // closed file's findings are withdrawn.
    change_full(
        &mut c,
        &namespace,
        4,
        &dev.replacen("    owner: shop\n", "", 1),
    );
    let d = c.diagnostics(&uri(&namespace), |d| d.len() == 2);
    assert_eq!(codes(&d), ["CL201", "CL403"]);
    let d = c.diagnostics(&uri(&deployment), |d| d.len() == 2);
    assert_eq!(codes(&d), ["CL201", "CL106"]);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&namespace)}}),
    );
    c.diagnostics(&uri(&namespace), |d| d.is_empty());
    c.diagnostics(&uri(&deployment), |d| d.is_empty());
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

/// The server answers a request after whatever came before: it is alive.
fn still_answers(c: &mut Client) {
    let resp = c.request("costlint/ping", json!({}));
    assert_eq!(resp["error"]["code"], -32601, "{resp}");
}

#[test]
fn malformed_messages_and_wrong_content_lengths() {
    let ws = workspace();
    let mut c = Client::start(ws.path());
    initialize(&mut c, ws.path(), &[]);
    // Not JSON; JSON that is not JSON-RPC; a request with a bad method.
    c.write_raw(&frame("{this is not json"));
    c.write_raw(&frame("[1, 2, 3]"));
    c.write_raw(&frame(r#"{"jsonrpc":"2.0","id":41,"method":7}"#));
    let resp = c.wait_for("the error for id 41", |m| m["id"] == 41);
    assert_eq!(resp["error"]["code"], -32600, "{resp}");
    still_answers(&mut c);
    // A length shorter than the body: the rest is garbage until the next
    // header.
    let body = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string();
    c.write_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    still_answers(&mut c);
    // Longer than the body: the next message is swallowed into it, and the
    // one after is read again.
    c.write_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 30).as_bytes());
    c.write_raw(&frame(
        &json!({"jsonrpc": "2.0", "method": "sacrificed"}).to_string(),
    ));
    still_answers(&mut c);
    // Absurd or unreadable lengths.
    c.write_raw(b"Content-Length: 99999999999999\r\n\r\n{}");
    c.write_raw(b"Content-Length: -5\r\n\r\n");
    c.write_raw(b"Content-Length: \xff\xfe\r\n\r\n");
    c.write_raw(b"\r\n\r\nno header at all\r\n");
    still_answers(&mut c);
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn unknown_methods_and_documents_never_opened() {
    let ws = workspace();
    let root = ws.path();
    let main = root.join("infra/main.tf");
    let never = root.join("infra/never.tf");
    let mut c = Client::start(root);
    initialize(&mut c, root, &[]);
    let resp = c.request("workspace/executeCommand", json!({"command": "x"}));
    assert_eq!(resp["error"]["code"], -32601);
    c.notify("costlint/whatever", json!({"a": 1}));
    c.notify("$/cancelRequest", json!({"id": 1}));
    // Notifications and requests for a document the client never opened.
    let never_uri = uri(&never);
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": never_uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}],
        }),
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": never_uri}}),
    );
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "terraform", "version": 1, "text": "x"}}),
    );
    c.notify("textDocument/didChange", json!({"bad": "params"}));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": never_uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover["result"], Value::Null);
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": never_uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    assert_eq!(actions["result"], json!([]));
    let bad = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    // The server still works for a document that is opened.
    open(&mut c, &main, "terraform", MAIN_TF);
    let d = c.diagnostics(&uri(&main), |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL501"]);
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn a_twenty_megabyte_document() {
    let ws = workspace();
    let root = ws.path();
    let big = root.join("infra/big.tf");
    let mut c = Client::start(root);
    initialize(&mut c, root, &[]);
    let line = "# padding padding padding padding padding padding padding padding\n";
    let text = line.repeat(20 * 1024 * 1024 / line.len() + 1);
    assert!(text.len() > 20 * 1024 * 1024);
    open(&mut c, &big, "terraform", &text);
    // Over limits.max-file-size: a note, not a stall.
    let d = c.diagnostics(&uri(&big), |d| !d.is_empty());
    assert_eq!(codes(&d), ["CL003"]);
    let message = d["diagnostics"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("larger than the limit"), "{message}");
    // Edited at its end, by range: still answered.
    let last = text.lines().count();
    change_range(
        &mut c,
        &big,
        2,
        &json!({"start": {"line": last, "character": 0}, "end": {"line": last, "character": 0}}),
        "resource \"aws_ebs_volume\" \"v\" {\n  type = \"gp2\"\n}\n",
    );
    c.diagnostics(&uri(&big), |d| !d.is_empty());
    still_answers(&mut c);
    // Cut down to a normal size, it is checked.
    change_full(
        &mut c,
        &big,
        3,
        "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n",
    );
    let d = c.diagnostics(&uri(&big), |d| {
        codes(&json!({"diagnostics": d})).contains(&"CL501".to_owned())
    });
    assert!(codes(&d).contains(&"CL501".to_owned()));
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn a_client_that_closes_its_pipe_without_shutdown_or_exit() {
    // Before initialize: the server exits too, with 1.
    let ws = workspace();
    let mut c = Client::start(ws.path());
    c.stdin = None;
    assert_eq!(c.wait_exit().code(), Some(1));
    // Mid-message.
    let mut c = Client::start(ws.path());
    initialize(&mut c, ws.path(), &[]);
    c.write_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":");
    c.stdin = None;
    assert_eq!(c.wait_exit().code(), Some(1));
    // After shutdown but before exit: 0, the shutdown was asked for.
    let mut c = Client::start(ws.path());
    initialize(&mut c, ws.path(), &[]);
    let resp = c.request("shutdown", Value::Null);
    assert_eq!(resp["result"], Value::Null);
    c.stdin = None;
    assert_eq!(c.wait_exit().code(), Some(0));
}

/// The same faults through the in-memory session the fuzzer drives.
#[test]
fn in_memory_sessions_survive_garbage() {
    use std::sync::Arc;
    let fs = Arc::new(costlint::source::fs::MemoryFs::new());
    let init =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
            .to_string();
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///mem/main.tf", "languageId": "terraform", "version": 1,
        "text": "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n",
    }}}).to_string();
    let mut input = [frame(&init), frame(&open)].concat();
    input.extend_from_slice(b"Content-Length: 5\r\n\r\n\xff\xfe\x00{}Content-Length: x\r\n\r\n");
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}).to_string(),
    ));
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "method": "exit"}).to_string(),
    ));
    let (code, out) = costlint::lsp::session(&input, fs.clone());
    assert_eq!(code, 0);
    let out = String::from_utf8(out).expect("utf-8");
    assert!(out.contains("\"code\":\"CL501\""), "{out}");
    // Exit without shutdown, and input that just ends.
    let (code, _) = costlint::lsp::session(
        &[
            frame(&init),
            frame(&json!({"jsonrpc": "2.0", "method": "exit"}).to_string()),
        ]
        .concat(),
        fs.clone(),
    );
    assert_eq!(code, 1);
    let (code, _) = costlint::lsp::session(b"\x00\x01garbage", fs);
    assert_eq!(code, 1);
}
