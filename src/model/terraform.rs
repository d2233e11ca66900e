//! Terraform resources as rules see them: one per instance, with evaluated
//! arguments, effective tags, provider, region and environment.

use std::hash::BuildHasher;

use crate::fast::HashMap;
use std::sync::{Arc, OnceLock};

use super::{EnvClass, Environments, same_key};
use crate::finding::{FileId, Loc};
use crate::source::Files;
use crate::source::Span;
use crate::terraform::ast::{Attribute, Block, Body, ExprKind};
use crate::terraform::eval::{Evaluator, Scope};
use crate::terraform::module::{
    Expansion, InstanceId, InstanceKey, Mode, Model, ProviderRef, expansions, provider_key,
};
use crate::terraform::value::{Map, Value};

/// One root module with everything it expands into.
pub struct Module<'a> {
    pub model: &'a Model,
    pub files: &'a Files,
    pub environments: &'a Environments,
    resources: Vec<Resource<'a>>,
    /// Hash of (module instance, type, name) → indices into `resources`,
    /// so a reference is resolved without a scan of the whole module.
    by_block: HashMap<u64, Vec<usize>>,
    hasher: foldhash::fast::RandomState,
}

impl<'a> Module<'a> {
    pub fn new(model: &'a Model, files: &'a Files, environments: &'a Environments) -> Self {
        // At least one instance per declaration: spares most regrowth.
        let declared = model
            .instances
            .iter()
            .filter_map(|inst| model.configs.get(inst.config))
            .map(|config| config.resources.len())
            .sum();
        let mut resources = Vec::with_capacity(declared);
        let eval = Evaluator::new(model);
        for (instance, inst) in model.instances.iter().enumerate() {
            let Some(config) = model.configs.get(inst.config) else {
                continue;
            };
            // A plan lists every instance as its own block.
            let mut plan_counts: std::collections::HashMap<(&str, &str), usize> =
                std::collections::HashMap::new();
            if config.from_plan {
                for d in &config.resources {
                    *plan_counts
                        .entry((d.rtype.as_str(), d.name.as_str()))
                        .or_default() += 1;
                }
            }
            for decl in &config.resources {
                if decl.mode != Mode::Managed || decl.overridden {
                    continue;
                }
                let Some(block) = config.block(decl.at) else {
                    continue;
                };
                let file = config.file_id(decl.at);
                let block_address = join_address(&inst.address, &decl.rtype, &decl.name);
                let all = match &decl.fixed_key {
                    Some(key) => vec![Expansion {
                        key: key.clone(),
                        bindings: Default::default(),
                    }],
                    None => expansions(&eval, &block.body, &Scope::new(instance, file)),
                };
                let count = match &decl.fixed_key {
                    Some(_) => plan_counts
                        .get(&(decl.rtype.as_str(), decl.name.as_str()))
                        .copied()
                        .unwrap_or(1),
                    None => all.len(),
                };
                for expansion in all {
                    // Built once: rules read many arguments of each instance,
                    // and `each.value` can be a large map.
                    let scope = Scope::new(instance, file).with_bindings(&expansion.bindings);
                    resources.push(Resource {
                        model,
                        environments,
                        instance,
                        rtype: &decl.rtype,
                        name: &decl.name,
                        block,
                        file,
                        address: expansion.key.address(&block_address),
                        block_address: block_address.clone(),
                        instances_of_block: count,
                        expansion,
                        scope,
                        tags: OnceLock::new(),
                        environment: OnceLock::new(),
                        env_tag: OnceLock::new(),
                    });
                }
            }
        }
        let hasher = foldhash::fast::RandomState::default();
        let mut by_block: HashMap<u64, Vec<usize>> = HashMap::default();
        for (i, r) in resources.iter().enumerate() {
            by_block
                .entry(hasher.hash_one((r.instance, r.rtype, r.name)))
                .or_default()
                .push(i);
        }
        Module {
            model,
            files,
            environments,
            resources,
            by_block,
            hasher,
        }
    }

