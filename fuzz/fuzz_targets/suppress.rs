//! Suppression comments: finding comments in HCL and YAML without a full
//! parse, reading `costlint:ignore` directives and the annotation, and
//! placing a new comment for the editor's code action.
#![no_main]

use costlint::finding::FileId;
use costlint::source::{FileKind, LineIndex, Span, decode};
use costlint::suppress::insert::{Placement, regions, suppression};
use costlint::suppress::{annotation_directive, comments, directives};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode(data.to_vec());
    let _ = comments::hcl(&text);
    let _ = comments::yaml(&text);
    let index = LineIndex::new(&text);
    for kind in [FileKind::Terraform, FileKind::Yaml, FileKind::TerraformJson] {
        let regions = regions(kind, &text);
        let _ = directives(FileId(0), kind, &text, &index, &regions);
        // A new comment for a finding at a few places in the text.
        let len = text.len();
        for at in [0, len / 3, len / 2, len.saturating_sub(1)] {
            for placement in [Placement::Line, Placement::Region] {
                let _ = suppression(kind, &text, Span::new(at, at), "CL501", placement);
            }
        }
    }
    let mut problems = Vec::new();
    let line = text.lines().next().unwrap_or("");
    let _ = annotation_directive(
        FileId(0),
        line,
        Span::new(0, line.len()),
        Span::new(0, text.len()),
        &mut problems,
    );
});
