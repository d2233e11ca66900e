//! Which files a run checks, which configuration applies, and how module
//! directories are judged.

mod support;

use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

const GP2: &str = "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n";

/// "CODE path" for every finding of `costlint check ARGS` run in `dir`.
fn found(dir: &Path, args: &[&str]) -> Vec<String> {
    // The tool's own findings and one rule: what these tests are about.
    let mut all = vec!["check", "--format", "json", "--select", "CL0,CL501"];
    all.extend_from_slice(args);
    let out = support::bin()
        .current_dir(dir)
        .args(&all)
        .output()
        .expect("run");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
    codes_and_paths(&out.stdout)
}

/// `CODE path` of every finding in a JSON report.
fn codes_and_paths(json: &[u8]) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(json).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn ignore_files_hidden_and_terraform_dirs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "a/main.tf", GP2);
    write(root, "ignored_by_git/main.tf", GP2);
    write(root, "ignored_by_costlint/main.tf", GP2);
    write(root, ".hidden/main.tf", GP2);
    write(root, "a/.terraform/modules/x/main.tf", GP2);
    write(root, ".terraform/main.tf", GP2);
    // .gitignore works without a git repository.
    write(root, ".gitignore", "ignored_by_git/\n");
    write(root, ".costlintignore", "ignored_by_costlint/\n");
    assert_eq!(found(root, &[]), ["CL501 a/main.tf"]);
    // An explicit file is checked even when git ignores it.
    assert_eq!(
        found(root, &["ignored_by_git/main.tf"]),
        ["CL501 ignored_by_git/main.tf"]
    );
}

#[test]
fn config_include_exclude_and_per_path_ignores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "live/main.tf", GP2);
    write(root, "legacy/main.tf", GP2);
    write(root, "sandbox/main.tf", GP2);
    write(
        root,
        "costlint.toml",
        "exclude = [\"legacy\"]\n\n[per-path-ignores]\n\"sandbox/**\" = [\"ebs-gp2-volume\"]\n",
    );
    assert_eq!(found(root, &[]), ["CL501 live/main.tf"]);
    // The configuration is found walking up from the checked path.
    let live = root.join("live");
    assert_eq!(found(&live, &["."]), ["CL501 main.tf"]);
    assert_eq!(found(&live, &["../sandbox"]), Vec::<String>::new());
}

#[test]
fn a_called_module_is_judged_through_its_caller_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "env/main.tf",
        "module \"disk\" {\n  source = \"../modules/disk\"\n  type   = \"gp3\"\n}\n",
    );
    // With its own default, the module alone would be a finding.
    write(
        root,
        "modules/disk/main.tf",
        "variable \"type\" {\n  default = \"gp2\"\n}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.type\n}\n",
    );
    assert!(found(root, &[]).is_empty(), "{:?}", found(root, &[]));
    // Checked on its own, nothing calls it: its defaults apply.
    assert_eq!(found(root, &["modules"]), ["CL501 modules/disk/main.tf"]);
    // Given one file, its whole module is judged.
    write(
        root,
        "solo/variables.tf",
        "variable \"t\" {\n  default = \"gp2\"\n}\n",
    );
    write(
        root,
        "solo/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.t\n}\n",
    );
    assert_eq!(found(root, &["solo/variables.tf"]), ["CL501 solo/main.tf"]);
}

#[test]
fn module_problems_are_findings_not_hangs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).expect("a repository root");
    write(
        root,
        "a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    write(
        root,
        "b/main.tf",
        "module \"a\" {\n  source = \"../a\"\n}\n",
    );
    write(
        root,
        "self/main.tf",
        "module \"me\" {\n  source = \"./\"\n}\n",
    );
    write(
        root,
        "missing/main.tf",
        "module \"gone\" {\n  source = \"./nowhere\"\n}\n",
    );
    write(
        root,
        "outside/main.tf",
        "module \"far\" {\n  source = \"../../elsewhere\"\n}\n",
    );
    let got = found(root, &[]);
    assert!(
        got.iter()
            .any(|f| f == "CL004 a/main.tf" || f == "CL004 b/main.tf"),
        "{got:?}"
    );
    assert!(got.contains(&"CL004 self/main.tf".to_owned()), "{got:?}");
    assert!(got.contains(&"CL004 missing/main.tf".to_owned()), "{got:?}");
    assert!(got.contains(&"CL003 outside/main.tf".to_owned()), "{got:?}");
}

