//! The Terraform functions that tag and size expressions use. Unknown
//! arguments give unknown results, except where the known part is enough
//! (`merge` keeps known keys, `length` of a list of unknowns is known).

use std::collections::BTreeMap;

use super::eval::EvalError;
use super::value::{Entry, Map, Value, format_number};

type R = Result<Value, EvalError>;

fn err(msg: impl Into<String>) -> EvalError {
    EvalError(msg.into())
}

/// Functions with special handling of their arguments (`try`, `can`) are
/// evaluated by the evaluator; everything else comes here.
pub fn call(name: &str, args: Vec<Value>) -> R {
    match name {
        "merge" => merge(args),
        "lookup" => lookup(args),
        "coalesce" => coalesce(args),
        "coalescelist" => coalescelist(args),
        "length" => length(args),
        "keys" => keys(args),
        "values" => values(args),
        "tomap" | "tolist" | "tuple" => one(args),
        "toset" => toset(args),
        "concat" => concat(args),
        "compact" => strict(args, compact),
        "lower" => strict(args, |a| str1(a, |s| s.to_lowercase())),
        "upper" => strict(args, |a| str1(a, |s| s.to_uppercase())),
        "title" => strict(args, |a| str1(a, title)),
        "trimspace" => strict(args, |a| str1(a, |s| s.trim().to_owned())),
        "trimprefix" => strict(args, |a| {
            str2(a, |s, p| s.strip_prefix(p).unwrap_or(s).to_owned())
        }),
        "trimsuffix" => strict(args, |a| {
            str2(a, |s, p| s.strip_suffix(p).unwrap_or(s).to_owned())
        }),
        "startswith" => strict(args, |a| bool2(a, |s, p| s.starts_with(p))),
        "endswith" => strict(args, |a| bool2(a, |s, p| s.ends_with(p))),
        "replace" => strict(args, replace),
        "substr" => strict(args, substr),
        "format" => strict(args, format),
        "join" => strict(args, join),
        "split" => strict(args, split),
        "tostring" => strict(args, tostring),
        "tonumber" => strict(args, tonumber),
        "tobool" => strict(args, tobool),
        "element" => strict(args, element),
        "contains" => strict(args, contains),
        "zipmap" => strict(args, zipmap),
        "flatten" => strict(args, flatten),
        "distinct" => strict(args, distinct),
        "jsonencode" => strict(args, jsonencode),
        "jsondecode" => jsondecode(args),
        "min" => strict(args, |a| minmax(a, f64::min)),
        "max" => strict(args, |a| minmax(a, f64::max)),
        "abs" => strict(args, |a| num1(a, f64::abs)),
        "ceil" => strict(args, |a| num1(a, f64::ceil)),
        "floor" => strict(args, |a| num1(a, f64::floor)),
        "range" => strict(args, range),
        "reverse" => strict(args, reverse),
        "sort" => strict(args, sort),
        "setunion" => strict(args, setunion),
        "one" => strict(args, one_of),
        "alltrue" => strict(args, |a| all_any(a, true)),
        "anytrue" => strict(args, |a| all_any(a, false)),
        "slice" => strict(args, slice),
        // Functions whose result depends on the machine, the clock or the
        // provider are never known here.
        _ => Ok(Value::Unknown),
    }
}

pub const KNOWN: &[&str] = &[
    "merge",
    "lookup",
    "coalesce",
    "coalescelist",
    "length",
    "keys",
    "values",
    "tomap",
    "tolist",
    "toset",
    "concat",
    "compact",
    "lower",
    "upper",
    "title",
    "trimspace",
    "trimprefix",
    "trimsuffix",
    "startswith",
    "endswith",
    "replace",
    "substr",
    "format",
    "join",
    "split",
    "tostring",
    "tonumber",
    "tobool",
    "element",
    "contains",
    "zipmap",
    "flatten",
    "distinct",
    "jsonencode",
    "jsondecode",
    "min",
    "max",
    "abs",
    "ceil",
    "floor",
    "range",
    "reverse",
    "sort",
    "setunion",
    "one",
    "alltrue",
    "anytrue",
    "slice",
    "try",
    "can",
];

