//! The JSON Schema of `costlint.toml`, from the same types that read it.

use schemars::{Schema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Value, json};

use super::ConfigFile;
use crate::rules::RULES;

pub fn json_schema() -> String {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft07());
    let mut root: Schema = generator.root_schema_for::<ConfigFile>();
    let mut rules = serde_json::Map::new();
    for r in RULES {
        let m = r.meta();
        let options: Schema = r.options_schema(&mut generator);
        let mut table: Value = options.to_value();
        // Every rule table also takes `severity`.
        let severity = json!({
            "description": "Severity of this rule's findings.",
            "type": "string",
            "enum": ["error", "warning", "note"]
        });
        if let Some(obj) = table.as_object_mut() {
            let description = format!("{} {}: {}", m.code, m.name, m.summary());
            obj.insert("description".into(), json!(description));
        }
        let with_severity = json!({
            "allOf": [table],
            "properties": {"severity": severity},
        });
        rules.insert(m.name.to_owned(), with_severity.clone());
        rules.insert(
            m.code.to_owned(),
            json!({"$ref": format!("#/properties/rules/properties/{}", m.name)}),
        );
    }
    let rules_schema = json!({
        "description": "Options and severity per rule, keyed by rule name or code.",
        "type": "object",
        "properties": rules,
        "additionalProperties": false,
    });
    if let Some(props) = root
        .as_object_mut()
        .and_then(|o| o.get_mut("properties"))
        .and_then(Value::as_object_mut)
    {
        props.insert("rules".into(), rules_schema);
    }
    let defs = generator.take_definitions(true);
    if !defs.is_empty() {
        if let Some(obj) = root.as_object_mut() {
            let entry = obj.entry("definitions").or_insert_with(|| json!({}));
            if let Some(d) = entry.as_object_mut() {
                d.extend(defs);
            }
        }
    }
    if let Some(obj) = root.as_object_mut() {
        obj.insert("title".into(), json!("costlint.toml"));
        obj.insert(
            "$id".into(),
            json!(format!(
                "{}/blob/main/docs/costlint.schema.json",
                env!("CARGO_PKG_REPOSITORY")
            )),
        );
    }
    serde_json::to_string_pretty(root.as_value()).unwrap_or_default() + "\n"
}