#[test]
fn locals_cycles_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = local.a\n}\n",
    );
    assert_eq!(found(dir.path(), &[]), ["CL004 main.tf"]);
}

#[test]
fn workspace_is_unknown_unless_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = terraform.workspace == \"legacy\" ? \"gp2\" : \"gp3\"\n}\n",
    );
    assert!(found(dir.path(), &[]).is_empty());
    assert_eq!(
        found(dir.path(), &["--workspace", "legacy"]),
        ["CL501 main.tf"]
    );
    assert!(found(dir.path(), &["--workspace", "prod"]).is_empty());
}

/// `found`, bounded in time and memory, with the exit code checked.
fn found_bounded(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json", "--select", "CL0,CL501"];
    all.extend_from_slice(args);
    let out = support::run_bounded(dir, &all, std::time::Duration::from_secs(60));
    let err = support::stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
    codes_and_paths(&out.stdout)
}

#[cfg(unix)]
#[test]
fn symlink_loops_dangling_links_fifos_and_sockets_are_passed_over() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "good/main.tf", GP2);
    // A directory link back up, a link to itself, a link to nothing.
    symlink("..", root.join("good/up")).expect("symlink");
    symlink("self.tf", root.join("good/self.tf")).expect("symlink");
    symlink("nowhere.tf", root.join("good/dangling.tf")).expect("symlink");
    std::fs::create_dir_all(root.join("loop")).expect("mkdir");
    symlink(root.join("loop"), root.join("loop/again")).expect("symlink");
    // Opening a FIFO for reading would block until a writer comes.
    let fifo = root.join("good/pipe.tf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let _socket =
        std::os::unix::net::UnixListener::bind(root.join("good/socket.yaml")).expect("socket");
    assert_eq!(found_bounded(root, &[]), ["CL501 good/main.tf"]);
    // Given explicitly, the same: nothing to read, nothing blocks.
    assert_eq!(
        found_bounded(root, &["good/pipe.tf", "good/main.tf"]),
        ["CL501 good/main.tf"]
    );
    // A link given explicitly is followed, and named as given.
    assert_eq!(
        found_bounded(root, &["good/up/good"]),
        ["CL501 good/up/good/main.tf"]
    );
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", GP2);
    let out = support::bin()
        .current_dir(dir.path())
        .args(["check", "main.tf", "gone.tf"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        support::stderr(&out).trim(),
        "costlint: error: gone.tf: no such file or directory"
    );
}

#[cfg(unix)]
#[test]
fn very_long_paths_and_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "main.tf", GP2);
    // 255 bytes is the longest name; 30 levels of 200 bytes are past
    // PATH_MAX (4096), made one level at a time.
    let name = format!("{}.tf", "n".repeat(252));
    write(root, &format!("long/{name}"), GP2);
    let level = "d".repeat(200);
    let script = format!(
        "set -e; mkdir deep; cd -P deep; for i in $(seq 30); do mkdir {level}; cd -P {level}; done; printf '%s' '{GP2}' > main.tf"
    );
    let made = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(root)
        .status()
        .expect("sh");
    assert!(made.success());
    let got = found_bounded(root, &[]);
    assert!(got.contains(&"CL501 main.tf".to_owned()), "{got:?}");
    assert!(got.contains(&format!("CL501 long/{name}")), "{got:?}");
    // The deep directory is past what the system opens: the walk warns
    // about it on stderr and goes on; whatever is reported is well formed.
    let deep: Vec<&String> = got.iter().filter(|f| f.contains(" deep/")).collect();
    assert!(
        deep.iter()
            .all(|f| f.starts_with("CL501 ") || f.starts_with("CL003 ")),
        "{deep:?}"
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
    std::fs::write(root.join(name), GP2).expect("write");
    let yaml = std::ffi::OsStr::from_bytes(b"pod\xff.yaml");
    std::fs::write(
        root.join(yaml),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n",
    )
    .expect("write");
    let out = support::run_bounded(
        root,
        &["check", "--format", "json", "--select", "CL0,CL104,CL501"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(got, ["CL501 caf\u{fffd}.tf", "CL104 pod\u{fffd}.yaml"]);
}

/// The disk, except that some files vanish between discovery and reading.
struct Vanishing {
    gone: Vec<std::path::PathBuf>,
}

impl costlint::source::fs::FileSystem for Vanishing {
    fn read(&self, path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
        if self.gone.iter().any(|g| g == path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "No such file or directory (os error 2)",
            ));
        }
        costlint::source::fs::RealFs.read(path, max)
    }

    fn files_in(&self, dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
        costlint::source::fs::RealFs.files_in(dir)
    }

    fn is_dir(&self, path: &Path) -> bool {
        costlint::source::fs::RealFs.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        costlint::source::fs::RealFs.is_file(path)
    }
}

