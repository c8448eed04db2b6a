//! `templates/schema.json` is generated from the definition model, and every
//! definition refers to it so editors check the files as they are typed.

use std::path::Path;

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/schema.json");

/// Set to `1` to rewrite `templates/schema.json` from the model.
const UPDATE: &str = "KALEYRA_UPDATE_SCHEMA";

#[test]
fn the_committed_schema_is_the_one_the_model_generates() {
    let generated =
        serde_json::to_string_pretty(&kaleyra_definitions::json_schema()).unwrap() + "\n";
    if std::env::var(UPDATE).as_deref() == Ok("1") {
        std::fs::write(SCHEMA, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    assert!(
        committed == generated,
        "templates/schema.json is stale; regenerate it with `{UPDATE}=1 cargo test --test schema`"
    );
}

#[test]
fn every_definition_refers_to_the_schema() {
    let dir = Path::new(SCHEMA).parent().unwrap();
    for file in kaleyra_definitions::definition_files(dir).unwrap() {
        let value: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(value["$schema"], "./schema.json", "{}", file.display());
    }
}

#[test]
fn the_schema_describes_the_keys_and_their_values() {
    let schema = kaleyra_definitions::json_schema();
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "name", "kind", "language", "category", "header", "body", "params", "footer", "buttons",
    ] {
        assert!(properties.contains_key(key), "no `{key}` in the schema");
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["name", "kind"]);
    let kinds = serde_json::to_string(&schema["$defs"]["TemplateKind"]).unwrap();
    for kind in ["template", "mediatemplate", "reply", "cta_url"] {
        assert!(kinds.contains(&format!("\"{kind}\"")), "{kinds}");
    }
}
