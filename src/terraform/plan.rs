//! Terraform plans (`terraform show -json`): the planned values of every
//! instance, with what Terraform resolved (remote modules, data sources,
//! `tags_all`), turned into the same model rules read. When the
//! configuration's `.tf` files are beside the plan, findings are moved to
//! their source spans.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ast::{Attribute, Block, Body, Expr, ExprKind};
use super::json::{self, Json, JsonKind};
use super::literal_json;
use super::module::{
    Builder, InstanceKey, Mode, ModuleConfig, ParsedFile, ProviderDecl, ProviderRef, ResourceDecl,
    normalize,
};
use crate::finding::{Diagnostic, FileId, Loc};
use crate::rules::codes;
use crate::source::{FileKind, Span};

/// Builds the model of a plan into `builder`; returns false when the file
/// is not a readable plan (a finding says why).
pub fn build(builder: &mut Builder<'_>, path: &Path) -> bool {
    let Some((file, source)) = builder.load_file(path, FileKind::Plan) else {
        return false;
    };
    let root = match json::parse_bounded(&source.text, builder.max_nesting_depth()) {
        Ok(r) => r,
        Err(err) => {
            builder.diagnostics.push(Diagnostic::new(
                codes::SYNTAX_ERROR,
                Loc::new(file, Span::empty(err.offset)),
                err.message,
            ));
            return false;
        }
    };
    let Some(planned) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    else {
        builder.diagnostics.push(Diagnostic::new(
            codes::SYNTAX_ERROR,
            Loc::new(file, Span::empty(root.span.start)),
            "not a Terraform plan: no `planned_values.root_module` (create it with `terraform show -json plan.out`)",
        ));
        return false;
    };
    let unknown = unknown_attributes(&root);
    let configuration = root.get("configuration");
    let provider_keys = provider_keys(configuration);
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);

    // Provider configurations, evaluated from their constant expressions.
    let mut providers_body = Body::default();
    let mut provider_decls = Vec::new();
    if let Some(configs) = configuration
        .and_then(|c| c.get("provider_config"))
        .and_then(Json::as_object)
    {
        for (key, _, config) in configs {
            let name = config
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or(key)
                .to_owned();
            let alias = config
                .get("alias")
                .and_then(Json::as_str)
                .map(str::to_owned);
            let body = constant_body(config.get("expressions"));
            provider_decls.push((
                key.clone(),
                ProviderDecl {
                    name,
                    alias,
                    at: Default::default(),
                },
            ));
            providers_body.blocks.push(Block {
                ident: "provider".into(),
                ident_span: config.span,
                labels: vec![(key.clone(), config.span)],
                body,
                span: config.span,
            });
        }
    }

    let mut modules = Vec::new();
    collect_modules(planned, &mut modules);
    let mut first = true;
    let mut root_instance = None;
    let mut provider_map: crate::fast::HashMap<String, ProviderRef> = Default::default();
    for module in modules {
        let address = module
            .get("address")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_owned();
        let mut body = Body::default();
        if first {
            body.blocks.append(&mut providers_body.blocks);
        }
        let mut decls = Vec::new();
        for resource in module
            .get("resources")
            .and_then(Json::as_array)
            .unwrap_or(&[])
        {
            let (Some(rtype), Some(name)) = (
                resource.get("type").and_then(Json::as_str),
                resource.get("name").and_then(Json::as_str),
            ) else {
                continue;
            };
            let mode = match resource.get("mode").and_then(Json::as_str) {
                Some("data") => Mode::Data,
                _ => Mode::Managed,
            };
            let key = match resource.get("index").map(|i| &i.kind) {
                Some(JsonKind::Number(n)) if *n >= 0.0 => InstanceKey::Int(*n as usize),
                Some(JsonKind::String(s, _)) => InstanceKey::Str(s.clone()),
                _ => InstanceKey::None,
            };
            let res_address = resource.get("address").and_then(Json::as_str).unwrap_or("");
            let mut block_body = values_body(resource.get("values"), unknown.get(res_address));
            if let Some(key) = provider_keys.get(&config_address(res_address)) {
                block_body.attributes.push(Attribute {
                    name: "provider".into(),
                    name_span: resource.span,
                    expr: Expr::new(ExprKind::String(key.clone()), resource.span),
                    span: resource.span,
                });
            }
            decls.push(ResourceDecl {
                mode,
                rtype: rtype.to_owned(),
                name: name.to_owned(),
                at: super::module::BlockRef {
                    file: 0,
                    block: body.blocks.len(),
                },
                fixed_key: Some(key),
                overridden: false,
            });
            body.blocks.push(Block {
                ident: if mode == Mode::Data {
                    "data".into()
                } else {
                    "resource".into()
                },
                ident_span: resource.span,
                labels: vec![
                    (rtype.to_owned(), resource.span),
                    (name.to_owned(), resource.span),
                ],
                body: block_body,
                span: resource.span,
            });
        }
        let mut config = ModuleConfig {
            dir: dir.join(format!(
                "{}#{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("plan"),
                address
            )),
            files: vec![ParsedFile {
                id: file,
                body: std::sync::Arc::new(body),
                is_override: false,
            }],
            from_plan: true,
            ..ModuleConfig::default()
        };
        if first {
            for (i, (_, decl)) in provider_decls.iter().enumerate() {
                config.providers.push(ProviderDecl {
                    at: super::module::BlockRef { file: 0, block: i },
                    ..decl.clone()
                });
            }
        }
        for (i, d) in decls.iter().enumerate() {
            config
                .resource_index
                .entry((d.mode, d.rtype.clone(), d.name.clone()))
                .or_insert(i);
        }
        config.resources = decls;
        let config_id = builder.model.configs.len();
        builder.model.configs.push(config);
        let instance = builder.new_instance(config_id, address, None);
        if first {
            for (i, (key, _)) in provider_decls.iter().enumerate() {
                provider_map.insert(key.clone(), ProviderRef { instance, decl: i });
            }
            root_instance = Some(instance);
            first = false;
        }
        if let Some(inst) = builder.model.instances.get_mut(instance) {
            inst.providers = provider_map.clone();
        }
    }
    root_instance.is_some()
}

