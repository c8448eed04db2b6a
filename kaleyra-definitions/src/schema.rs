//! The JSON Schema of a definition file, for `templates/schema.json`.

/// The JSON Schema that definition files reference with `"$schema"`, so
/// editors check them as they are typed. Generated from the model's types.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(crate::TemplateDefinition);
    serde_json::to_value(schema).expect("a JSON Schema always serializes")
}
