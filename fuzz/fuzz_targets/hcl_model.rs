//! HCL and Terraform JSON parsing, then the module model: variables,
//! tfvars, locals, module calls, `count`/`for_each`, evaluation.
#![no_main]

use std::path::Path;

use costlint::source::fs::FileSystem;
use costlint::source::{FileKind, decode};
use costlint_fuzz::{FileSet, ROOT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let set = FileSet::decode(data);
    for path in &set.paths {
        let Some(kind) = FileKind::from_path(path) else {
            continue;
        };
        let Ok(bytes) = set.fs.read(path, u64::MAX) else {
            continue;
        };
        let (text, _) = decode(bytes);
        match kind {
            FileKind::Tfvars | FileKind::TfvarsJson => {
                let _ = costlint::terraform::parse_tfvars(kind, &text);
            }
            FileKind::Terraform | FileKind::TerraformJson => {
                let _ = costlint::terraform::parse_config(kind, &text);
            }
            _ => {}
        }
    }
    let root = Path::new(ROOT);
    let _ = costlint::model::dump::dump_dir(root, root, &[], &set.fs);
});