fn collect_modules<'a>(module: &'a Json, out: &mut Vec<&'a Json>) {
    out.push(module);
    for child in module
        .get("child_modules")
        .and_then(Json::as_array)
        .unwrap_or(&[])
    {
        collect_modules(child, out);
    }
}

/// `module.a["x"].aws_instance.web[0]` → `module.a.aws_instance.web`: how
/// the configuration section names resources.
fn config_address(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    for c in address.chars() {
        match c {
            '"' => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth = depth.saturating_sub(1),
            _ if depth == 0 && !in_string => out.push(c),
            _ => {}
        }
    }
    out
}

/// Resource address (as in the configuration section) → provider key.
fn provider_keys(configuration: Option<&Json>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    fn walk(module: &Json, prefix: &str, out: &mut HashMap<String, String>) {
        for r in module
            .get("resources")
            .and_then(Json::as_array)
            .unwrap_or(&[])
        {
            if let (Some(a), Some(k)) = (
                r.get("address").and_then(Json::as_str),
                r.get("provider_config_key").and_then(Json::as_str),
            ) {
                out.insert(format!("{prefix}{a}"), k.to_owned());
            }
        }
        for (name, _, call) in module
            .get("module_calls")
            .and_then(Json::as_object)
            .unwrap_or(&[])
        {
            if let Some(child) = call.get("module") {
                walk(child, &format!("{prefix}module.{name}."), out);
            }
        }
    }
    if let Some(root) = configuration.and_then(|c| c.get("root_module")) {
        walk(root, "", &mut out);
    }
    out
}

/// `resource_changes[].change.after_unknown`, by address.
fn unknown_attributes(root: &Json) -> HashMap<String, &Json> {
    let mut out = HashMap::new();
    for change in root
        .get("resource_changes")
        .and_then(Json::as_array)
        .unwrap_or(&[])
    {
        if let (Some(address), Some(unknown)) = (
            change.get("address").and_then(Json::as_str),
            change.get("change").and_then(|c| c.get("after_unknown")),
        ) {
            out.insert(address.to_owned(), unknown);
        }
    }
    out
}

fn is_true(v: Option<&Json>) -> bool {
    matches!(v.map(|v| &v.kind), Some(JsonKind::Bool(true)))
}

