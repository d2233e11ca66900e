//! Files, spans and positions.

pub mod discover;
mod excerpt;
mod files;
pub mod fs;
mod line_index;
mod span;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use excerpt::{Excerpt, Window};
pub use files::Files;
pub use line_index::{LineIndex, Position, floor_char_boundary};
pub use span::Span;

/// What a file is, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Terraform,
    TerraformJson,
    Tfvars,
    TfvarsJson,
    Yaml,
    Plan,
}

impl FileKind {
    pub fn from_path(path: &Path) -> Option<FileKind> {
        // A name that is not UTF-8 is still judged by its extension, as
        // Terraform and kubectl do.
        // The suffixes are ASCII, so the name's bytes are compared as they
        // are, without a lowercased copy of every name asked about.
        let name = path.file_name()?.as_encoded_bytes();
        let ends = |suffix: &[u8]| {
            name.len()
                .checked_sub(suffix.len())
                .and_then(|at| name.get(at..))
                .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
        };
        if ends(b".tf.json") {
            Some(FileKind::TerraformJson)
        } else if ends(b".tfvars.json") {
            Some(FileKind::TfvarsJson)
        } else if ends(b".tf") {
            Some(FileKind::Terraform)
        } else if ends(b".tfvars") {
            Some(FileKind::Tfvars)
        } else if ends(b".yaml") || ends(b".yml") {
            Some(FileKind::Yaml)
        } else {
            None
        }
    }

    pub fn is_terraform(self) -> bool {
        matches!(
            self,
            FileKind::Terraform | FileKind::TerraformJson | FileKind::Tfvars | FileKind::TfvarsJson
        )
    }
}

/// One file's text with its line index. `path` is what users see: relative to
/// the working directory when possible, always with `/` separators.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: Arc<str>,
    pub abs_path: PathBuf,
    pub kind: FileKind,
    pub text: Arc<str>,
    pub index: Arc<LineIndex>,
}