    pub fn resources(&self) -> &[Resource<'a>] {
        &self.resources
    }

    pub fn of_type<'s>(&'s self, types: &'s [&str]) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.resources
            .iter()
            .filter(move |r| types.contains(&r.rtype))
    }

    /// A resource instance by type and name in the given module instance.
    pub fn find(
        &self,
        instance: InstanceId,
        rtype: &str,
        name: &str,
    ) -> impl Iterator<Item = &Resource<'a>> {
        self.by_block
            .get(&self.hasher.hash_one((instance, rtype, name)))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.resources.get(i))
            .filter(move |r| r.instance == instance && r.rtype == rtype && r.name == name)
    }
}

/// `module.app.aws_instance.web`, built without the formatting machinery:
/// every resource instance of a run needs one.
fn join_address(module: &str, rtype: &str, name: &str) -> String {
    let mut out = String::with_capacity(module.len() + rtype.len() + name.len() + 2);
    if !module.is_empty() {
        out.push_str(module);
        out.push('.');
    }
    out.push_str(rtype);
    out.push('.');
    out.push_str(name);
    out
}

/// A resource instance.
pub struct Resource<'a> {
    pub model: &'a Model,
    environments: &'a Environments,
    pub instance: InstanceId,
    pub rtype: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
    /// `module.app.aws_instance.web["a"]`
    pub address: String,
    /// `module.app.aws_instance.web`
    pub block_address: String,
    /// How many instances the block has here (1 when unknown).
    pub instances_of_block: usize,
    /// The instance's key; its bindings live in `scope`.
    pub expansion: Expansion,
    scope: Scope,
    tags: OnceLock<TagSet>,
    /// Environment name, where it is set, and its class.
    environment: OnceLock<Option<(String, Option<Loc>, EnvClass)>>,
    env_tag: OnceLock<EnvTag>,
}

/// The environment as caps and pricing rules read it: the value of the
/// highest-ranked environment tag whose value is not null. Unlike a lookup
/// that skips unknown values, an unknown value makes the environment
/// unknown, so a lower-ranked tag cannot stand in for it.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvTag {
    Known {
        name: String,
        origin: Option<Loc>,
        class: EnvClass,
    },
    /// A tag whose value is not known statically, or tags that may hide one.
    Unknown,
    Missing,
}

impl EnvTag {
    pub fn of(tags: &TagSet, environments: &Environments) -> EnvTag {
        let mut best = None;
        for (key, entry) in &tags.map.entries {
            if entry.value == Value::Null {
                continue;
            }
            if let Some(rank) = environments.is_env_key(key) {
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, entry));
                }
            }
        }
        match best {
            Some((_, entry)) => match entry.value.to_tf_string() {
                Some(name) => EnvTag::Known {
                    class: environments.classify(&name),
                    name,
                    origin: entry.origin,
                },
                None => EnvTag::Unknown,
            },
            None if tags.map.partial => EnvTag::Unknown,
            None => EnvTag::Missing,
        }
    }
}

/// An argument with its evaluated value.
#[derive(Debug, Clone)]
pub struct Arg<'a> {
    pub attr: &'a Attribute,
    pub file: FileId,
    pub value: Value,
    /// Where a literal value was written, when it came through references.
    pub origin: Option<Loc>,
}

impl Arg<'_> {
    pub fn loc(&self) -> Loc {
        Loc::new(self.file, self.attr.expr.span)
    }

    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }

    /// A secondary location worth showing: where the value was written, if
    /// that is not the argument itself.
    pub fn origin_elsewhere(&self) -> Option<Loc> {
        self.origin.filter(|o| *o != self.loc())
    }
}

/// A nested block (static or from a `dynamic` block) of a resource.
#[derive(Debug, Clone)]
pub struct Nested<'a> {
    pub block: &'a Block,
    pub body: &'a Body,
    pub file: FileId,
    pub scope: Scope,
    /// Path from the resource, e.g. `root_block_device` or `ebs.0`.
    pub path: String,
}