fn strict(args: Vec<Value>, f: impl FnOnce(Vec<Value>) -> R) -> R {
    if args.iter().all(Value::is_wholly_known) {
        f(args)
    } else {
        Ok(Value::Unknown)
    }
}

fn arity(args: &[Value], n: usize) -> Result<(), EvalError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(err(format!("expected {n} arguments, got {}", args.len())))
    }
}

/// The arguments as an array of exactly `N`, or the arity error.
fn fixed<const N: usize>(args: &[Value]) -> Result<&[Value; N], EvalError> {
    arity(args, N)?;
    <&[Value; N]>::try_from(args).map_err(|_| err(format!("expected {N} arguments")))
}

fn as_string(v: &Value) -> Result<String, EvalError> {
    v.to_tf_string()
        .ok_or_else(|| err(format!("expected a string, got {}", v.type_name())))
}

fn as_number(v: &Value) -> Result<f64, EvalError> {
    v.as_f64()
        .ok_or_else(|| err(format!("expected a number, got {}", v.type_name())))
}

fn as_list(v: Value) -> Result<Vec<Value>, EvalError> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(err(format!("expected a list, got {}", other.type_name()))),
    }
}

fn one(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    Ok(args.remove(0))
}

fn str1(args: Vec<Value>, f: impl Fn(&str) -> String) -> R {
    let [a] = fixed(&args)?;
    Ok(Value::String(f(&as_string(a)?)))
}

fn str2(args: Vec<Value>, f: impl Fn(&str, &str) -> String) -> R {
    let [a, b] = fixed(&args)?;
    Ok(Value::String(f(&as_string(a)?, &as_string(b)?)))
}

fn bool2(args: Vec<Value>, f: impl Fn(&str, &str) -> bool) -> R {
    let [a, b] = fixed(&args)?;
    Ok(Value::Bool(f(&as_string(a)?, &as_string(b)?)))
}

fn num1(args: Vec<Value>, f: impl Fn(f64) -> f64) -> R {
    let [a] = fixed(&args)?;
    Ok(Value::Number(f(as_number(a)?)))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Later maps win. An unknown or partial map may override any key written
/// before it, so those values become unknown while their keys stay known.
fn merge(args: Vec<Value>) -> R {
    let mut out = Map::new();
    for arg in args {
        match arg {
            Value::Null => {}
            Value::Map(m) => {
                if m.partial {
                    for entry in out.entries.values_mut() {
                        entry.value = Value::Unknown;
                    }
                    out.partial = true;
                }
                for (k, e) in m.entries {
                    out.entries.insert(k, e);
                }
            }
            Value::Unknown => {
                for entry in out.entries.values_mut() {
                    entry.value = Value::Unknown;
                }
                out.partial = true;
            }
            other => {
                return Err(err(format!(
                    "merge expects maps, got {}",
                    other.type_name()
                )));
            }
        }
    }
    Ok(Value::Map(out))
}

fn lookup(args: Vec<Value>) -> R {
    if args.len() != 2 && args.len() != 3 {
        return Err(err("lookup expects 2 or 3 arguments"));
    }
    let mut it = args.into_iter();
    let map = it.next().unwrap_or_default();
    let key = it.next().unwrap_or_default();
    let default = it.next();
    let Some(key) = key.to_tf_string() else {
        return if key.is_known() {
            Err(err("lookup key must be a string"))
        } else {
            Ok(Value::Unknown)
        };
    };
    match map {
        Value::Map(m) => match m.entries.get(&key) {
            Some(e) => Ok(e.value.clone()),
            None if m.partial => Ok(Value::Unknown),
            None => default.ok_or_else(|| err(format!("key {key:?} not found"))),
        },
        Value::Unknown => Ok(Value::Unknown),
        other => Err(err(format!(
            "lookup expects a map, got {}",
            other.type_name()
        ))),
    }
}

fn coalesce(args: Vec<Value>) -> R {
    for arg in args {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(ref s) if s.is_empty() => {}
            other => return Ok(other),
        }
    }
    Err(err("no non-null, non-empty argument"))
}

