use crate::finding::Severity;

/// Rule families, one per code range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Tool,
    Sizing,
    Tags,
    DataPaths,
    Lifecycle,
    Storage,
    PricingModel,
    Budget,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Tool,
        Category::Sizing,
        Category::Tags,
        Category::DataPaths,
        Category::Lifecycle,
        Category::Storage,
        Category::PricingModel,
        Category::Budget,
    ];

    /// Kebab-case name used in `select`/`ignore` and in the docs folder.
    pub fn name(self) -> &'static str {
        match self {
            Category::Tool => "tool",
            Category::Sizing => "sizing",
            Category::Tags => "tags",
            Category::DataPaths => "data-paths",
            Category::Lifecycle => "lifecycle",
            Category::Storage => "storage",
            Category::PricingModel => "pricing-model",
            Category::Budget => "budget",
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Category::Tool => "CL0",
            Category::Sizing => "CL1",
            Category::Tags => "CL2",
            Category::DataPaths => "CL3",
            Category::Lifecycle => "CL4",
            Category::Storage => "CL5",
            Category::PricingModel => "CL6",
            Category::Budget => "CL9",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Module folder under `src/rules/`.
    pub fn folder(self) -> &'static str {
        match self {
            Category::DataPaths => "data_paths",
            Category::PricingModel => "pricing_model",
            other => other.name(),
        }
    }
}

/// Everything about a rule that is not its check. Lives in code; docs,
/// SARIF `rules[]`, `costlint rule` and the README table come from it.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Raw doc comment (each line keeps the leading space rustdoc adds).
    pub raw_docs: &'static str,
    /// Whether the rule can offer a fix.
    pub fixable: bool,
    /// Whether the rule runs without being selected explicitly.
    pub default_enabled: bool,
}

pub const DOC_SECTIONS: [&str; 6] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Options",
    "## References",
];

impl RuleMeta {
    /// The rule's documentation as Markdown.
    pub fn docs(&self) -> String {
        let mut out = String::with_capacity(self.raw_docs.len());
        for line in self.raw_docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned() + "\n"
    }

    /// Text of one `## ` section, without its heading.
    pub fn section(&self, heading: &str) -> String {
        let docs = self.docs();
        let mut lines = docs.lines();
        let mut out = Vec::new();
        for line in lines.by_ref() {
            if line.trim() == heading {
                break;
            }
        }
        for line in lines {
            if line.starts_with("## ") {
                break;
            }
            out.push(line);
        }
        out.join("\n").trim().to_owned()
    }

    /// First sentence of "What it does": the short description.
    pub fn summary(&self) -> String {
        let what = self.section("## What it does");
        let flat = what.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.find(". ") {
            Some(i) => flat.get(..=i).unwrap_or(&flat).to_owned(),
            None => flat,
        }
    }

    /// Link to the rule's page, pinned to this release.
    pub fn url(&self) -> String {
        format!(
            "{}/blob/v{}/docs/rules/{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION"),
            self.name
        )
    }
}

/// Compile-time check that a rule's docs have every section, so a missing
/// one fails the build, not a review. (Indexing in a `const fn` evaluated
/// at compile time cannot panic at run time.)
#[allow(clippy::indexing_slicing)]
pub const fn docs_complete(docs: &str) -> bool {
    let mut i = 0;
    while i < DOC_SECTIONS.len() {
        if !contains(docs.as_bytes(), DOC_SECTIONS[i].as_bytes()) {
            return false;
        }
        i += 1;
    }
    true
}

#[allow(clippy::indexing_slicing)]
const fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.len() > hay.len() {
        return false;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let mut j = 0;
        while j < needle.len() && hay[i + j] == needle[j] {
            j += 1;
        }
        if j == needle.len() {
            return true;
        }
        i += 1;
    }
    false
}

/// Declares a rule: its doc comment, metadata and unit struct in one place.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct EbsGp2Volume {
///         code: "CL501",
///         name: "ebs-gp2-volume",
///         category: Storage,
///         severity: Warning,
///         fixable: true,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            category: $cat:ident,
            severity: $sev:ident
            $(, fixable: $fix:literal)?
            $(, default_enabled: $enabled:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                category: $crate::rules::Category::$cat,
                severity: $crate::finding::Severity::$sev,
                raw_docs: concat!($($doc, "\n"),*),
                fixable: $crate::declare_rule!(@or $($fix)?, false),
                default_enabled: $crate::declare_rule!(@or $($enabled)?, true),
            };
        }

        const _: () = assert!(
            $crate::rules::docs_complete(concat!($($doc, "\n"),*)),
            concat!("the docs of rule ", $code, " miss a section: What it does / Why is this bad? / Example / Use instead / Options / References")
        );
    };
    (@or $value:literal, $default:literal) => { $value };
    (@or , $default:literal) => { $default };
}