/// Effective tags or labels, with where every key was written.
#[derive(Debug, Clone, Default)]
pub struct TagSet {
    pub map: Map,
    /// The resource's own tags argument, when written.
    pub attr: Option<(FileId, Span)>,
    /// Whether this resource type takes tags at all.
    pub supported: bool,
    /// Where provider default tags were declared, when they applied.
    pub defaults_from: Option<Loc>,
    /// Keys of the provider defaults that applied, shared by every
    /// resource using that provider; see [`TagSet::from_defaults`].
    default_keys: Arc<[String]>,
    /// Indices into `default_keys` of keys the resource's own tags set.
    overridden: Vec<usize>,
}

impl TagSet {
    /// Value of a key, matched the normalised way.
    pub fn get(&self, key: &str) -> Option<(&str, &Value, Option<Loc>)> {
        self.map
            .entries
            .iter()
            .find(|(name, _)| same_key(name, key))
            .map(|(name, e)| (name.as_str(), &e.value, e.origin))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Keys whose value comes from the provider defaults (not overridden
    /// by the resource's own tags).
    pub fn from_defaults(&self) -> impl Iterator<Item = &str> {
        self.default_keys
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.overridden.contains(i))
            .map(|(_, key)| key.as_str())
    }
}

impl<'a> Resource<'a> {
    pub fn provider_name(&self) -> &str {
        self.rtype.split('_').next().unwrap_or(self.rtype)
    }

    fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn eval(&self) -> Evaluator<'a> {
        Evaluator::new(self.model)
    }

    pub fn header(&self) -> Loc {
        Loc::new(self.file, self.block.header_span())
    }

    pub fn module_address(&self) -> &str {
        self.model
            .instance(self.instance)
            .map_or("", |i| i.address.as_str())
    }

    /// The `module` block that called this resource's module instance.
    pub fn caller(&self) -> Option<Loc> {
        let call = self.model.instance(self.instance)?.parent.as_ref()?;
        let config = self.model.config_of(call.parent)?;
        let decl = config.calls.get(call.call)?;
        Some(Loc::new(
            config.file_id(decl.at),
            config.block(decl.at)?.header_span(),
        ))
    }

    pub fn is_unknown_instance(&self) -> bool {
        self.expansion.key == InstanceKey::Unknown
    }

    /// Whether this instance has the `count` index or `for_each` key
    /// `key`.
    pub fn has_key(&self, key: &Value) -> bool {
        match (&self.expansion.key, key) {
            (InstanceKey::Int(i), v) => v.as_f64() == Some(*i as f64),
            (InstanceKey::Str(s), v) => v.as_str() == Some(s),
            _ => false,
        }
    }