#[test]
fn a_file_removed_between_discovery_and_reading_is_a_note() {
    use costlint::check::{CheckOptions, check};
    use costlint::config::Settings;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "app/main.tf", GP2);
    write(root, "app/gone.tf", GP2);
    write(root, "k8s/gone.yaml", "apiVersion: v1\nkind: Pod\n");
    write(root, "vars/gone.tfvars", "a = 1\n");
    let files = vec![
        root.join("app/gone.tf"),
        root.join("app/main.tf"),
        root.join("k8s/gone.yaml"),
        root.join("vars/gone.tfvars"),
    ];
    let fs = Vanishing {
        gone: vec![
            root.join("app/gone.tf"),
            root.join("k8s/gone.yaml"),
            root.join("vars/gone.tfvars"),
        ],
    };
    let opts = CheckOptions {
        cwd: root.to_path_buf(),
        ..CheckOptions::default()
    };
    let report = check(&files, &Settings::new(root), &fs, &opts);
    let got: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code != "CL201")
        .map(|f| format!("{} {}: {}", f.code, f.path, f.message))
        .collect();
    assert_eq!(
        got,
        [
            "CL003 app/gone.tf: not checked: No such file or directory (os error 2)",
            "CL501 app/main.tf: `aws_ebs_volume.v` uses EBS volume type `gp2`",
            "CL003 k8s/gone.yaml: not checked: No such file or directory (os error 2)",
            "CL003 vars/gone.tfvars: not checked: No such file or directory (os error 2)",
        ]
    );
}

