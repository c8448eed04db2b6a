//! Limited-time offers and flow buttons, checked as Meta would: an offer
//! that shows its expiry needs one, in the future; a template without an
//! offer takes none; a flow button's data goes with its token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kaleyra_definitions::offer;
use kaleyra_definitions::values::Slot;
use kaleyra_definitions::{ButtonType, TemplateDefinition};
use serde::Deserialize;

use crate::errors::Problems;
use crate::params::decode_params;

/// Checks the offer's expiry a request gives (`expiration_time_ms`, in the
/// request's `field`) against the template's offer, by the shared rule for it.
pub(crate) fn check_offer(
    definition: &TemplateDefinition,
    expiration_time_ms: Option<u64>,
    field: &str,
    problems: &mut Problems,
) {
    let name = &definition.name;
    let expiring = definition
        .limited_time_offer
        .as_ref()
        .is_some_and(|offer| offer.has_expiration);
    match (expiring, expiration_time_ms) {
        (true, None) => problems.add(
            field,
            format!(
                "template `{name}` has a limited-time offer with an expiry; the request must give its `expiration_time_ms`"
            ),
        ),
        (false, Some(_)) => problems.add(
            field,
            match &definition.limited_time_offer {
                Some(_) => format!("template `{name}`'s limited-time offer shows no expiry; leave `expiration_time_ms` out"),
                None => format!("template `{name}` has no limited-time offer; leave the offer out"),
            },
        ),
        (true, Some(ms)) => {
            let expiry = UNIX_EPOCH.checked_add(Duration::from_millis(ms));
            let problem = match expiry {
                Some(expiry) => offer::expiration_time_ms(expiry, SystemTime::now()).err(),
                None => Some(format!("is {ms}, beyond any time this system can hold")),
            };
            if let Some(problem) = problem {
                problems.add(
                    field,
                    format!(
                        "the offer of template `{name}` {problem} ({})",
                        Slot::OfferExpiry
                    ),
                );
            }
        }
        (false, None) => {}
    }
}

/// Checks a flow button's data is given with the template's one flow button.
pub(crate) fn check_flow_data(
    definition: &TemplateDefinition,
    data: Option<&serde_json::Map<String, serde_json::Value>>,
    problems: &mut Problems,
) {
    let Some(data) = data else {
        return;
    };
    let name = &definition.name;
    let field =
        "messaging_object.template.components[button].parameters[0].action.flow_action_data";
    if !definition
        .buttons
        .iter()
        .any(|button| button.button_type() == ButtonType::Flow)
    {
        problems.add(field, format!("template `{name}` has no FLOW button"));
    } else if data.is_empty() {
        problems.add(field, "is an empty object; give data or leave it out");
    }
}

/// v1's `limited_time_offer` field, as Kaleyra's page writes it:
/// `[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":N}}]`.
pub(crate) fn v1_expiration_time_ms(field: &str) -> Result<u64, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Parameter {
        #[serde(rename = "type")]
        kind: String,
        limited_time_offer: Expiry,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Expiry {
        expiration_time_ms: u64,
    }
    let shape = r#"a JSON array `[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":<Unix ms>}}]`"#;
    let parameters: Vec<Parameter> =
        serde_json::from_str(field).map_err(|error| format!("is not {shape}: {error}"))?;
    match parameters.as_slice() {
        [parameter] if parameter.kind == "limited_time_offer" => {
            Ok(parameter.limited_time_offer.expiration_time_ms)
        }
        _ => Err(format!("is not {shape}")),
    }
}

/// v1's `coupon_code` field: one code in double quotes, like `params`.
pub(crate) fn v1_coupon_code(field: &str) -> Result<String, String> {
    match decode_params(field)?.as_slice() {
        [code] => Ok(code.clone()),
        values => Err(format!(
            "holds {} values; it takes one coupon code, written `\"CODE\"`",
            values.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_offer_field_is_read_as_kaleyras_page_writes_it() {
        let field = r#"[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":1700000000000}}]"#;
        assert_eq!(v1_expiration_time_ms(field), Ok(1_700_000_000_000));
        assert!(v1_expiration_time_ms("1700000000000").is_err());
        assert!(v1_expiration_time_ms("[]").is_err());
    }

    #[test]
    fn v1_coupon_code_takes_one_quoted_code() {
        assert_eq!(v1_coupon_code(r#""CARIBE25""#), Ok("CARIBE25".to_owned()));
        assert!(v1_coupon_code(r#""A","B""#).is_err());
    }
}
