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
        // Meta's template objects are kept byte for byte as the account returned them.
        if value.get("components").is_some() {
            continue;
        }
        assert_eq!(value["$schema"], "./schema.json", "{}", file.display());
    }
}

#[test]
fn the_schema_describes_the_keys_and_their_values() {
    let root = kaleyra_definitions::json_schema();
    let formats = serde_json::to_string(&root["anyOf"]).unwrap();
    for format in ["#/$defs/TemplateDefinition", "#/$defs/MetaTemplateObject"] {
        assert!(formats.contains(format), "{formats}");
    }
    let meta_required =
        serde_json::to_string(&root["$defs"]["MetaTemplateObject"]["required"]).unwrap();
    assert_eq!(meta_required, r#"["name","language","components"]"#);
    let schema = &root["$defs"]["TemplateDefinition"];
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
    let kinds = serde_json::to_string(&root["$defs"]["TemplateKind"]).unwrap();
    for kind in ["template", "mediatemplate", "reply", "cta_url"] {
        assert!(kinds.contains(&format!("\"{kind}\"")), "{kinds}");
    }
}
