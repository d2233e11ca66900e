//! Values of Terraform expressions, with `Unknown` for whatever cannot be
//! known before `terraform apply`.

use std::collections::BTreeMap;
use std::fmt;

use crate::finding::Loc;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, tuples and sets.
    List(Vec<Value>),
    /// Maps and objects.
    Map(Map),
    /// Not knowable statically. Rules stay silent on it.
    Unknown,
}

/// A map whose keys may be only partly known: `partial` records that more
/// keys may come from an unknown part (`merge(local.tags, data.x.tags)`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: BTreeMap<String, Entry>,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub value: Value,
    /// Where the key was written, when it was written in the configuration.
    pub origin: Option<Loc>,
}

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn insert(&mut self, key: String, value: Value, origin: Option<Loc>) {
        self.entries.insert(key, Entry { value, origin });
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key).map(|e| &e.value)
    }

    pub fn unknown() -> Self {
        Map {
            entries: BTreeMap::new(),
            partial: true,
        }
    }
}

impl Value {
    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown)
    }

    /// Known all the way down.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(m) => !m.partial && m.entries.values().all(|e| e.value.is_wholly_known()),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Terraform's conversion of primitives to string; `None` for
    /// collections, null and unknown.
    pub fn to_tf_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Unknown => "unknown",
        }
    }

    /// Dotted access used by rules: `a.b`, list elements by number.
    pub fn get_path(&self, path: &[&str]) -> Option<&Value> {
        let mut v = self;
        for key in path {
            v = match v {
                Value::Map(m) => m.get(key)?,
                Value::List(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, e)) in m.entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?} = {}", e.value)?;
                }
                if m.partial {
                    f.write_str(if m.entries.is_empty() { "…" } else { ", …" })?;
                }
                f.write_str("}")
            }
            Value::Unknown => f.write_str("(unknown)"),
        }
    }
}