/// A module called by several roots is parsed once per run and shared;
/// what each root finds through it is what it finds checked alone.
#[test]
fn a_module_shared_by_roots_is_judged_for_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "modules/disk/main.tf",
        "variable \"type\" {}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.type\n}\n\nmodule \"inner\" {\n  source = \"../inner\"\n  type   = var.type\n}\n",
    );
    write(
        root,
        "modules/inner/main.tf",
        "variable \"type\" {}\n\nresource \"aws_ebs_volume\" \"inner\" {\n  availability_zone = \"eu-west-1b\"\n  type = var.type\n}\n",
    );
    write(
        root,
        "modules/broken/main.tf",
        "resource \"aws_ebs_volume\" {\n",
    );
    for (env, ty) in [("a", "gp2"), ("b", "gp3"), ("c", "io1")] {
        write(
            root,
            &format!("env-{env}/main.tf"),
            &format!(
                "module \"disk\" {{\n  source = \"../modules/disk\"\n  type   = \"{ty}\"\n}}\n\nmodule \"broken\" {{\n  source = \"../modules/broken\"\n}}\n"
            ),
        );
    }
    let detailed = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let out = support::bin()
            .current_dir(root)
            .args(&all)
            .output()
            .expect("run");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {}:{} {} {}",
                    f["code"].as_str().unwrap_or(""),
                    f["path"].as_str().unwrap_or(""),
                    f["start"]["line"],
                    f["message"].as_str().unwrap_or(""),
                    f["related"]
                )
            })
            .collect()
    };
    let together = detailed(&[]);
    let mut alone: Vec<String> = ["env-a", "env-b", "env-c"]
        .iter()
        .flat_map(|env| detailed(&[env]))
        .collect();
    alone.sort();
    alone.dedup();
    // Every finding of the shared run is one a root finds alone, call
    // site included ...
    for f in &together {
        assert!(alone.contains(f), "{f}\nnot in\n{alone:#?}");
    }
    // ... and a finding several roots share (same place, same message) is
    // reported once, at one of its call sites.
    let fact = |f: &String| f.split(" [").next().unwrap_or(f).to_owned();
    let mut facts: Vec<String> = alone.iter().map(fact).collect();
    facts.dedup();
    let mut together_facts: Vec<String> = together.iter().map(fact).collect();
    together_facts.sort();
    assert_eq!(together_facts, facts);
    assert!(
        together
            .iter()
            .any(|f| f.starts_with("CL000 modules/broken/main.tf"))
    );
    assert!(
        together
            .iter()
            .any(|f| f.starts_with("CL501 modules/inner/main.tf"))
    );
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
  namespace: NS
spec:
  replicas: 40
  selector: {matchLabels: {app: NAME}}
  template:
    metadata: {labels: {app: NAME}}
    spec:
      containers:
        - name: app
          image: nginx
";

fn deployment(name: &str, namespace: &str) -> String {
    DEPLOYMENT.replace("NAME", name).replace("NS", namespace)
}

/// What pre-commit does: the changed manifest alone on the command line.
/// Its Namespace (with a downscaler annotation) and its autoscaler are in
/// files beside it, which a run of the directory reads; so does a run of
/// the file alone, without checking those files themselves.
#[test]
fn a_manifest_named_alone_is_judged_with_the_namespaces_and_autoscalers_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "k8s/namespace.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n  annotations:\n    downscaler/uptime: Mon-Fri 08:00-19:00 UTC\n",
    );
    write(
        root,
        "k8s/hpa.yaml",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  namespace: dev\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n",
    );
    write(root, "k8s/deployment.yaml", &deployment("web", "dev"));
    // Beside it but not context: a neighbour's own findings, and a
    // Namespace in a file the ignore file leaves out.
    write(root, "k8s/worker.yaml", &deployment("worker", "dev"));
    write(root, "k8s/qa.yaml", &deployment("api", "qa"));
    write(
        root,
        "k8s/ignored.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: qa\n  annotations:\n    downscaler/uptime: Mon-Fri 08:00-19:00 UTC\n",
    );
    write(root, ".costlintignore", "ignored.yaml\n");
    // Not beside it: a Namespace in a subdirectory, outside the run of
    // the directory too.
    write(
        root,
        "k8s/sub/namespace.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: qa\n  annotations:\n    downscaler/uptime: Mon-Fri 08:00-19:00 UTC\n",
    );
    let rules = ["--extend-select", "CL104,CL106,CL603"];
    write(root, "k8s/.costlintignore", "sub/\n");
    let whole = found(root, &[&rules[..], &["k8s"]].concat());
    assert_eq!(
        whole,
        [
            "CL104 k8s/deployment.yaml",
            "CL603 k8s/qa.yaml",
            "CL106 k8s/qa.yaml",
            "CL104 k8s/qa.yaml",
            "CL106 k8s/worker.yaml",
            "CL104 k8s/worker.yaml",
        ]
    );
    let file_of = |path: &str| -> Vec<String> {
        whole
            .iter()
            .filter(|f| f.ends_with(path))
            .cloned()
            .collect()
    };
    for file in ["k8s/deployment.yaml", "k8s/qa.yaml", "k8s/worker.yaml"] {
        assert_eq!(found(root, &[&rules[..], &[file]].concat()), file_of(file));
    }
    // From inside the directory, and two files at once.
    assert_eq!(
        found(
            &root.join("k8s"),
            &[&rules[..], &["deployment.yaml"]].concat()
        ),
        ["CL104 deployment.yaml"]
    );
    assert_eq!(
        found(
            root,
            &[&rules[..], &["k8s/qa.yaml", "k8s/deployment.yaml"]].concat()
        ),
        [
            "CL104 k8s/deployment.yaml",
            "CL603 k8s/qa.yaml",
            "CL106 k8s/qa.yaml",
            "CL104 k8s/qa.yaml"
        ]
    );
}