impl SourceFile {
    pub fn new(path: Arc<str>, abs_path: PathBuf, kind: FileKind, text: Arc<str>) -> Self {
        let index = Arc::new(LineIndex::lazy(text.clone()));
        SourceFile {
            path,
            abs_path,
            kind,
            text,
            index,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.index.position(offset, &self.text)
    }

    pub fn line_text(&self, line0: usize) -> &str {
        self.index.line_text(line0, &self.text)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// Why a file's bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeProblem {
    pub offset: usize,
    pub message: String,
}

/// Turns bytes into text: strips a UTF-8 byte-order mark, rejects binary
/// data and invalid UTF-8 (returning lossy text so positions still work).
pub fn decode(bytes: Vec<u8>) -> (String, Option<DecodeProblem>) {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    // YAML allows UTF-16, which is NUL bytes to a UTF-8 reader.
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return (
            String::new(),
            Some(DecodeProblem {
                offset: 0,
                message: "file is UTF-16 (it starts with a UTF-16 byte order mark); costlint reads UTF-8 only: convert it, e.g. with `iconv -f UTF-16 -t UTF-8`".to_owned(),
            }),
        );
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(bytes.get(..nul).unwrap_or_default()).into_owned();
        return (
            text,
            Some(DecodeProblem {
                offset: nul,
                message: format!(
                    "file contains a NUL byte at offset {nul}; it looks binary and was not parsed"
                ),
            }),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            (
                text,
                Some(DecodeProblem {
                    offset,
                    message: format!("file is not valid UTF-8 (invalid byte at offset {offset})"),
                }),
            )
        }
    }
}

/// A display path: relative to `base` when inside it, with `/` separators.
pub fn display_path(path: &Path, base: &Path) -> String {
    if let Some(rel) = plain_relative(path, base) {
        return rel.to_owned();
    }
    let rel = path.strip_prefix(base).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").map(str::to_owned).unwrap_or(s);
    if s.is_empty() { ".".to_owned() } else { s }
}

/// What [`display_path`] gives when `path` is `base`, a `/` and plain
/// components (no empty, `.` or `\\` in them), found by comparing bytes:
/// the usual case, a file the walk found under the base. `Path::strip_prefix`
/// splits both paths into components, which cost more than the rest of
/// loading a small file.
fn plain_relative<'p>(path: &'p Path, base: &Path) -> Option<&'p str> {
    let base = base.to_str().filter(|b| !b.is_empty())?;
    let rel = path.to_str()?.strip_prefix(base)?.strip_prefix('/')?;
    let plain = !rel.is_empty()
        && !rel.contains('\\')
        && rel.split('/').all(|part| !part.is_empty() && part != ".");
    plain.then_some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_found_by_bytes_are_those_of_components() {
        let slow = |path: &Path, base: &Path| {
            let rel = path.strip_prefix(base).unwrap_or(path);
            let s = rel.to_string_lossy().replace('\\', "/");
            let s = s.strip_prefix("./").map(str::to_owned).unwrap_or(s);
            if s.is_empty() { ".".to_owned() } else { s }
        };
        let bases = [
            "", ".", "./", "a", "a/", "/a", "a/b", "./a", "ab", "/", "a/.", "a//",
        ];
        let paths = [
            "a/b/c.tf",
            "./a/b.tf",
            "a",
            "a/",
            "ab/c.tf",
            "a//b.tf",
            "a/./b.tf",
            "a/b/./c",
            "a/../b.tf",
            "/a/b.tf",
            "a/b\\c.tf",
            ".",
            "./",
            "a/.",
            "a/b/",
            "./.hidden/x.yaml",
            "a/.terraform.lock.hcl",
            "b/c.tf",
        ];
        for base in bases {
            for path in paths {
                let (p, b) = (Path::new(path), Path::new(base));
                assert_eq!(display_path(p, b), slow(p, b), "{path} under {base}");
            }
        }
    }

    #[test]
    fn decode_strips_bom_and_flags_binary() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa = 1".to_vec()),
            ("a = 1".into(), None)
        );
        let (_, problem) = decode(b"ab\0cd".to_vec());
        assert_eq!(problem.map(|p| p.offset), Some(2));
        let (text, problem) = decode(b"a\n\xFFb".to_vec());
        assert_eq!(problem.map(|p| p.offset), Some(2));
        assert!(text.starts_with("a\n"));
        // UTF-16 is named as such, not taken for binary.
        for bom in [&b"\xFF\xFEa\0:\0"[..], &b"\xFE\xFF\0a\0:"[..]] {
            let (_, problem) = decode(bom.to_vec());
            assert!(problem.is_some_and(|p| p.offset == 0 && p.message.contains("UTF-16")));
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(
            FileKind::from_path(Path::new("a/main.tf")),
            Some(FileKind::Terraform)
        );
        assert_eq!(
            FileKind::from_path(Path::new("x.TF.JSON")),
            Some(FileKind::TerraformJson)
        );
        assert_eq!(
            FileKind::from_path(Path::new("p.auto.tfvars.json")),
            Some(FileKind::TfvarsJson)
        );
        assert_eq!(
            FileKind::from_path(Path::new("k.yml")),
            Some(FileKind::Yaml)
        );
        assert_eq!(FileKind::from_path(Path::new("README.md")), None);
        for (name, kind) in [
            (".tf", Some(FileKind::Terraform)),
            ("tf", None),
            ("a.Tf", Some(FileKind::Terraform)),
            ("dir/a.tf/", Some(FileKind::Terraform)),
            ("x.tfvarsjson", None),
            ("V.TFVARS", Some(FileKind::Tfvars)),
            ("x.YAML", Some(FileKind::Yaml)),
            ("x.yaml.bak", None),
            ("..", None),
        ] {
            assert_eq!(FileKind::from_path(Path::new(name)), kind, "{name}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
            assert_eq!(
                FileKind::from_path(Path::new(name)),
                Some(FileKind::Terraform)
            );
        }
    }
}