    pub fn attr(&self, name: &str) -> Option<Arg<'a>> {
        self.arg_in(&self.block.body, name, self.scope())
    }

    fn arg_in(&self, body: &'a Body, name: &str, scope: &Scope) -> Option<Arg<'a>> {
        let attr = body.attr(name)?;
        let traced = self.eval().traced(&attr.expr, scope);
        Some(Arg {
            attr,
            file: scope.file,
            value: traced.value,
            origin: traced.origin,
        })
    }

    /// String value of an argument, when known.
    pub fn str_attr(&self, name: &str) -> Option<(String, Arg<'a>)> {
        let arg = self.attr(name)?;
        let s = arg.value.to_tf_string()?;
        Some((s, arg))
    }

    /// Nested blocks named `name`, including `dynamic "<name>"` blocks
    /// expanded over known collections.
    pub fn blocks(&self, name: &str) -> Vec<Nested<'a>> {
        nested_blocks(
            self.model,
            &self.block.body,
            self.file,
            self.scope(),
            name,
            name,
        )
    }

    pub fn nested_attr(&self, nested: &Nested<'a>, name: &str) -> Option<Arg<'a>> {
        self.arg_in(nested.body, name, &nested.scope)
    }

    /// Blocks under a nested block (`launch_template.override`).
    pub fn nested_blocks(&self, nested: &Nested<'a>, name: &str) -> Vec<Nested<'a>> {
        let path = format!("{}.{name}", nested.path);
        nested_blocks(
            self.model,
            nested.body,
            nested.file,
            &nested.scope,
            name,
            &path,
        )
    }

    /// Other resources this one refers to, through locals, module inputs
    /// and module outputs.
    pub fn references(&self) -> Vec<crate::model::references::Reference> {
        self.references_wanted(crate::model::references::Wanted::ALL)
    }

    /// The references a caller wants, the others not built.
    pub fn references_wanted(
        &self,
        wanted: crate::model::references::Wanted<'_>,
    ) -> Vec<crate::model::references::Reference> {
        crate::model::references::references(self.model, &self.block.body, self.scope(), wanted)
    }

    /// The provider configuration this resource uses.
    pub fn provider(&self) -> Option<(ProviderRef, &'a Block, FileId)> {
        let key = match self.block.body.attr("provider") {
            // A plan names configurations by key (`aws.west`, `app:aws`).
            Some(attr) => attr
                .expr
                .as_path()
                .map(|p| p.join("."))
                .or_else(|| attr.expr.as_literal_str().map(str::to_owned))?,
            None => provider_key(self.provider_name(), None),
        };
        let inst = self.model.instance(self.instance)?;
        let r = *inst.providers.get(&key)?;
        let config = self.model.config_of(r.instance)?;
        let decl = config.providers.get(r.decl)?;
        Some((r, config.block(decl.at)?, config.file_id(decl.at)))
    }

    /// An argument of the provider configuration.
    pub fn provider_attr(&self, name: &str) -> Option<Arg<'a>> {
        let (r, block, file) = self.provider()?;
        let attr = block.body.attr(name)?;
        let traced = self
            .eval()
            .traced(&attr.expr, &Scope::new(r.instance, file));
        Some(Arg {
            attr,
            file,
            value: traced.value,
            origin: traced.origin,
        })
    }

    /// Effective tags: provider defaults under the resource's own.
    pub fn tags(&self) -> &TagSet {
        self.tags.get_or_init(|| self.compute_tags())
    }

    fn compute_tags(&self) -> TagSet {
        let eval = self.eval();
        let scope = self.scope();
        let provider = self.provider_name();
        let mut set = TagSet {
            supported: tags_supported(self.rtype),
            ..TagSet::default()
        };
        let from_plan = self
            .model
            .config_of(self.instance)
            .is_some_and(|c| c.from_plan);
        // A plan has the merged result: `tags_all`, `terraform_labels`.
        let merged = match provider {
            "aws" => "tags_all",
            "google" => "terraform_labels",
            _ => "",
        };
        if from_plan && !merged.is_empty() && self.block.body.attr(merged).is_some() {
            if let Some((value, file, span)) = self.value_at_path(&eval, scope, &[merged]) {
                set.attr = Some((file, span));
                if value.is_known() {
                    merge_into(&mut set.map, value);
                    return set;
                }
                // Unknown until apply: the resource's own tags are known to
                // be there, more may come.
                set.map.partial = true;
            }
        }
        // Provider defaults first, so the resource's own keys win.
        if set.supported && !from_plan && provider_defaults_apply(self.rtype) {
            if let Some((r, block, file)) = self.provider() {
                let attr = match provider {
                    "aws" => block
                        .body
                        .block("default_tags")
                        .and_then(|b| b.body.attr("tags")),
                    "google" => block.body.attr("default_labels"),
                    _ => None,
                };
                let defaults = attr.map(|a| (self.provider_default_tags(r, &eval, a, file), a));
                if let Some(((value, keys), attr)) = defaults {
                    set.defaults_from = Some(Loc::new(file, attr.span));
                    // The set is empty before the defaults: their keys are
                    // what it holds after them.
                    merge_into(&mut set.map, value);
                    set.default_keys = keys;
                }
            }
        }
        for path in tag_paths(self.rtype) {
            if let Some((value, file, span)) = self.value_at_path(&eval, scope, path) {
                set.attr.get_or_insert((file, span));
                if let Value::Map(own) = &value {
                    for (i, key) in set.default_keys.iter().enumerate() {
                        if own.entries.contains_key(key) && !set.overridden.contains(&i) {
                            set.overridden.push(i);
                        }
                    }
                }
                merge_into(&mut set.map, value);
            }
        }
        if self.rtype == "aws_autoscaling_group" {
            for tag in self.blocks("tag") {
                let key = self.nested_attr(&tag, "key");
                let value = self.nested_attr(&tag, "value");
                match key.as_ref().and_then(|k| k.value.to_tf_string()) {
                    Some(k) => {
                        let origin = key.as_ref().map(|a| Loc::new(a.file, a.attr.span));
                        set.map
                            .insert(k, value.map_or(Value::Unknown, |v| v.value), origin);
                    }
                    None => set.map.partial = true,
                }
            }
        }
        set
    }

    /// A provider's default tags and their keys, evaluated once per
    /// provider declaration and module instance rather than once per
    /// resource.
    fn provider_default_tags(
        &self,
        r: ProviderRef,
        eval: &Evaluator<'a>,
        attr: &Attribute,
        file: FileId,
    ) -> (Value, Arc<[String]>) {
        let cache = self
            .model
            .instance(r.instance)
            .map(|i| &i.default_tags_cache);
        if let Some(v) = cache
            .and_then(|c| c.lock().ok())
            .and_then(|c| c.get(&r.decl).cloned())
        {
            return v;
        }
        let value = eval.value(&attr.expr, &Scope::new(r.instance, file));
        let keys: Arc<[String]> = match &value {
            Value::Map(m) => m.entries.keys().cloned().collect(),
            _ => Arc::default(),
        };
        if let Some(mut c) = cache.and_then(|c| c.lock().ok()) {
            c.insert(r.decl, (value.clone(), keys.clone()));
        }
        (value, keys)
    }

    /// Evaluates a dotted path of argument / nested block names.
    fn value_at_path(
        &self,
        eval: &Evaluator<'a>,
        scope: &Scope,
        path: &[&str],
    ) -> Option<(Value, FileId, Span)> {
        let (last, parents) = path.split_last()?;
        let mut body = &self.block.body;
        let mut scope = scope.clone();
        for name in parents {
            let nested = nested_blocks(self.model, body, self.file, &scope, name, name)
                .into_iter()
                .next()?;
            body = nested.body;
            scope = nested.scope;
        }
        let attr = body.attr(last)?;
        Some((eval.value(&attr.expr, &scope), scope.file, attr.expr.span))
    }

    /// The environment name from the first environment tag, with where it
    /// was written.
    /// `None` also when the deciding tag's value is unknown: a lower-ranked
    /// tag must not stand in for it.
    pub fn environment(&self) -> Option<(String, Option<Loc>)> {
        self.environment_and_class()
            .map(|(name, loc, _)| (name.clone(), *loc))
    }

    pub fn env_class(&self) -> Option<EnvClass> {
        self.environment_and_class().map(|(_, _, class)| *class)
    }

    /// [`EnvTag`] under `environments`; computed once per resource for the
    /// environments it was built with.
    pub fn env_tag(&self, environments: &Environments) -> std::borrow::Cow<'_, EnvTag> {
        if std::ptr::eq(environments, self.environments) {
            std::borrow::Cow::Borrowed(
                self.env_tag
                    .get_or_init(|| EnvTag::of(self.tags(), self.environments)),
            )
        } else {
            std::borrow::Cow::Owned(EnvTag::of(self.tags(), environments))
        }
    }

    /// Every rule asks; computed once per resource.
    fn environment_and_class(&self) -> Option<&(String, Option<Loc>, EnvClass)> {
        self.environment
            .get_or_init(|| {
                let tags = self.tags();
                let mut best: Option<(usize, Option<String>, Option<Loc>)> = None;
                for (key, entry) in &tags.map.entries {
                    if let Some(rank) = self.environments.is_env_key(key) {
                        if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                            best = Some((rank, entry.value.to_tf_string(), entry.origin));
                        }
                    }
                }
                let (_, value, origin) = best?;
                let name = value?;
                let class = self.environments.classify(&name);
                Some((name, origin, class))
            })
            .as_ref()
    }

    /// The region this resource runs in, when known.
    pub fn region(&self) -> Option<(String, Option<Loc>)> {
        let own = |name: &str| {
            self.attr(name)
                .and_then(|a| Some((a.value.to_tf_string()?, Some(a.loc()))))
        };
        match self.provider_name() {
            "aws" => own("region")
                .or_else(|| {
                    own("availability_zone")
                        .and_then(|(z, l)| Some((crate::model::aws_zone_region(&z)?, l)))
                })
                .or_else(|| {
                    self.provider_attr("region")
                        .and_then(|a| Some((a.value.to_tf_string()?, Some(a.loc()))))
                }),
            "google" => own("region")
                .or_else(|| own("location"))
                .or_else(|| own("zone").map(|(z, l)| (crate::model::gcp_zone_region(&z), l)))
                .or_else(|| {
                    self.provider_attr("region")
                        .and_then(|a| Some((a.value.to_tf_string()?, Some(a.loc()))))
                })
                .or_else(|| {
                    self.provider_attr("zone").and_then(|a| {
                        Some((
                            crate::model::gcp_zone_region(&a.value.to_tf_string()?),
                            Some(a.loc()),
                        ))
                    })
                }),
            "azurerm" => own("location").map(|(l, loc)| (l.to_lowercase().replace(' ', ""), loc)),
            _ => None,
        }
    }
}

