//! Generated files are committed and must be current. `BLESS=1 cargo test
//! --test generated` rewrites them.

mod support;

use std::path::Path;

fn check_or_bless(rel: &str, expected: &str, stale: &mut Vec<String>) {
    let path = support::root().join(rel);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if support::bless() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create dir");
        }
        std::fs::write(&path, expected).expect("write");
    } else {
        stale.push(rel.to_owned());
    }
}

#[test]
fn generated_files_are_current() {
    let mut stale = Vec::new();
    let files = costlint::docs::generated_files();
    for (rel, contents) in &files {
        check_or_bless(rel, contents, &mut stale);
    }
    // No page for a rule that no longer exists.
    let dir = support::root().join("docs/rules");
    for entry in std::fs::read_dir(&dir).expect("docs/rules") {
        let path = entry.expect("entry").path();
        let rel = format!(
            "docs/rules/{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        if !files.iter().any(|(r, _)| *r == rel) {
            if support::bless() {
                std::fs::remove_file(&path).expect("remove");
            } else {
                stale.push(format!("{rel} (no such rule)"));
            }
        }
    }
    let readme_path = support::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let updated =
        costlint::docs::with_rules_table(&readme).expect("README.md has the rules-table markers");
    check_or_bless("README.md", &updated, &mut stale);
    assert!(
        stale.is_empty(),
        "stale generated files (run `BLESS=1 cargo test --test generated`): {stale:?}"
    );
    let _ = Path::new("");
}