/// Kustomize patches are partial objects: without their base they lack
/// the labels and resources the base gives them, so they are noted, not
/// judged, whether the run holds their kustomization or it sits beside
/// the one file checked. A resource of the overlay is still checked.
#[test]
fn kustomize_patches_are_noted_not_judged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "base/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n",
    );
    write(root, "base/deployment.yaml", &deployment("web", "shop"));
    write(
        root,
        "overlays/prod/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base, job.yaml]\npatches:\n  - path: args.yaml\npatchesStrategicMerge:\n  - ../common/memory.yml\n",
    );
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          args: [--verbose]\n";
    write(root, "overlays/prod/args.yaml", patch);
    write(root, "overlays/common/memory.yml", patch);
    write(root, "overlays/prod/job.yaml", &deployment("job", "shop"));
    let rules = ["--extend-select", "CL003,CL104"];
    assert_eq!(
        found(root, &rules),
        [
            "CL104 base/deployment.yaml",
            "CL003 overlays/common/memory.yml",
            "CL003 overlays/prod/args.yaml",
            "CL104 overlays/prod/job.yaml",
        ]
    );
    assert_eq!(
        found(root, &[&rules[..], &["overlays/prod/args.yaml"]].concat()),
        ["CL003 overlays/prod/args.yaml"]
    );
}

/// Terraform merges `override.tf` and `*_override.tf` into the blocks of
/// the same name: not duplicates. A local is replaced; a resource an
/// override changes is noted and not judged on half its arguments.
#[test]
fn override_files_are_not_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let volume = |name: &str, ty: &str| {
        format!(
            "resource \"aws_ebs_volume\" \"{name}\" {{\n  availability_zone = \"eu-west-1a\"\n  type = {ty}\n}}\n"
        )
    };
    write(
        root,
        "live/main.tf",
        &[
            volume("kept", "\"gp2\""),
            volume("changed", "\"gp2\""),
            volume("local", "local.type"),
            "locals {\n  type = \"gp2\"\n}\n".to_owned(),
        ]
        .concat(),
    );
    write(root, "live/override.tf", &volume("changed", "\"gp3\""));
    write(
        root,
        "live/types_override.tf.json",
        "{\"locals\": {\"type\": \"gp3\"}}\n",
    );
    let rules = ["--extend-select", "CL003,CL004"];
    assert_eq!(
        found(root, &rules),
        ["CL501 live/main.tf", "CL003 live/override.tf"]
    );
}

/// A file named on the command line that costlint does not read is said
/// to be passed over, not silently counted as clean.
#[test]
fn a_named_file_costlint_does_not_read_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "deploy.json", "{\"kind\": \"Deployment\"}\n");
    let out = support::bin()
        .current_dir(dir.path())
        .args(["check", "deploy.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        support::stderr(&out).contains("warning: deploy.json: not checked: costlint reads *.tf"),
        "{}",
        support::stderr(&out)
    );
}
