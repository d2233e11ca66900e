//! Every rule at once: fixtures, snapshots and invariants.
//!
//! Each rule with a check has a folder `rules/<category>/<rule_name>/` with
//! `fail*` and `pass*` fixtures (a file, or a directory for a whole module
//! or manifest set, optionally with its own `costlint.toml`). Pass fixtures
//! must produce no finding at all; fail fixtures must produce findings of
//! the rule, snapshotted next to the fixture as rendered text.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use costlint::emit::Format;
use costlint::finding::Finding;
use costlint::rules::{Category, RULES};
use costlint::source::FileKind;

/// Rules reported by the engine itself are tested elsewhere.
fn has_check(category: Category) -> bool {
    category != Category::Tool
}

fn rule_dir(code: &str) -> PathBuf {
    let rule = costlint::rules::by_code(code).expect("registered");
    let m = rule.meta();
    support::root()
        .join("rules")
        .join(m.category.folder())
        .join(m.name.replace('-', "_"))
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.starts_with("fail") || name.starts_with("pass"))
                && !name.ends_with(".snap")
                && !name.ends_with(".snap.new")
        })
        .collect();
    out.sort();
    out
}

/// `fail.tf` → `fail_tf`: one snapshot per fixture, beside it.
fn snapshot_name(fixture: &str) -> String {
    fixture.replace('.', "_")
}

fn rel(p: &Path) -> PathBuf {
    p.strip_prefix(support::root())
        .expect("inside the repository")
        .to_path_buf()
}

fn check_invariants(f: &Finding, code: &str) {
    let rule =
        costlint::rules::by_code(f.code).unwrap_or_else(|| panic!("{} is not registered", f.code));
    let path = support::root().join(&*f.path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        f.span.start <= f.span.end && f.span.end <= text.len(),
        "{}: span out of the file: {f:?}",
        f.path
    );
    assert!(f.start <= f.end, "{f:?}");
    if f.code == code {
        assert_eq!(
            f.severity,
            rule.meta().severity,
            "{}: {} must use its declared severity",
            f.path,
            f.code
        );
        assert!(
            !f.message.is_empty() && f.help.is_some(),
            "{}: a finding states the fact and says what to do",
            f.code
        );
    }
    if let Some(fix) = &f.fix {
        assert!(
            rule.meta().fixable,
            "{} emits a fix but is not declared fixable",
            f.code
        );
        let mut fixed = text.clone();
        let mut edits: Vec<_> = fix.edits.iter().filter(|e| *e.path == *f.path).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for e in edits {
            fixed.replace_range(e.span.range(), &e.replacement);
        }
        let kind = FileKind::from_path(&path).expect("kind");
        let reparsed = match kind {
            FileKind::Yaml => costlint::kubernetes::yaml::load(&fixed, Default::default())
                .1
                .is_none(),
            FileKind::Tfvars | FileKind::TfvarsJson => {
                costlint::terraform::parse_tfvars(kind, &fixed).is_ok()
            }
            _ => costlint::terraform::parse_config(kind, &fixed).is_ok(),
        };
        assert!(
            reparsed,
            "{}: the fix of {} does not re-parse:\n{fixed}",
            f.path, f.code
        );
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let mut missing = Vec::new();
    for rule in RULES.iter().filter(|r| has_check(r.meta().category)) {
        let dir = rule_dir(rule.meta().code);
        if !dir.is_dir() {
            missing.push(format!(
                "{}: no folder {}",
                rule.meta().code,
                rel(&dir).display()
            ));
            continue;
        }
        let names: Vec<String> = fixtures(&dir)
            .iter()
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
            .collect();
        if !names.iter().any(|n| n.starts_with("fail"))
            || !names.iter().any(|n| n.starts_with("pass"))
        {
            missing.push(format!(
                "{}: needs fail* and pass* fixtures in {}",
                rule.meta().code,
                rel(&dir).display()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn fixtures_behave_and_match_snapshots() {
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| has_check(r.meta().category)) {
        let code = rule.meta().code;
        let dir = rule_dir(code);
        for fixture in fixtures(&dir) {
            let name = fixture
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            let report = support::check_path(
                &rel(&fixture),
                Some(&[code, "CL000", "CL001", "CL002", "CL003", "CL004"]),
            );
            for f in &report.findings {
                check_invariants(f, code);
            }
            if name.starts_with("pass") {
                if !report.findings.is_empty() {
                    failures.push(format!(
                        "{}: a pass fixture must have no findings, got:\n{}",
                        rel(&fixture).display(),
                        support::render(&report, Format::Text)
                    ));
                }
                continue;
            }
            if !report.findings.iter().any(|f| f.code == code) {
                failures.push(format!(
                    "{}: a fail fixture must have findings of {code}",
                    rel(&fixture).display()
                ));
            }
            let rendered = support::render(&report, Format::Text);
            let snap_name = snapshot_name(&name);
            insta::with_settings!({
                snapshot_path => dir.clone(),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("costlint check {}", rel(&fixture).display()),
            }, {
                insta::assert_snapshot!(snap_name, rendered);
            });
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A snapshot without its fixture is stale; `--unreferenced=reject`
/// without needing cargo-insta.
#[test]
fn no_orphan_snapshots() {
    let mut orphans = Vec::new();
    let mut stack = vec![support::root().join("rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if !path.file_name().is_some_and(|n| {
                    n.to_string_lossy().starts_with("fail")
                        || n.to_string_lossy().starts_with("pass")
                }) {
                    stack.push(path);
                }
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if let Some(stem) = name.strip_suffix(".snap") {
                let referenced = fixtures(&dir).iter().any(|f| {
                    let n = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    snapshot_name(n) == stem && n.starts_with("fail")
                });
                if !referenced {
                    orphans.push(rel(&path).display().to_string());
                }
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a fail fixture: {orphans:?}"
    );
}

#[test]
fn rule_names_follow_one_identifier_everywhere() {
    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for r in RULES {
        let m = r.meta();
        assert!(seen_codes.insert(m.code), "duplicate code {}", m.code);
        assert!(seen_names.insert(m.name), "duplicate name {}", m.name);
        assert!(
            m.code.starts_with(m.category.prefix()),
            "{} is not in the range of {}",
            m.code,
            m.category.name()
        );
        assert!(
            !m.name.starts_with("no-") && !m.name.starts_with("disallow-"),
            "{}: name the pattern, not the fix",
            m.name
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{}",
            m.name
        );
        // The rule's file is named like the rule.
        let file = support::root()
            .join("src/rules")
            .join(m.category.folder())
            .join(format!("{}.rs", m.name.replace('-', "_")));
        assert!(
            file.is_file(),
            "{} should live in {}",
            m.code,
            rel(&file).display()
        );
    }
}

#[test]
fn options_are_documented() {
    for r in RULES {
        let m = r.meta();
        let options = m.section("## Options");
        let defaults = r.options_json(&r.default_options());
        if let Some(obj) = defaults.as_object() {
            for key in obj.keys() {
                assert!(
                    options.contains(&format!("`{key}`")),
                    "{}: option `{key}` is not documented under ## Options",
                    m.code
                );
            }
        }
    }
}
