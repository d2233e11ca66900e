//! The benchmark corpus generator (`benches/costlint_bench/`): the same
//! seed gives the same bytes, and what it writes is valid, modelled
//! without configuration errors and flagged at a realistic rate. Timings
//! are never asserted here; `benches/run.sh` measures them.

#[allow(dead_code)]
#[path = "../benches/costlint_bench/corpus.rs"]
mod corpus;
#[path = "../benches/costlint_bench/rng.rs"]
mod rng;
#[path = "../benches/costlint_bench/templates.rs"]
mod templates;

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use costlint::check::{CheckOptions, Report, check};
use costlint::config::Settings;
use costlint::emit::Format;
use costlint::source::discover::{DiscoverOptions, discover};
use costlint::source::fs::RealFs;

const SIZE: u64 = 300_000;

fn lint(dir: &Path, threads: usize) -> Report {
    let settings = Settings::new(dir);
    let files = discover(
        &[dir.to_path_buf()],
        &DiscoverOptions {
            cwd: dir,
            base_dir: dir,
            include: None,
            exclude: None,
            threads,
        },
    )
    .expect("discover")
    .files;
    let opts = CheckOptions {
        cwd: dir.to_path_buf(),
        keep_sources: true,
        ..CheckOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| check(&files, &settings, &RealFs, &opts))
}

#[test]
fn same_seed_same_bytes() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let c = tempfile::tempdir().expect("tempdir");
    let sa = corpus::corpus(a.path(), SIZE, 42).expect("generate");
    let sb = corpus::corpus(b.path(), SIZE, 42).expect("generate");
    let sc = corpus::corpus(c.path(), SIZE, 43).expect("generate");
    assert_eq!(sa, sb);
    assert!(sa.bytes >= SIZE && sa.bytes < SIZE + 50_000, "{sa:?}");
    let ha = corpus::hash_dir(a.path()).expect("hash");
    assert_eq!(ha, corpus::hash_dir(b.path()).expect("hash"));
    assert_ne!(ha, corpus::hash_dir(c.path()).expect("hash"));
    assert!(sc.files > 0);
}

#[test]
fn the_long_file_has_5000_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    corpus::long_file_module(dir.path(), 5000).expect("generate");
    let text = std::fs::read_to_string(dir.path().join("main.tf")).expect("read");
    assert_eq!(text.lines().count(), 5000);
    let report = lint(dir.path(), 1);
    assert!(report.findings.iter().all(|f| f.code != "CL000"));
}

#[test]
fn scaling_fixtures_have_what_their_names_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = corpus::resources_module(&dir.path().join("r"), 1000).expect("generate");
    assert_eq!(s.resource_blocks, 1000);
    let s = corpus::findings_file(&dir.path().join("f"), 1000).expect("generate");
    assert_eq!(s.files, 1);
    let report = lint(&dir.path().join("f"), 1);
    assert_eq!(report.findings.len(), 1000);
}

/// Every kind of file is there, none is broken, and a run reports
/// something but not everything.
#[test]
fn corpus_is_valid_and_realistic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stats = corpus::corpus(dir.path(), SIZE, 42).expect("generate");
    let mut kinds = BTreeMap::new();
    for entry in walk(dir.path()) {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let kind = if name.ends_with(".tf.json") {
            ".tf.json"
        } else if name.ends_with(".auto.tfvars") {
            ".auto.tfvars"
        } else if name.ends_with(".tfvars") {
            ".tfvars"
        } else if name.ends_with(".tf") {
            ".tf"
        } else {
            ".yaml"
        };
        *kinds.entry(kind).or_insert(0) += 1;
        if kind == ".yaml" {
            let text = std::fs::read_to_string(&entry).expect("read");
            for k in [
                "Deployment",
                "StatefulSet",
                "DaemonSet",
                "ReplicaSet",
                "Job",
                "CronJob",
                "Pod",
                "List",
            ] {
                if text.contains(&format!("\nkind: {k}\n")) {
                    *kinds.entry(k).or_insert(0) += 1;
                }
            }
        }
    }
    for k in [
        ".tf",
        ".tf.json",
        ".tfvars",
        ".auto.tfvars",
        ".yaml",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "Job",
        "CronJob",
        "Pod",
        "List",
    ] {
        assert!(kinds.contains_key(k), "no {k} in {kinds:?}");
    }

    let report = lint(dir.path(), 2);
    let broken: Vec<String> = report
        .findings
        .iter()
        .filter(|f| matches!(f.code, "CL000" | "CL001" | "CL002" | "CL003" | "CL004"))
        .map(|f| format!("{} {}: {}", f.code, f.path, f.message))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    let units = stats.resource_blocks + stats.documents;
    let n = report.findings.len() as u64;
    assert!(n >= 5, "only {n} findings");
    assert!(
        n * 10 < units,
        "{n} findings for {units} resources and documents"
    );

    // The same bytes whatever the thread count.
    let one = support::render(&lint(dir.path(), 1), Format::Json);
    assert_eq!(one, support::render(&report, Format::Json));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