/// Planned values as a body: lists of objects are nested blocks (as
/// Terraform's JSON shows them), the rest arguments; what is unknown until
/// apply is an unknown argument.
fn values_body(values: Option<&Json>, unknown: Option<&&Json>) -> Body {
    let mut body = Body::default();
    let Some(values) = values else { return body };
    body.span = values.span;
    let unknown: Option<&Json> = unknown.copied();
    if let Some(entries) = values.as_object() {
        for (key, key_span, value) in entries {
            let u = unknown.and_then(|u| u.get(key));
            if matches!(value.kind, JsonKind::Null) && is_true(u) {
                body.attributes.push(Attribute {
                    name: key.clone(),
                    name_span: *key_span,
                    expr: Expr::new(ExprKind::Invalid, value.span),
                    span: key_span.cover(value.span),
                });
                continue;
            }
            if let Some(items) = value.as_array() {
                if !items.is_empty() && items.iter().all(|i| matches!(i.kind, JsonKind::Object(_)))
                {
                    for (i, item) in items.iter().enumerate() {
                        let item_unknown = u.and_then(|u| u.as_array()).and_then(|a| a.get(i));
                        body.blocks.push(Block {
                            ident: key.clone(),
                            ident_span: *key_span,
                            labels: Vec::new(),
                            body: values_body(Some(item), item_unknown.as_ref()),
                            span: item.span,
                        });
                    }
                    continue;
                }
            }
            body.attributes.push(Attribute {
                name: key.clone(),
                name_span: *key_span,
                expr: literal_json(value),
                span: key_span.cover(value.span),
            });
        }
        // Attributes unknown until apply that the values leave out.
        if let Some(u) = unknown.and_then(Json::as_object) {
            for (key, key_span, flag) in u {
                if is_true(Some(flag)) && values.get(key).is_none() {
                    body.attributes.push(Attribute {
                        name: key.clone(),
                        name_span: *key_span,
                        expr: Expr::new(ExprKind::Invalid, flag.span),
                        span: *key_span,
                    });
                }
            }
        }
    }
    body
}

/// A provider's `expressions`: only constant values are known.
fn constant_body(expressions: Option<&Json>) -> Body {
    let mut body = Body::default();
    for (key, key_span, expr) in expressions.and_then(Json::as_object).unwrap_or(&[]) {
        if let Some(c) = expr.get("constant_value") {
            body.attributes.push(Attribute {
                name: key.clone(),
                name_span: *key_span,
                expr: literal_json(c),
                span: key_span.cover(expr.span),
            });
        } else if let Some(items) = expr.as_array() {
            for item in items {
                body.blocks.push(Block {
                    ident: key.clone(),
                    ident_span: *key_span,
                    labels: Vec::new(),
                    body: constant_body(Some(item)),
                    span: item.span,
                });
            }
        }
    }
    body
}

/// Finds where a planned resource is written in the configuration beside
/// the plan, to point findings at `.tf` lines.
pub struct SourceMap {
    /// Module call path → the directory of that module.
    dirs: HashMap<Vec<String>, PathBuf>,
}

impl SourceMap {
    /// Reads the module sources from the plan's configuration section;
    /// `None` when the plan's directory has no Terraform files.
    pub fn new(
        builder: &mut Builder<'_>,
        plan: &Path,
        fs: &dyn crate::source::fs::FileSystem,
    ) -> Option<SourceMap> {
        let root = plan.parent()?.to_path_buf();
        let has_tf = fs.files_in(&root).ok()?.iter().any(|p| {
            matches!(
                FileKind::from_path(p),
                Some(FileKind::Terraform | FileKind::TerraformJson)
            )
        });
        if !has_tf {
            return None;
        }
        let mut map = SourceMap {
            dirs: HashMap::new(),
        };
        map.dirs.insert(Vec::new(), root.clone());
        // Module directories from the configuration's sources.
        let text = builder
            .files
            .find(plan)
            .and_then(|id| builder.files.get(id).cloned())?;
        let parsed = json::parse(&text.text).ok()?;
        fn walk(
            module: &Json,
            path: Vec<String>,
            dir: &Path,
            out: &mut HashMap<Vec<String>, PathBuf>,
        ) {
            for (name, _, call) in module
                .get("module_calls")
                .and_then(Json::as_object)
                .unwrap_or(&[])
            {
                let Some(source) = call.get("source").and_then(Json::as_str) else {
                    continue;
                };
                if !(source.starts_with("./") || source.starts_with("../")) {
                    continue;
                }
                let child_dir = normalize(&dir.join(source));
                let mut child_path = path.clone();
                child_path.push(name.clone());
                out.insert(child_path.clone(), child_dir.clone());
                if let Some(child) = call.get("module") {
                    walk(child, child_path, &child_dir, out);
                }
            }
        }
        if let Some(root_module) = parsed
            .get("configuration")
            .and_then(|c| c.get("root_module"))
        {
            walk(root_module, Vec::new(), &root, &mut map.dirs);
        }
        Some(map)
    }

