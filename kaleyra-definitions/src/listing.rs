//! One page of the account's template list, as Kaleyra's v2 answers
//! `GET /v2/{sid}/whatsapp/{waba_id}/message_templates` (the envelope
//! `{"code":"WA200","message","data":[..],"error":{}}`), or as Meta's own
//! endpoint does (`{"data":[..],"paging":{..}}`).
//!
//! Each element is kept as the exact text the account sent, so a tool can
//! write it to `templates/` byte for byte, beside what it parses into. An
//! element that does not parse is kept with its problems: one bad template
//! does not hide the others.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{DefinitionError, Problem};
use crate::model::TemplateDefinition;

/// The `code` of Kaleyra's envelope on success.
pub const LIST_SUCCESS_CODE: &str = crate::codes::WA200.code;

/// One page of the account's templates.
#[derive(Debug)]
#[non_exhaustive]
pub struct TemplatePage {
    /// The page's elements, in the order listed.
    pub templates: Vec<ListedTemplate>,
    /// Where the next page is, as the page says.
    pub paging: Paging,
}

/// Meta's `paging`: a cursor to pass as `after`, and the next page's URL.
/// Both are `None` on a page without `paging`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Paging {
    /// `paging.cursors.after`.
    pub after: Option<String>,
    /// `paging.next`.
    pub next: Option<String>,
}

/// One element of the list: its exact text, and the definition it parses into.
#[derive(Debug)]
pub struct ListedTemplate {
    raw: Box<RawValue>,
    name: Option<String>,
    language: Option<String>,
    definition: Result<TemplateDefinition, DefinitionError>,
}

/// Why a page could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// The bytes are not a JSON object with a `data` array of objects.
    #[error("not a template list: {0}")]
    Malformed(String),
    /// The page is one of Kaleyra's error answers (`code` other than `WA200`).
    #[error("an error answer, not a template list: {code}: {message}")]
    Refused {
        /// Kaleyra's code, such as `RBC001`.
        code: String,
        /// Kaleyra's message.
        message: String,
    },
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
    data: Option<Vec<Box<RawValue>>>,
    #[serde(default)]
    paging: Option<PagingJson>,
}

#[derive(Deserialize)]
struct PagingJson {
    #[serde(default)]
    cursors: Option<Cursors>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    #[serde(default)]
    after: Option<String>,
}

/// The two keys a file name is made of, read before the whole object.
#[derive(Deserialize)]
struct Identity {
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    language: Option<serde_json::Value>,
}

impl TemplatePage {
    /// Reads one page: Kaleyra's envelope or Meta's `{"data","paging"}`.
    ///
    /// ```
    /// use kaleyra_definitions::TemplatePage;
    ///
    /// let body = br#"{"code":"WA200","message":"ok","data":[
    ///   {"name":"welcome","language":"en","status":"APPROVED","components":[{"type":"BODY","text":"Hi {{1}}"}]},
    ///   {"name":"broken","language":"en","components":[{"type":"BODY"}]}
    /// ],"paging":{"cursors":{"after":"MjQZD"}},"error":{}}"#;
    /// let page = TemplatePage::parse(body)?;
    /// assert_eq!(page.paging.after.as_deref(), Some("MjQZD"));
    /// assert_eq!(page.templates[0].definition().unwrap().param_count(), 1);
    /// assert!(page.templates[1].definition().is_err());
    /// # Ok::<(), kaleyra_definitions::PageError>(())
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, PageError> {
        let envelope: Envelope = serde_json::from_slice(bytes)
            .map_err(|error| PageError::Malformed(format!("{error}")))?;
        if let Some(code) = &envelope.code {
            let code = code
                .as_str()
                .map_or_else(|| code.to_string(), str::to_owned);
            if code != LIST_SUCCESS_CODE {
                let message = envelope
                    .message
                    .as_ref()
                    .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
                    .unwrap_or_default();
                return Err(PageError::Refused { code, message });
            }
        }
        let data = envelope
            .data
            .ok_or_else(|| PageError::Malformed("it has no `data` array".to_owned()))?;
        let templates = data
            .into_iter()
            .enumerate()
            .map(|(index, raw)| ListedTemplate::read(index, raw))
            .collect();
        let paging = envelope
            .paging
            .map_or_else(Paging::default, |paging| Paging {
                after: paging.cursors.and_then(|cursors| cursors.after),
                next: paging.next,
            });
        Ok(TemplatePage { templates, paging })
    }
}

