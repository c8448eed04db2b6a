//! Kaleyra v1's `params` field: the values of a template's `{{1}}`..`{{n}}`.

/// Splits a v1 `params` field into the template's values.
///
/// Kaleyra's samples write each value in double quotes, joined with commas
/// (`"John","Doe"`); an older page writes them bare (`John,Doe`). Both are
/// read, and so is a mix. A quoted value may hold commas; whitespace between
/// a closing quote and the next comma, or before an opening quote, is not
/// part of any value. A bare value is taken exactly as written, spaces and all.
///
/// No page says how a `"` inside a value is escaped, so a quote anywhere but
/// around a whole value is an error rather than a guess. An empty field has
/// no values.
///
/// ```
/// use kaleyra_emulator::decode_params;
///
/// assert_eq!(decode_params(r#""John","Doe""#).unwrap(), ["John", "Doe"]);
/// assert_eq!(decode_params("a,b,c").unwrap(), ["a", "b", "c"]);
/// assert_eq!(decode_params(r#""Doe, John",42"#).unwrap(), ["Doe, John", "42"]);
/// assert!(decode_params(r#""unterminated"#).is_err());
/// ```
pub fn decode_params(field: &str) -> Result<Vec<String>, String> {
    if field.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = Vec::new();
    let mut rest = field;
    loop {
        let position = values.len() + 1;
        let (value, after) = match rest.trim_start().strip_prefix('"') {
            Some(quoted) => {
                let close = quoted.find('"').ok_or_else(|| {
                    format!("value {position} opens a double quote that is never closed")
                })?;
                let after = quoted[close + 1..].trim_start();
                if !after.is_empty() && !after.starts_with(',') {
                    return Err(format!(
                        "value {position} has `{}` after its closing quote; a quote may only surround a whole value (no page says how a quote inside a value is escaped)",
                        after.chars().next().unwrap_or_default()
                    ));
                }
                (&quoted[..close], after)
            }
            None => {
                let end = rest.find(',').unwrap_or(rest.len());
                let value = &rest[..end];
                if value.contains('"') {
                    return Err(format!(
                        "value {position} (`{value}`) has a double quote inside it; quote whole values only, as in \"a\",\"b\""
                    ));
                }
                (value, &rest[end..])
            }
        };
        values.push(value.to_owned());
        match after.strip_prefix(',') {
            Some(next) => rest = next,
            None => return Ok(values),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode_params;

    fn ok(field: &str) -> Vec<String> {
        decode_params(field).unwrap_or_else(|error| panic!("{field:?}: {error}"))
    }

    #[test]
    fn quoted_values_as_kaleyras_samples_write_them() {
        assert_eq!(ok(r#""John","Doe""#), ["John", "Doe"]);
        assert_eq!(ok(r#""Raman""#), ["Raman"]);
    }

    #[test]
    fn bare_values_as_the_older_page_writes_them() {
        assert_eq!(ok("a,b,c"), ["a", "b", "c"]);
        assert_eq!(ok("Raman"), ["Raman"]);
    }

    #[test]
    fn a_quoted_value_keeps_commas_spaces_and_unicode() {
        assert_eq!(
            ok(r#""Doe, John","  padded  ","नमस्ते 🙂""#),
            ["Doe, John", "  padded  ", "नमस्ते 🙂"]
        );
    }

    #[test]
    fn a_bare_value_is_kept_exactly_with_its_spaces() {
        assert_eq!(ok("John Smith, Doe"), ["John Smith", " Doe"]);
    }

    #[test]
    fn whitespace_around_quoted_values_is_not_part_of_them() {
        assert_eq!(ok(r#" "a" , "b" "#), ["a", "b"]);
    }

    #[test]
    fn quoted_and_bare_values_mix() {
        assert_eq!(ok(r#""a",b,"c""#), ["a", "b", "c"]);
    }

    #[test]
    fn empty_values_are_kept_for_the_caller_to_refuse() {
        assert_eq!(ok(r#""","x""#), ["", "x"]);
        assert_eq!(ok("a,,b"), ["a", "", "b"]);
        assert_eq!(ok("a,"), ["a", ""]);
    }

    #[test]
    fn an_empty_field_has_no_values() {
        assert!(ok("").is_empty());
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_the_value() {
        let error = decode_params(r#""a","b"#).unwrap_err();
        assert!(error.contains("value 2"), "{error}");
        assert!(error.contains("never closed"), "{error}");
    }

    #[test]
    fn a_quote_inside_a_value_is_an_error_not_a_guess() {
        assert!(decode_params(r#""a""b""#).is_err());
        assert!(decode_params(r#""a"b"#).is_err());
        let error = decode_params(r#"O"Brien"#).unwrap_err();
        assert!(error.contains("value 1"), "{error}");
    }

    #[test]
    fn what_the_project_client_encodes_decodes_to_the_same_values() {
        // The client's documented encoding: each value quoted, joined with `,`.
        let values = ["John", "a, b", " x ", "{{1}}", "50% off"];
        let encoded: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        assert_eq!(ok(&encoded.join(",")), values);
    }
}