fn merge_into(map: &mut Map, value: Value) {
    match value {
        Value::Map(m) => {
            if m.partial {
                for e in map.entries.values_mut() {
                    e.value = Value::Unknown;
                }
                map.partial = true;
            }
            // The smaller map is inserted into the larger (the first merge
            // into an empty set is a move): each insertion searches and
            // may split the tree. Later keys win either way.
            if map.entries.len() < m.entries.len() {
                let mut merged = m.entries;
                for (key, entry) in std::mem::take(&mut map.entries) {
                    merged.entry(key).or_insert(entry);
                }
                map.entries = merged;
            } else {
                map.entries.extend(m.entries);
            }
        }
        Value::Null => {}
        _ => {
            for e in map.entries.values_mut() {
                e.value = Value::Unknown;
            }
            map.partial = true;
        }
    }
}

fn nested_blocks<'a>(
    model: &'a Model,
    body: &'a Body,
    file: FileId,
    scope: &Scope,
    name: &str,
    path: &str,
) -> Vec<Nested<'a>> {
    let mut out: Vec<Nested<'a>> = Vec::new();
    let mut index = 0usize;
    for block in body.blocks_named(name) {
        out.push(Nested {
            block,
            body: &block.body,
            file,
            scope: scope.clone(),
            path: format!("{path}.{index}"),
        });
        index += 1;
    }
    for dynamic in body
        .blocks_named("dynamic")
        .filter(|b| b.label(0) == Some(name))
    {
        let Some(content) = dynamic.body.block("content") else {
            continue;
        };
        let iterator = dynamic
            .body
            .attr("iterator")
            .and_then(|a| match &a.expr.kind {
                ExprKind::Variable(v) => Some(v.clone()),
                _ => a.expr.as_literal_str().map(str::to_owned),
            })
            .unwrap_or_else(|| name.to_owned());
        let eval = Evaluator::new(model);
        let value = dynamic
            .body
            .attr("for_each")
            .map_or(Value::Unknown, |a| eval.value(&a.expr, scope));
        let items: Vec<(Value, Value)> = match value {
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
            Value::Map(m) if !m.partial => m
                .entries
                .into_iter()
                .map(|(k, e)| (Value::String(k), e.value))
                .collect(),
            // Unknown collection: one block whose iterator is unknown.
            _ => vec![(Value::Unknown, Value::Unknown)],
        };
        for (k, v) in items {
            let mut it = Map::new();
            it.insert("key".into(), k, None);
            it.insert("value".into(), v, None);
            let mut inner = scope.clone();
            inner.bindings.push((iterator.clone(), Value::Map(it)));
            out.push(Nested {
                block: content,
                body: &content.body,
                file,
                scope: inner,
                path: format!("{path}.{index}"),
            });
            index += 1;
        }
    }
    out
}