fn coalescelist(args: Vec<Value>) -> R {
    for arg in args {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(ref items) if items.is_empty() => {}
            Value::List(_) => return Ok(arg),
            other => {
                return Err(err(format!(
                    "coalescelist expects lists, got {}",
                    other.type_name()
                )));
            }
        }
    }
    Err(err("no non-empty list"))
}

fn length(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::List(items) => Ok(Value::Number(items.len() as f64)),
        Value::Map(m) if !m.partial => Ok(Value::Number(m.entries.len() as f64)),
        Value::String(s) => Ok(Value::Number(s.chars().count() as f64)),
        Value::Map(_) | Value::Unknown => Ok(Value::Unknown),
        other => Err(err(format!("length of {}", other.type_name()))),
    }
}

fn keys(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Map(m) if !m.partial => Ok(Value::List(
            m.entries.into_keys().map(Value::String).collect(),
        )),
        Value::Map(_) | Value::Unknown => Ok(Value::Unknown),
        other => Err(err(format!("keys of {}", other.type_name()))),
    }
}

fn values(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Map(m) if !m.partial => Ok(Value::List(
            m.entries.into_values().map(|e| e.value).collect(),
        )),
        Value::Map(_) | Value::Unknown => Ok(Value::Unknown),
        other => Err(err(format!("values of {}", other.type_name()))),
    }
}

/// Sets of strings iterate in lexical order, as in Terraform.
fn toset(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::List(items) => Ok(Value::List(set_of(items))),
        other => Ok(other),
    }
}

fn set_of(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    out
}

fn concat(args: Vec<Value>) -> R {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            Value::List(items) => out.extend(items),
            Value::Unknown => return Ok(Value::Unknown),
            other => {
                return Err(err(format!(
                    "concat expects lists, got {}",
                    other.type_name()
                )));
            }
        }
    }
    Ok(Value::List(out))
}

fn compact(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    let items = as_list(args.remove(0))?;
    Ok(Value::List(
        items
            .into_iter()
            .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
            .collect(),
    ))
}

fn replace(args: Vec<Value>) -> R {
    let [s, from, to] = fixed(&args)?;
    let (s, from, to) = (as_string(s)?, as_string(from)?, as_string(to)?);
    if from.len() > 2 && from.starts_with('/') && from.ends_with('/') {
        // Regular-expression replacement is not evaluated.
        return Ok(Value::Unknown);
    }
    Ok(Value::String(s.replace(&from, &to)))
}

fn substr(args: Vec<Value>) -> R {
    let [s, offset, length] = fixed(&args)?;
    let s: Vec<char> = as_string(s)?.chars().collect();
    let offset = as_number(offset)? as i64;
    let length = as_number(length)? as i64;
    let len = s.len() as i64;
    let start = if offset < 0 {
        (len + offset).max(0)
    } else {
        offset.min(len)
    };
    let end = if length < 0 {
        len
    } else {
        (start + length).min(len)
    };
    Ok(Value::String(
        s.get(start as usize..end.max(start) as usize)
            .unwrap_or(&[])
            .iter()
            .collect(),
    ))
}

fn format(args: Vec<Value>) -> R {
    let mut it = args.into_iter();
    let fmt = as_string(
        &it.next()
            .ok_or_else(|| err("format needs a format string"))?,
    )?;
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphabetic() {
                break;
            }
            spec.push(c);
            chars.next();
        }
        let verb = chars
            .next()
            .ok_or_else(|| err("unterminated format verb"))?;
        let arg = it
            .next()
            .ok_or_else(|| err("not enough arguments for format"))?;
        let (zero, width, precision) = parse_spec(&spec);
        let text = match verb {
            's' | 'v' => arg.to_tf_string().unwrap_or_else(|| arg.to_string()),
            'q' => format!("{:?}", as_string(&arg)?),
            'd' => format!("{}", as_number(&arg)?.trunc() as i64),
            'f' => format!("{:.*}", precision.unwrap_or(6), as_number(&arg)?),
            't' => arg
                .as_bool()
                .ok_or_else(|| err("%t needs a bool"))?
                .to_string(),
            other => return Err(err(format!("unsupported format verb %{other}"))),
        };
        let pad = width.saturating_sub(text.chars().count());
        if zero && matches!(verb, 'd' | 'f') {
            out.push_str(&"0".repeat(pad));
            out.push_str(&text);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    Ok(Value::String(out))
}

