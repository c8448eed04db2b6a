//! The JSON Schema of a definition file, for `templates/schema.json`: this
//! project's format (generated from the model's types) or one of Meta's
//! template objects.

use serde_json::{Value, json};

/// The JSON Schema that definition files reference with `"$schema"`, so
/// editors check them as they are typed: `anyOf` this project's format
/// (`$defs/TemplateDefinition`, generated from the model's types) and Meta's
/// template object (`$defs/MetaTemplateObject`).
pub fn json_schema() -> Value {
    let schema = schemars::schema_for!(crate::TemplateDefinition);
    let mut root = serde_json::to_value(schema).expect("a JSON Schema always serializes");
    let object = root.as_object_mut().expect("a root schema is an object");
    let mut defs = match object.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => serde_json::Map::new(),
    };
    // Everything but `$schema` describes this project's format; it moves into
    // `$defs` so the root can offer both formats.
    let dialect = object.remove("$schema");
    let project = Value::Object(std::mem::take(object));
    defs.insert("TemplateDefinition".to_owned(), project);
    defs.insert("MetaTemplateObject".to_owned(), meta_object());
    defs.insert("MetaComponent".to_owned(), meta_component());
    defs.insert("MetaButton".to_owned(), meta_button());

    let mut root = serde_json::Map::new();
    if let Some(dialect) = dialect {
        root.insert("$schema".to_owned(), dialect);
    }
    root.insert(
        "title".to_owned(),
        json!("Kaleyra WhatsApp template definition"),
    );
    root.insert(
        "description".to_owned(),
        json!("A template definition in this project's format (`kind`, `body`, ..), or one of Meta's template objects as Kaleyra v2's template list returns it (`components`), kept byte for byte."),
    );
    root.insert(
        "anyOf".to_owned(),
        json!([
            {"$ref": "#/$defs/TemplateDefinition"},
            {"$ref": "#/$defs/MetaTemplateObject"}
        ]),
    );
    root.insert("$defs".to_owned(), Value::Object(defs));
    Value::Object(root)
}

fn meta_object() -> Value {
    json!({
        "type": "object",
        "description": "One of Meta's template objects (an element of Kaleyra v2's `message_templates` `data[]`). Fields not listed here (`company_id`, `quality_score`, ..) are ignored.",
        "required": ["name", "language", "components"],
        "not": {"required": ["kind"]},
        "properties": {
            "name": {
                "type": "string",
                "pattern": "^[a-z0-9_]+$",
                "minLength": 1,
                "maxLength": crate::limits::TEMPLATE_NAME
            },
            "language": {"type": "string", "description": "The language code, such as `en` or `en_US`; one object per name and language."},
            "status": {"type": "string", "description": "`APPROVED`, `PENDING`, `PAUSED`, `REJECTED`, `DISABLED`, .. (any text is read)."},
            "category": {"type": "string", "description": "`UTILITY`, `MARKETING` or `AUTHENTICATION` (legacy values are read and ignored)."},
            "id": {"type": ["string", "integer"]},
            "parameter_format": {"enum": ["POSITIONAL", "NAMED", "positional", "named"]},
            "components": {"type": "array", "items": {"$ref": "#/$defs/MetaComponent"}}
        }
    })
}

fn meta_component() -> Value {
    json!({
        "type": "object",
        "description": "A component: `HEADER`, `BODY`, `FOOTER`, `BUTTONS`, `LIMITED_TIME_OFFER` or `CAROUSEL` (whose `cards` each hold a `HEADER`, a `BODY` and `BUTTONS`). Other types are read but cannot be sent yet.",
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "format": {"type": "string", "description": "A header's `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT`, `LOCATION` or `PRODUCT` (others cannot be sent yet)."},
            "text": {"type": "string"},
            "code_expiration_minutes": {"type": "integer", "minimum": 0},
            "add_security_recommendation": {"type": "boolean", "description": "An authentication template's body: whether WhatsApp adds its security recommendation."},
            "buttons": {
                "type": "array",
                "maxItems": crate::limits::META_TEMPLATE_BUTTONS,
                "items": {"$ref": "#/$defs/MetaButton"}
            }
        }
    })
}

fn meta_button() -> Value {
    json!({
        "type": "object",
        "description": "A button: `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `COPY_CODE`, `OTP`, `FLOW`, `CATALOG`, `MPM` or `SPM`. Other types are read but cannot be sent yet.",
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "text": {"type": "string", "maxLength": crate::limits::TEMPLATE_BUTTON_TEXT},
            "url": {"type": "string", "maxLength": crate::limits::BUTTON_URL},
            "phone_number": {"type": "string"},
            "otp_type": {"type": "string", "description": "`COPY_CODE`, `ONE_TAP` or `ZERO_TAP`. A `URL` button to `https://www.whatsapp.com/otp/code/?otp_type=..` (as an account lists an authentication template's code button) is read as an `OTP` button."},
            "package_name": {"type": "string", "description": "A one-tap or zero-tap `OTP` button's Android app (required for them, with `signature_hash`)."},
            "signature_hash": {"type": "string"},
            "supported_apps": {"type": "array", "items": {"type": "object", "properties": {"package_name": {"type": "string"}, "signature_hash": {"type": "string"}}}}
        }
    })
}