    /// The local module directories the plan's configuration calls.
    pub fn module_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .dirs
            .iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(_, d)| d.clone())
            .collect();
        dirs.sort();
        dirs
    }

    /// The source location of a resource's attribute path, or of the
    /// resource block.
    pub fn locate(
        &self,
        builder: &mut Builder<'_>,
        address: &str,
        attribute: Option<&str>,
    ) -> Option<Loc> {
        let (calls, rtype, name) = split_address(address)?;
        let dir = self.dirs.get(&calls)?.clone();
        let config_id = builder.load_config(&dir);
        let config = builder.model.configs.get(config_id)?;
        let idx = *config.resource_index.get(&(Mode::Managed, rtype, name))?;
        let decl = config.resources.get(idx)?;
        let file = config.file_id(decl.at);
        let block = config.block(decl.at)?;
        let mut body = &block.body;
        let mut best = block.header_span();
        let segments: Vec<&str> = attribute
            .map(|a| a.split('.').collect())
            .unwrap_or_default();
        let mut i = 0;
        while let Some(seg) = segments.get(i) {
            if let Some(attr) = body.attr(seg) {
                best = attr.expr.span;
                break;
            }
            let index: usize = segments
                .get(i + 1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            match body.blocks_named(seg).nth(index) {
                Some(b) => {
                    best = b.span;
                    body = &b.body;
                    i += if segments
                        .get(i + 1)
                        .is_some_and(|n| n.parse::<usize>().is_ok())
                    {
                        2
                    } else {
                        1
                    };
                }
                None => break,
            }
        }
        Some(Loc::new(file, best))
    }
}

/// `module.a["x"].module.b.aws_instance.web[0]` → ([a, b], type, name).
fn split_address(address: &str) -> Option<(Vec<String>, String, String)> {
    let plain = config_address(address);
    let parts: Vec<&str> = plain.split('.').collect();
    let mut calls = Vec::new();
    let mut i = 0;
    while parts.get(i) == Some(&"module") {
        calls.push((*parts.get(i + 1)?).to_owned());
        i += 2;
    }
    if parts.get(i) == Some(&"data") {
        return None;
    }
    Some((
        calls,
        (*parts.get(i)?).to_owned(),
        (*parts.get(i + 1)?).to_owned(),
    ))
}

/// Moves each finding on a planned resource to its `.tf` source when the
/// configuration is beside the plan.
pub fn relocate(
    builder: &mut Builder<'_>,
    map: &SourceMap,
    diagnostics: &mut [Diagnostic],
    plan_file: FileId,
) {
    for d in diagnostics.iter_mut() {
        if d.at.file != plan_file {
            continue;
        }
        let Some(address) = d.resource.clone() else {
            continue;
        };
        if let Some(loc) = map.locate(builder, &address, d.attribute.as_deref()) {
            let plan_loc = d.at;
            d.at = loc;
            d.related.push((plan_loc, "planned value".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            config_address("module.a[\"x.y\"].aws_instance.web[0]"),
            "module.a.aws_instance.web"
        );
        assert_eq!(
            split_address("module.a[0].module.b.aws_s3_bucket.c[\"k\"]"),
            Some((
                vec!["a".into(), "b".into()],
                "aws_s3_bucket".into(),
                "c".into()
            ))
        );
        assert_eq!(split_address("data.aws_ami.x"), None);
    }
}
