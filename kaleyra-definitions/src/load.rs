//! Reading a definition file: size, encoding and JSON syntax first, then the
//! shape of each key, then the rules in [`crate::rules`].

use std::io::Read;
use std::path::Path;

use crate::error::{DefinitionError, Problem, strip_position};
use crate::model::{Button, Header, TemplateDefinition};
use crate::suggest::{did_you_mean, did_you_mean_sentence};

/// The largest definition file read; anything larger is refused unread.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

impl TemplateDefinition {
    /// Reads and checks the definition in `path`: this project's format, or
    /// one of Meta's template objects (told apart by `components`).
    ///
    /// Errors name `path` as given; the file's stem must be the template's
    /// name, or its name and language (`order_update.hi.json`).
    pub fn from_file(path: &Path) -> Result<Self, DefinitionError> {
        Self::from_file_shown_as(path, path)
    }

    /// Reads and checks the definition in `path`, naming it `shown_as` in
    /// errors (such as `templates/x.json` for a file found from a crate's root).
    pub fn from_file_shown_as(path: &Path, shown_as: &Path) -> Result<Self, DefinitionError> {
        let io_error = |error: std::io::Error| {
            DefinitionError::single(
                shown_as,
                Problem::in_file(format!("cannot be read: {error}")),
            )
        };
        let file = std::fs::File::open(path).map_err(io_error)?;
        // Read one byte past the cap, so an oversized file is known without reading it all.
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
        Self::from_slice(&bytes, shown_as)
    }

    /// Parses and checks a definition read from `file` (used for messages and
    /// for the name-equals-file-stem rule).
    ///
    /// ```
    /// use std::path::Path;
    /// use kaleyra_definitions::TemplateDefinition;
    ///
    /// let json = br#"{"name":"booking_confirm","kind":"template","params":2}"#;
    /// let definition = TemplateDefinition::from_slice(json, Path::new("booking_confirm.json")).unwrap();
    /// assert_eq!(definition.param_count(), 2);
    ///
    /// let error = TemplateDefinition::from_slice(br#"{"name":"booking_confirm","kind":"template","parms":2}"#,
    ///     Path::new("booking_confirm.json")).unwrap_err();
    /// assert!(error.to_string().contains("did you mean `params`?"));
    /// ```
    pub fn from_slice(bytes: &[u8], file: &Path) -> Result<Self, DefinitionError> {
        let text = decode_text(bytes).map_err(|problem| DefinitionError::single(file, problem))?;
        let (definition, meta_paths) = if crate::meta::is_meta_object(text) {
            let (definition, paths) = crate::meta::parse(text)
                .map_err(|problems| DefinitionError::new(file, problems))?;
            (definition, Some(paths))
        } else {
            let definition =
                parse_json(text).map_err(|problems| DefinitionError::new(file, problems))?;
            (definition, None)
        };
        let stem = file.file_stem().and_then(|stem| stem.to_str());
        let problems: Vec<Problem> = crate::rules::check(&definition, stem)
            .into_iter()
            .map(|mut problem| {
                // The rules speak of the model; a Meta object's problems name Meta's paths.
                if let (Some(paths), Some(path)) = (&meta_paths, &problem.path) {
                    problem.path = Some(paths.translate(path));
                }
                let position = problem
                    .path
                    .as_deref()
                    .and_then(|path| locate_key(text, last_key(path)));
                problem.with_position(position)
            })
            .collect();
        if problems.is_empty() {
            Ok(definition)
        } else {
            Err(DefinitionError::new(file, problems))
        }
    }
}

/// Checks size and encoding, and gives the file's text.
fn decode_text(bytes: &[u8]) -> Result<&str, Problem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Problem::in_file(format!(
            "is larger than {MAX_FILE_BYTES} bytes; a template definition is a few hundred bytes, so this is not one"
        )));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(Problem::in_file(
            "starts with a UTF-8 byte order mark (BOM), which JSON does not allow; save the file as UTF-8 without BOM",
        )
        .with_position(Some((1, 1))));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
        Problem::in_file("is not valid UTF-8; save it as UTF-8")
            .with_position(Some(line_column(valid, valid.len())))
    })
}