/// Where a resource type keeps its cost-allocation tags or labels.
pub fn tag_paths(rtype: &str) -> &'static [&'static [&'static str]] {
    match rtype {
        "google_container_cluster" => &[&["resource_labels"]],
        "google_sql_database_instance" => &[&["settings", "user_labels"]],
        "google_container_node_pool" => &[&["node_config", "resource_labels"]],
        "google_cloud_run_service" | "google_cloud_run_domain_mapping" => {
            &[&["metadata", "labels"]]
        }
        t if t.starts_with("google_") => &[&["labels"]],
        t if t.starts_with("aws_") || t.starts_with("azurerm_") => &[&["tags"]],
        _ => &[],
    }
}

fn tags_supported(rtype: &str) -> bool {
    crate::model::taggable(rtype)
}

/// Provider default tags/labels reach only the types the provider merges
/// them into (`tags_all` / `terraform_labels`).
fn provider_defaults_apply(rtype: &str) -> bool {
    crate::model::provider_defaults_apply(rtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)], partial: bool) -> Map {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert((*k).to_owned(), Value::String((*v).to_owned()), None);
        }
        m.partial = partial;
        m
    }

    #[test]
    fn merges_let_later_keys_win_whichever_map_is_larger() {
        let small = map(&[("a", "1")], false);
        let large = map(&[("a", "2"), ("b", "2"), ("c", "2")], false);
        let mut into = Map::new();
        merge_into(&mut into, Value::Map(small.clone()));
        merge_into(&mut into, Value::Map(large.clone()));
        assert_eq!(into, large);
        let mut into = Map::new();
        merge_into(&mut into, Value::Map(large));
        merge_into(&mut into, Value::Map(small));
        assert_eq!(into, map(&[("a", "1"), ("b", "2"), ("c", "2")], false));
    }

    #[test]
    fn a_partial_map_makes_earlier_values_unknown() {
        let mut into = map(&[("a", "1"), ("b", "1"), ("c", "1")], false);
        merge_into(&mut into, Value::Map(map(&[("b", "2")], true)));
        assert!(into.partial);
        assert_eq!(
            into.entries.get("a").map(|e| &e.value),
            Some(&Value::Unknown)
        );
        assert_eq!(
            into.entries.get("b").map(|e| &e.value),
            Some(&Value::String("2".into()))
        );
        let mut into = map(&[("a", "1")], false);
        merge_into(&mut into, Value::Map(map(&[("b", "2"), ("c", "2")], true)));
        assert!(into.partial);
        assert_eq!(
            into.entries.get("a").map(|e| &e.value),
            Some(&Value::Unknown)
        );
        assert_eq!(into.entries.len(), 3);
        let mut into = map(&[("a", "1")], false);
        merge_into(&mut into, Value::Unknown);
        assert!(into.partial);
        merge_into(&mut into, Value::Null);
        assert_eq!(into.entries.len(), 1);
    }
}
