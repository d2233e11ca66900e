//! Rule selection as in ruff: codes, code prefixes, names, categories and
//! `ALL`; where `select` and `ignore` both match a rule, the more specific
//! selector wins.

use crate::rules::{Category, RULES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    Category(Category),
    /// A code or code prefix, upper-case (`CL5`, `CL501`).
    Prefix(String),
    Name(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown rule selector `{0}` (expected a code such as CL501, a code prefix such as CL5, a rule name, a category or ALL)"
)]
pub struct UnknownSelector(pub String);

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, UnknownSelector> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if let Some(c) = Category::from_name(t) {
            return Ok(Selector::Category(c));
        }
        if let Some(r) = RULES.iter().find(|r| r.meta().name == t) {
            return Ok(Selector::Name(r.meta().name));
        }
        let upper = t.to_ascii_uppercase();
        if upper.len() >= 2 && RULES.iter().any(|r| r.meta().code.starts_with(&upper)) {
            return Ok(Selector::Prefix(upper));
        }
        Err(UnknownSelector(s.to_owned()))
    }

    fn specificity(&self, code: &str, name: &str, category: Category) -> Option<usize> {
        match self {
            Selector::All => Some(0),
            Selector::Category(c) => (*c == category).then_some(1),
            Selector::Prefix(p) => code.starts_with(p.as_str()).then_some(p.len()),
            Selector::Name(n) => (*n == name).then_some(10),
        }
    }

    /// Codes of every rule this selector matches.
    pub fn codes(&self) -> Vec<&'static str> {
        RULES
            .iter()
            .map(|r| r.meta())
            .filter(|m| self.specificity(m.code, m.name, m.category).is_some())
            .map(|m| m.code)
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub select: Option<Vec<Selector>>,
    pub extend_select: Vec<Selector>,
    pub ignore: Vec<Selector>,
}

fn parse_all(items: &[String]) -> Result<Vec<Selector>, UnknownSelector> {
    items.iter().map(|s| Selector::parse(s)).collect()
}

impl Selection {
    pub fn from_config(
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
    ) -> Result<Selection, UnknownSelector> {
        Ok(Selection {
            select: select.map(parse_all).transpose()?,
            extend_select: parse_all(extend_select)?,
            ignore: parse_all(ignore)?,
        })
    }

    /// Command-line selection on top of the file's: `--select` replaces,
    /// the others add.
    pub fn merge(&mut self, over: &Selection) {
        if let Some(s) = &over.select {
            self.select = Some(s.clone());
        }
        self.extend_select
            .extend(over.extend_select.iter().cloned());
        self.ignore.extend(over.ignore.iter().cloned());
    }

    /// Which rules run, indexed like [`RULES`].
    pub fn resolve(&self) -> Vec<bool> {
        RULES
            .iter()
            .map(|r| {
                let m = r.meta();
                let best = |sels: &[Selector]| {
                    sels.iter()
                        .filter_map(|s| s.specificity(m.code, m.name, m.category))
                        .max()
                };
                let enable = match &self.select {
                    Some(sel) => best(sel),
                    None => m.default_enabled.then_some(0),
                };
                let enable = enable.max(best(&self.extend_select));
                match (enable, best(&self.ignore)) {
                    (Some(e), Some(i)) => e > i,
                    (Some(_), None) => true,
                    (None, _) => false,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(sel: &Selection, code: &str) -> bool {
        let i = crate::rules::index_of(code).unwrap();
        sel.resolve()[i]
    }

    #[test]
    fn specific_select_beats_broad_ignore() {
        let sel = Selection::from_config(Some(&["CL501".into()]), &[], &["CL5".into()]).unwrap();
        assert!(on(&sel, "CL501"));
        let sel = Selection::from_config(None, &[], &["storage".into()]).unwrap();
        assert!(!on(&sel, "CL501"));
        assert!(on(&sel, "CL104"));
        let sel = Selection::from_config(Some(&["ebs-gp2-volume".into()]), &[], &[]).unwrap();
        assert!(on(&sel, "CL501") && !on(&sel, "CL104"));
    }

    #[test]
    fn unknown_selectors_fail() {
        assert!(Selector::parse("CL5O1").is_err());
        assert!(Selector::parse("nope").is_err());
        assert_eq!(
            Selector::parse("cl5").unwrap(),
            Selector::Prefix("CL5".into())
        );
    }
}
