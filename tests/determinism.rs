//! The same tree gives byte-identical reports in every format, whatever
//! the thread count and however often it is checked.

mod support;

use std::path::Path;
use std::time::Duration;

const FORMATS: [&str; 5] = ["text", "json", "sarif", "github", "markdown"];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Several copies of the examples (modules calling modules, tfvars,
/// provider tags, every rule), many generated manifests with namespaces
/// declared in other files, suppressions, broken files and a chart.
fn tree(root: &Path) {
    let examples = support::root().join("examples");
    for i in 0..6 {
        copy_dir(&examples.join("terraform"), &root.join(format!("stack{i}")));
        copy_dir(&examples.join("kubernetes"), &root.join(format!("k8s{i}")));
    }
    std::fs::copy(examples.join("costlint.toml"), root.join("costlint.toml")).expect("copy");
    for i in 0..120 {
        let ns = format!("team-{}", i % 7);
        let env = ["prod", "dev", "preview-42"][i % 3];
        write(
            root,
            &format!("apps/app{i}.yaml"),
            &format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: {ns}\n  labels: {{environment: {env}}}\nspec:\n  replicas: {}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          resources:\n            requests: {{cpu: \"{}\", memory: {}Gi}}\n---\n# costlint:ignore CL201 -- generated\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job{i}\n  namespace: {ns}\nspec:\n  template:\n    spec:\n      containers: [{{name: j, image: busybox}}]\n",
                1 + i % 5,
                (i % 16) + 1,
                (i % 64) + 1
            ),
        );
    }
    for i in 0..7 {
        write(
            root,
            &format!("namespaces/team-{i}.yaml"),
            &format!(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{i}\n  labels: {{owner: team{i}, cost-center: cc-{:04}}}\n",
                1000 + i
            ),
        );
    }
    for i in 0..40 {
        write(
            root,
            &format!("flat/m{i}/main.tf"),
            &format!(
                "variable \"n\" {{\n  default = {}\n}}\n\nresource \"aws_instance\" \"w\" {{\n  count         = var.n\n  ami           = \"ami-1\"\n  instance_type = \"{}\"\n  tags          = {{ environment = \"dev\" }}\n}}\n\nresource \"aws_ebs_volume\" \"v\" {{\n  for_each          = toset([\"a\", \"b\"])\n  availability_zone = \"eu-west-1a\"\n  type              = \"gp2\" # costlint:ignore CL501 -- legacy\n  size              = {}\n}}\n",
                1 + i % 4,
                ["m5.24xlarge", "t2.micro", "c4.large", "m6i.large"][i % 4],
                100 * (i + 1)
            ),
        );
    }
    write(
        root,
        "broken/main.tf",
        "resource \"aws_instance\" \"x\" {\n",
    );
    write(
        root,
        "broken/bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [\n",
    );
    write(
        root,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    );
    write(
        root,
        "chart/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
}

/// Every format of one run: `--format text` and `--also-write` the rest.
fn reports(dir: &Path, out: &Path, threads: &str) -> Vec<Vec<u8>> {
    let files: Vec<String> = FORMATS
        .iter()
        .map(|f| out.join(format!("report.{f}")).display().to_string())
        .collect();
    let mut args = vec!["check", ".", "--fail-on", "never", "-j", threads];
    let also: Vec<String> = FORMATS
        .iter()
        .zip(&files)
        .map(|(f, p)| format!("{f}={p}"))
        .collect();
    for a in &also {
        args.push("--also-write");
        args.push(a);
    }
    let run = support::run_bounded(dir, &args, Duration::from_secs(120));
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    let mut all: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).expect("report"))
        .collect();
    all.push(run.stdout);
    all
}

#[test]
fn a_large_tree_is_byte_identical_for_1_2_and_8_threads_and_20_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    let first = reports(dir.path(), out.path(), "1");
    // The tree is large enough to mean something, in every format.
    let json: serde_json::Value = serde_json::from_slice(&first[1]).expect("json");
    let n = json["findings"].as_array().map_or(0, Vec::len);
    assert!(n > 500, "only {n} findings");
    for (format, report) in FORMATS.iter().zip(&first) {
        assert!(report.len() > 10_000, "{format}: {} bytes", report.len());
    }
    for threads in ["2", "8"] {
        let other = reports(dir.path(), out.path(), threads);
        for (i, format) in FORMATS.iter().enumerate() {
            assert!(
                first[i] == other[i],
                "{format} differs between -j 1 and -j {threads}"
            );
        }
        assert!(first[5] == other[5], "stdout differs with -j {threads}");
    }
    for run in 1..20 {
        let again = reports(dir.path(), out.path(), "0");
        for (i, format) in FORMATS.iter().enumerate() {
            assert!(first[i] == again[i], "{format} differs on run {}", run + 1);
        }
    }
}