impl ListedTemplate {
    /// Reads the element at `data[index]`.
    fn read(index: usize, raw: Box<RawValue>) -> Self {
        let identity: Option<Identity> = serde_json::from_str(raw.get()).ok();
        let text = |value: Option<serde_json::Value>| match value {
            Some(serde_json::Value::String(text)) => Some(text),
            _ => None,
        };
        let (name, language) = identity.map_or((None, None), |identity| {
            (text(identity.name), text(identity.language))
        });
        // Errors name the file the element would be written to, so they name
        // the template and its language; when those are unusable as a file
        // name, they name the element's place in the list instead.
        let safe_file = match (&name, &language) {
            (Some(name), Some(language))
                if crate::limits::is_template_name(name)
                    && crate::limits::is_language_code(language) =>
            {
                Some(PathBuf::from(format!("{name}.{language}.json")))
            }
            _ => None,
        };
        let shown = safe_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("data[{index}]")));
        let definition = if !crate::meta::is_meta_object(raw.get()) {
            Err(DefinitionError::single(
                &shown,
                Problem::in_file(
                    "is not one of Meta's template objects: it has no `components` array",
                ),
            ))
        } else {
            // With no usable file name, the file-name rule is not checked
            // (an empty path has no stem); the name and language rules are.
            let checked_as = safe_file.as_deref().unwrap_or(Path::new(""));
            TemplateDefinition::from_slice(raw.get().as_bytes(), checked_as).map_err(|error| {
                if safe_file.is_some() {
                    error
                } else {
                    DefinitionError::new(&shown, error.problems().to_vec())
                }
            })
        };
        ListedTemplate {
            raw,
            name,
            language,
            definition,
        }
    }

    /// The element's text, exactly as the account sent it.
    pub fn raw_json(&self) -> &str {
        self.raw.get()
    }

    /// The element's `name`, when it is a string.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The element's `language`, when it is a string.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// The definition the element parses into, or every problem found in it
    /// (naming `<name>.<language>.json` and the field at fault).
    pub fn definition(&self) -> Result<&TemplateDefinition, &DefinitionError> {
        self.definition.as_ref()
    }

    /// The definition, taken out of the element.
    pub fn into_definition(self) -> Result<TemplateDefinition, DefinitionError> {
        self.definition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WELCOME: &str = r#"{"name":"welcome","language":"en","status":"APPROVED","components":[{"type":"BODY","text":"Hi  {{1}}" }]}"#;

    #[test]
    fn elements_are_kept_byte_for_byte_in_both_shapes() {
        for body in [
            format!(r#"{{"code":"WA200","message":"ok","data":[{WELCOME}],"error":{{}}}}"#),
            format!(
                r#"{{"data":[ {WELCOME} ],"paging":{{"cursors":{{"before":"a","after":"b"}},"next":"https://x/next"}}}}"#
            ),
        ] {
            let page = TemplatePage::parse(body.as_bytes()).unwrap();
            assert_eq!(page.templates.len(), 1);
            assert_eq!(page.templates[0].raw_json(), WELCOME);
            assert_eq!(page.templates[0].name(), Some("welcome"));
            assert_eq!(page.templates[0].language(), Some("en"));
        }
        let meta = format!(
            r#"{{"data":[{WELCOME}],"paging":{{"cursors":{{"after":"b"}},"next":"https://x/next"}}}}"#
        );
        let paging = TemplatePage::parse(meta.as_bytes()).unwrap().paging;
        assert_eq!(paging.after.as_deref(), Some("b"));
        assert_eq!(paging.next.as_deref(), Some("https://x/next"));
    }

    #[test]
    fn a_bad_element_is_reported_by_template_and_field_not_the_whole_page() {
        let body = format!(
            r#"{{"data":[{WELCOME},{{"name":"promo","language":"en","components":[{{"type":"BODY","text":7}}]}},{{"name":"../etc","language":"en","components":[{{"type":"BODY","text":"x"}}]}},"text"]}}"#
        );
        let page = TemplatePage::parse(body.as_bytes()).unwrap();
        assert!(page.templates[0].definition().is_ok());
        let promo = page.templates[1].definition().unwrap_err().to_string();
        assert!(promo.starts_with("promo.en.json"), "{promo}");
        assert!(promo.contains("components[0]"), "{promo}");
        let traversal = page.templates[2].definition().unwrap_err().to_string();
        assert!(traversal.starts_with("data[2]"), "{traversal}");
        assert!(traversal.contains("not a template name"), "{traversal}");
        let text = page.templates[3].definition().unwrap_err().to_string();
        assert!(
            text.contains("data[3]") && text.contains("`components`"),
            "{text}"
        );
    }

    #[test]
    fn error_answers_and_non_lists_are_refused() {
        let refused =
            TemplatePage::parse(br#"{"code":"RBC001","message":"Invalid API key","error":{}}"#);
        assert_eq!(
            refused.unwrap_err(),
            PageError::Refused {
                code: "RBC001".to_owned(),
                message: "Invalid API key".to_owned()
            }
        );
        for bad in [
            &b"<html>"[..],
            b"[]",
            br#"{"data":{}}"#,
            br#"{"code":"WA200"}"#,
        ] {
            assert!(
                matches!(TemplatePage::parse(bad), Err(PageError::Malformed(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