/// Parses the JSON into the model, reporting syntax and type errors with their
/// position, and every unknown key with a suggestion.
fn parse_json(text: &str) -> Result<TemplateDefinition, Vec<Problem>> {
    let mut unknown_keys = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_str(text);
    let parsed: Result<TemplateDefinition, serde_json::Error> = {
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        serde_ignored::deserialize(tracked, |path| unknown_keys.push(KeyPath::from(&path)))
    };
    let parsed = parsed.and_then(|definition| json.end().map(|()| definition));
    match parsed {
        Ok(definition) if unknown_keys.is_empty() => Ok(definition),
        Ok(_) => Err(unknown_keys
            .iter()
            .map(|key| unknown_key_problem(text, key))
            .collect()),
        Err(error) => {
            let path = track.path().to_string();
            let position = (error.line() > 0).then(|| (error.line(), error.column()));
            let problem = if error.is_syntax() || error.is_eof() {
                Problem::in_file(format!("is not valid JSON: {}", strip_position(&error)))
            } else if path == "." {
                Problem::in_file(strip_position(&error))
            } else {
                Problem::at_path(path, strip_position(&error))
            };
            Err(vec![problem.with_position(position)])
        }
    }
}

/// Where an unknown key sits: the object that holds it, and the key.
struct KeyPath {
    parent: String,
    parent_kind: ObjectKind,
    key: String,
}

#[derive(Clone, Copy)]
enum ObjectKind {
    Definition,
    Header,
    Button,
    Other,
}