fn parse_spec(spec: &str) -> (bool, usize, Option<usize>) {
    let zero = spec.starts_with('0');
    let (w, p) = spec
        .split_once('.')
        .map_or((spec, None), |(w, p)| (w, Some(p)));
    let width = w
        .trim_start_matches(['0', '-', '+', ' '])
        .parse()
        .unwrap_or(0);
    (zero, width, p.and_then(|p| p.parse().ok()))
}

fn join(args: Vec<Value>) -> R {
    let mut it = args.into_iter();
    let sep = as_string(&it.next().ok_or_else(|| err("join needs a separator"))?)?;
    let mut parts = Vec::new();
    for list in it {
        for item in as_list(list)? {
            parts.push(as_string(&item)?);
        }
    }
    Ok(Value::String(parts.join(&sep)))
}

fn split(args: Vec<Value>) -> R {
    let [sep, s] = fixed(&args)?;
    let (sep, s) = (as_string(sep)?, as_string(s)?);
    if s.is_empty() {
        return Ok(Value::List(vec![Value::String(String::new())]));
    }
    Ok(Value::List(
        s.split(sep.as_str())
            .map(|p| Value::String(p.to_owned()))
            .collect(),
    ))
}

fn tostring(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::String(as_string(&v)?)),
    }
}

fn tonumber(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Number(as_number(&v)?)),
    }
}

fn tobool(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Null => Ok(Value::Null),
        v => v
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| err("not a bool")),
    }
}

fn element(args: Vec<Value>) -> R {
    arity(&args, 2)?;
    let mut it = args.into_iter();
    let list = as_list(it.next().unwrap_or_default())?;
    let index = as_number(&it.next().unwrap_or_default())? as i64;
    if list.is_empty() {
        return Err(err("element of an empty list"));
    }
    let i = index.rem_euclid(list.len() as i64) as usize;
    list.get(i)
        .cloned()
        .ok_or_else(|| err("index out of range"))
}

fn contains(args: Vec<Value>) -> R {
    arity(&args, 2)?;
    let mut it = args.into_iter();
    let list = as_list(it.next().unwrap_or_default())?;
    let needle = it.next().unwrap_or_default();
    Ok(Value::Bool(list.contains(&needle)))
}

fn zipmap(args: Vec<Value>) -> R {
    arity(&args, 2)?;
    let mut it = args.into_iter();
    let keys = as_list(it.next().unwrap_or_default())?;
    let values = as_list(it.next().unwrap_or_default())?;
    if keys.len() != values.len() {
        return Err(err("zipmap lists differ in length"));
    }
    let mut map = Map::new();
    for (k, v) in keys.iter().zip(values) {
        map.insert(as_string(k)?, v, None);
    }
    Ok(Value::Map(map))
}

fn flatten(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    fn walk(v: Value, out: &mut Vec<Value>) {
        match v {
            Value::List(items) => items.into_iter().for_each(|i| walk(i, out)),
            other => out.push(other),
        }
    }
    let mut out = Vec::new();
    for item in as_list(args.remove(0))? {
        walk(item, &mut out);
    }
    Ok(Value::List(out))
}

fn distinct(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for item in as_list(args.remove(0))? {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(Value::List(out))
}

fn jsonencode(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    Ok(Value::String(to_json(&args.remove(0)).to_string()))
}

/// A list, map or null argument is an error, as in Terraform, so that
/// `try(jsondecode(var.x), var.x)` falls back to `var.x` when it is already
/// a list or map; only an unknown argument gives an unknown result. Numbers
/// and bools convert to strings first, as Terraform converts arguments.
fn jsondecode(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    match args.remove(0) {
        Value::Unknown => Ok(Value::Unknown),
        v => match v.to_tf_string() {
            Some(text) => serde_json::from_str(&text)
                .map(|json| from_json(&json))
                .map_err(|e| err(format!("invalid JSON: {e}"))),
            None => Err(err(format!(
                "jsondecode expects a string, got {}",
                v.type_name()
            ))),
        },
    }
}

fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Unknown, Value::Number),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                map.insert(k.clone(), from_json(v), None);
            }
            Value::Map(map)
        }
    }
}

pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Unknown => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            serde_json::Value::from(*n as i64)
        }
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => serde_json::Value::Object(
            m.entries
                .iter()
                .map(|(k, e)| (k.clone(), to_json(&e.value)))
                .collect(),
        ),
    }
}

fn minmax(args: Vec<Value>, f: fn(f64, f64) -> f64) -> R {
    let mut acc: Option<f64> = None;
    for a in &args {
        let n = as_number(a)?;
        acc = Some(acc.map_or(n, |x| f(x, n)));
    }
    acc.map(Value::Number)
        .ok_or_else(|| err("needs at least one number"))
}

fn range(args: Vec<Value>) -> R {
    let nums = args.iter().map(as_number).collect::<Result<Vec<_>, _>>()?;
    let (start, end, step) = match nums.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err(err("range expects 1 to 3 arguments")),
    };
    if step == 0.0 {
        return Err(err("range step is zero"));
    }
    let count = ((end - start) / step).ceil();
    if !(0.0..=1_000_000.0).contains(&count) {
        return if count < 0.0 {
            Ok(Value::List(Vec::new()))
        } else {
            Err(err("range too large"))
        };
    }
    Ok(Value::List(
        (0..count as usize)
            .map(|i| Value::Number(start + step * i as f64))
            .collect(),
    ))
}

fn reverse(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    let mut items = as_list(args.remove(0))?;
    items.reverse();
    Ok(Value::List(items))
}

fn sort(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    let items = as_list(args.remove(0))?;
    let mut strings = items.iter().map(as_string).collect::<Result<Vec<_>, _>>()?;
    strings.sort();
    Ok(Value::List(
        strings.into_iter().map(Value::String).collect(),
    ))
}

fn setunion(args: Vec<Value>) -> R {
    let mut all = Vec::new();
    for a in args {
        all.extend(as_list(a)?);
    }
    Ok(Value::List(set_of(all)))
}

fn one_of(mut args: Vec<Value>) -> R {
    arity(&args, 1)?;
    let items = as_list(args.remove(0))?;
    match items.len() {
        0 => Ok(Value::Null),
        1 => Ok(items.into_iter().next().unwrap_or_default()),
        _ => Err(err("one() of a list with more than one element")),
    }
}

fn all_any(mut args: Vec<Value>, all: bool) -> R {
    arity(&args, 1)?;
    let items = as_list(args.remove(0))?;
    let bools = items
        .iter()
        .map(|v| v.as_bool().ok_or_else(|| err("expected bools")));
    let mut acc = all;
    for b in bools {
        let b = b?;
        acc = if all { acc && b } else { acc || b };
    }
    Ok(Value::Bool(acc))
}

fn slice(args: Vec<Value>) -> R {
    arity(&args, 3)?;
    let mut it = args.into_iter();
    let list = as_list(it.next().unwrap_or_default())?;
    let start = as_number(&it.next().unwrap_or_default())? as usize;
    let end = as_number(&it.next().unwrap_or_default())? as usize;
    list.get(start..end)
        .map(|s| Value::List(s.to_vec()))
        .ok_or_else(|| err("slice out of range"))
}

/// Exposed for tests and for `for_each` keys.
pub fn string_key(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(format_number(*n)),
        other => other.to_tf_string(),
    }
}