impl KeyPath {
    fn from(path: &serde_ignored::Path<'_>) -> Self {
        let mut segments = Vec::new();
        collect_segments(path, &mut segments);
        let key = match segments.pop() {
            Some(Segment::Key(key)) => key,
            Some(Segment::Index(index)) => index.to_string(),
            None => String::new(),
        };
        let parent_kind = match segments.as_slice() {
            [] => ObjectKind::Definition,
            [Segment::Key(header)] if header == "header" => ObjectKind::Header,
            [Segment::Key(buttons), Segment::Index(_)] if buttons == "buttons" => {
                ObjectKind::Button
            }
            _ => ObjectKind::Other,
        };
        let parent = segments.iter().fold(String::new(), |mut path, segment| {
            match segment {
                Segment::Key(key) if path.is_empty() => path.push_str(key),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
            path
        });
        KeyPath {
            parent,
            parent_kind,
            key,
        }
    }
}

enum Segment {
    Key(String),
    Index(usize),
}

fn collect_segments(path: &serde_ignored::Path<'_>, segments: &mut Vec<Segment>) {
    use serde_ignored::Path;
    match path {
        Path::Root => {}
        Path::Seq { parent, index } => {
            collect_segments(parent, segments);
            segments.push(Segment::Index(*index));
        }
        Path::Map { parent, key } => {
            collect_segments(parent, segments);
            segments.push(Segment::Key(key.clone()));
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => collect_segments(parent, segments),
    }
}

fn unknown_key_problem(text: &str, key: &KeyPath) -> Problem {
    let known = match key.parent_kind {
        ObjectKind::Definition => TemplateDefinition::KEYS,
        ObjectKind::Header => Header::KEYS,
        ObjectKind::Button => Button::KEYS,
        ObjectKind::Other => &[],
    };
    let place = if key.parent.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", key.parent)
    };
    let mut message = format!("unknown key `{}`{place}", key.key);
    if let Some(suggestion) = did_you_mean_sentence(&did_you_mean(&key.key, known.iter().copied()))
    {
        message.push_str("; ");
        message.push_str(&suggestion);
    }
    if !known.is_empty() {
        message.push_str(&format!(" (known keys: {})", known.join(", ")));
    }
    Problem::in_file(message).with_position(locate_key(text, &key.key))
}

/// The last key of a path such as `buttons[1].url` (`url`).
fn last_key(path: &str) -> &str {
    let key = path.rsplit('.').next().unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

/// The line and column of `"key":` when it appears exactly once in the file,
/// so a problem can point at it without guessing between several.
fn locate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{key}\"");
    let mut found = text
        .match_indices(&quoted)
        .filter(|(at, _)| text[at + quoted.len()..].trim_start().starts_with(':'));
    let (first, _) = found.next()?;
    found.next().is_none().then(|| line_column(text, first))
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(json: &str) -> String {
        TemplateDefinition::from_slice(json.as_bytes(), Path::new("templates/t.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn syntax_errors_give_file_line_and_column() {
        let message = error_of("{\n  \"name\": \"t\",\n  \"kind\" \"template\"\n}");
        assert!(
            message.starts_with("templates/t.json:3:10: is not valid JSON: expected `:`"),
            "{message}"
        );
    }

    #[test]
    fn unknown_keys_are_located_and_get_suggestions() {
        let message = error_of(
            "{\"name\":\"t\",\"kind\":\"mediatemplate\",\"params\":0,\n\"buttons\":[{\"index\":0,\"type\":\"quick_reply\",\"txt\":\"Yes\"}]}",
        );
        assert!(
            message.contains(
                "templates/t.json:2:44: unknown key `txt` in `buttons[0]`; did you mean `text`?"
            ),
            "{message}"
        );
    }

    #[test]
    fn wrong_types_name_the_path() {
        let message = error_of("{\"name\":\"t\",\"kind\":\"template\",\"params\":\"two\"}");
        assert!(
            message.contains("`params`: invalid type: string \"two\""),
            "{message}"
        );
        let message = error_of("{\"name\":\"t\",\"kind\":\"letter\",\"params\":1}");
        assert!(message.contains("unknown variant `letter`"), "{message}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let message = error_of("{\"name\":\"t\",\"kind\":\"template\",\"params\":1,\"params\":2}");
        assert!(message.contains("duplicate field `params`"), "{message}");
    }

    #[test]
    fn byte_order_mark_and_invalid_utf8_are_named() {
        let bom =
            TemplateDefinition::from_slice(b"\xEF\xBB\xBF{}", Path::new("t.json")).unwrap_err();
        assert!(bom.to_string().contains("byte order mark"));
        let latin1 = TemplateDefinition::from_slice(b"{\"name\":\"caf\xE9\"}", Path::new("t.json"))
            .unwrap_err();
        assert_eq!(
            latin1.to_string(),
            "t.json:1:13: is not valid UTF-8; save it as UTF-8"
        );
    }

    #[test]
    fn oversized_files_are_refused_unparsed() {
        let huge = vec![b' '; MAX_FILE_BYTES + 1];
        let message = TemplateDefinition::from_slice(&huge, Path::new("t.json")).unwrap_err();
        assert!(message.to_string().contains("is larger than 1048576 bytes"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let nested = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let under_unknown_key =
            format!("{{\"name\":\"t\",\"kind\":\"template\",\"params\":1,\"extra\":{nested}}}");
        assert!(error_of(&under_unknown_key).contains("unknown key `extra`"));
        let under_typed_key =
            format!("{{\"name\":\"t\",\"kind\":\"template\",\"buttons\":{nested}}}");
        let message = error_of(&under_typed_key);
        assert!(message.contains("invalid type: sequence"), "{message}");
        let unclosed = format!("{{\"extra\":{}", "{\"a\":".repeat(100_000));
        let message = error_of(&unclosed);
        assert!(message.contains("is not valid JSON"), "{message}");
    }

    #[test]
    fn a_quoted_value_with_a_line_break_stays_on_one_line() {
        let message = error_of("{\"name\":\"t\",\"kind\":\"templ\\nate\",\"params\":1}");
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains("templ\\nate"), "{message}");
    }

    #[test]
    fn missing_required_keys_are_named() {
        let message = error_of("{\"name\":\"t\",\"params\":1}");
        assert!(message.ends_with(": missing field `kind`"), "{message}");
    }

    #[test]
    fn trailing_content_is_refused() {
        let message = error_of("{\"name\":\"t\",\"kind\":\"template\",\"params\":1} {}");
        assert!(message.contains("trailing characters"), "{message}");
    }
}