#[allow(dead_code)]
fn map_of(pairs: &[(&str, Value)]) -> Value {
    let mut entries = BTreeMap::new();
    for (k, v) in pairs {
        entries.insert(
            (*k).to_owned(),
            Entry {
                value: v.clone(),
                origin: None,
            },
        );
    }
    Value::Map(Map {
        entries,
        partial: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn merge_keeps_known_keys_of_partial_maps() {
        let base = map_of(&[("owner", s("team-a")), ("env", s("dev"))]);
        let merged = call("merge", vec![base.clone(), Value::Unknown]).unwrap();
        let m = merged.as_map().unwrap();
        assert!(m.partial);
        assert!(m.entries.contains_key("owner"));
        // the unknown map may override the value
        assert_eq!(m.get("owner"), Some(&Value::Unknown));
        let merged = call("merge", vec![Value::Unknown, base.clone()]).unwrap();
        assert_eq!(merged.as_map().unwrap().get("owner"), Some(&s("team-a")));
        // Later maps win; keys of earlier ones stay.
        let later = map_of(&[("owner", s("team-b")), ("cost", s("42"))]);
        let merged = call("merge", vec![base, Value::Null, later]).unwrap();
        let m = merged.as_map().unwrap();
        assert_eq!(m.get("owner"), Some(&s("team-b")));
        assert_eq!(m.get("env"), Some(&s("dev")));
        assert_eq!(m.get("cost"), Some(&s("42")));
        assert!(!m.partial);
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            call("format", vec![s("%s-%03d"), s("web"), Value::Number(7.0)]).unwrap(),
            s("web-007")
        );
        assert_eq!(
            call("title", vec![s("hello world")]).unwrap(),
            s("Hello World")
        );
        assert_eq!(
            call(
                "substr",
                vec![s("hello"), Value::Number(1.0), Value::Number(3.0)]
            )
            .unwrap(),
            s("ell")
        );
        assert_eq!(
            call("join", vec![s("-"), Value::List(vec![s("a"), s("b")])]).unwrap(),
            s("a-b")
        );
        assert_eq!(call("lower", vec![Value::Unknown]).unwrap(), Value::Unknown);
    }

    #[test]
    fn collection_functions() {
        let l = Value::List(vec![s("b"), s("a"), s("b")]);
        assert_eq!(
            call("toset", vec![l.clone()]).unwrap(),
            Value::List(vec![s("a"), s("b")])
        );
        assert_eq!(
            call("length", vec![Value::List(vec![Value::Unknown])]).unwrap(),
            Value::Number(1.0)
        );
        assert_eq!(
            call("lookup", vec![map_of(&[]), s("x"), s("d")]).unwrap(),
            s("d")
        );
        assert_eq!(
            call("lookup", vec![Value::Map(Map::unknown()), s("x"), s("d")]).unwrap(),
            Value::Unknown
        );
        assert_eq!(
            call("coalesce", vec![Value::Null, s(""), s("x")]).unwrap(),
            s("x")
        );
        assert_eq!(
            call("element", vec![l, Value::Number(4.0)]).unwrap(),
            s("a")
        );
        assert_eq!(
            call("jsonencode", vec![map_of(&[("a", Value::Number(1.0))])]).unwrap(),
            s("{\"a\":1}")
        );
        assert_eq!(call("uuid", vec![]).unwrap(), Value::Unknown);
    }

    #[test]
    fn jsondecode_decodes_strings_and_rejects_everything_else() {
        assert_eq!(
            call(
                "jsondecode",
                vec![s(r#"{"a": [1, 2.5, true, null, "x"], "b": {}}"#)]
            )
            .unwrap(),
            map_of(&[
                (
                    "a",
                    Value::List(vec![
                        Value::Number(1.0),
                        Value::Number(2.5),
                        Value::Bool(true),
                        Value::Null,
                        s("x"),
                    ])
                ),
                ("b", map_of(&[])),
            ])
        );
        assert_eq!(
            call("jsondecode", vec![s("3")]).unwrap(),
            Value::Number(3.0)
        );
        assert_eq!(
            call("jsondecode", vec![Value::Unknown]).unwrap(),
            Value::Unknown
        );
        // Errors, which `try` and `can` take for failure.
        assert!(call("jsondecode", vec![s("{")]).is_err());
        assert!(call("jsondecode", vec![s("")]).is_err());
        assert!(call("jsondecode", vec![Value::List(vec![])]).is_err());
        assert!(call("jsondecode", vec![Value::List(vec![Value::Unknown])]).is_err());
        assert!(call("jsondecode", vec![Value::Map(Map::unknown())]).is_err());
        assert!(call("jsondecode", vec![Value::Null]).is_err());
        // Primitives convert to strings first.
        assert_eq!(
            call("jsondecode", vec![Value::Number(1.0)]).unwrap(),
            Value::Number(1.0)
        );
        assert_eq!(
            call("jsondecode", vec![Value::Bool(true)]).unwrap(),
            Value::Bool(true)
        );
        assert!(call("jsondecode", vec![]).is_err());
    }
}
