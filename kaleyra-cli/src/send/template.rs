//! The template a campaign sends: its definition, read from its files and
//! refused before any row is read when `kaleyra send` cannot send it, and
//! the language it is sent in.

use std::path::Path;
use std::sync::Arc;

use kaleyra_definitions::{
    HeaderType, Sendability, TemplateDefinition, TemplateSet, did_you_mean_sentence,
};

use crate::failure::Failure;

/// The template a campaign sends, in the language it is sent in.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// Its definition.
    pub definition: Arc<TemplateDefinition>,
    /// The language sent: `--language`, or the definition's.
    pub language: String,
}

/// Template `name` from `dir`, in `language` (or its only language).
pub fn choose(dir: &Path, name: &str, language: Option<&str>) -> Result<Chosen, Failure> {
    let definition = Arc::new(load_definition(dir, name, language)?);
    let language = language
        .map(str::to_owned)
        .or_else(|| definition.language.clone())
        .ok_or_else(|| {
            Failure::input(format!(
                "template `{}` names no language; give one with --language",
                definition.name
            ))
        })?;
    Ok(Chosen {
        definition,
        language,
    })
}

/// The definition of template `name` in `language` (or its only language),
/// from its files in `dir`: `<name>.json` or `<name>.<language>.json`.
fn load_definition(
    dir: &Path,
    name: &str,
    language: Option<&str>,
) -> Result<TemplateDefinition, Failure> {
    let set = TemplateSet::load_template(dir, name).map_err(|errors| {
        Failure::input(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    if set.is_empty() {
        let everything = TemplateSet::load_dir(dir).unwrap_or_default();
        let hint = did_you_mean_sentence(&everything.suggest(name))
            .map(|sentence| format!("; {sentence}"))
            .unwrap_or_default();
        return Err(Failure::input(format!(
            "no template `{name}` in {}: no file `{name}.json` or `{name}.<language>.json`{hint} (give the templates' directory with --dir)",
            dir.display()
        )));
    }
    let languages = set.languages_of(name);
    let definition = match (language, languages) {
        (None, [only]) => only,
        (None, several) => {
            return Err(Failure::input(format!(
                "template `{name}` has {} languages ({}); choose one with --language",
                several.len(),
                several
                    .iter()
                    .filter_map(|definition| definition.language.as_deref())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        (Some(_), _) => match set.select(name, language) {
            Ok(found) => found[0],
            // Its own file names no language: sent in the one given.
            Err(_) if languages.len() == 1 && languages[0].language.is_none() => &languages[0],
            Err(error) => return Err(Failure::input(error.to_string())),
        },
    };
    if !definition.kind.is_approved_template() {
        return Err(Failure::input(format!(
            "`{name}` is a `{}` message, not an approved template; `kaleyra send` sends approved templates",
            definition.kind
        )));
    }
    if let Some(part) = definition.unsupported.first() {
        return Err(Failure::input(format!(
            "template `{name}` has a part this tool cannot send yet: {part}"
        )));
    }
    if definition
        .limited_time_offer
        .as_ref()
        .is_some_and(|offer| offer.has_expiration)
    {
        return Err(Failure::input(format!(
            "template `{name}` has a limited-time offer whose expiry each message gives, and `kaleyra send` has no column for it yet; send it from code with `TemplateMessage::offer_expires_at` or a derived struct's `#[kaleyra(offer_expiry)]` field"
        )));
    }
    // A card is a header, body values and button values of its own; a
    // row's columns name the template's, not each card's.
    if definition.card_count() > 0 {
        return Err(Failure::input(format!(
            "template `{name}` is a carousel of {} cards, which `kaleyra send` cannot fill from a file's columns yet; send it from code with a derived struct's `#[kaleyra(cards)]` field",
            definition.card_count()
        )));
    }
    // A place is four values (latitude, longitude, name, address); a CSV
    // has one `header` column, and guessing how to split it could send the
    // wrong place.
    if definition
        .header
        .as_ref()
        .is_some_and(|header| header.kind == HeaderType::Location)
    {
        return Err(Failure::input(format!(
            "template `{name}` has a location header, which `kaleyra send` cannot fill from a file's columns; send it with the library's `TemplateHeader::Location`"
        )));
    }
    if let (Some(status), Sendability::Never | Sendability::NotNow) =
        (&definition.status, definition.sendability())
    {
        return Err(Failure::input(format!(
            "template `{name}` is {status} in its file, so Kaleyra would refuse every row; \
             if that has changed, update the file with `kaleyra templates pull`"
        )));
    }
    Ok(definition.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, language: &str, status: &str) {
        let json = format!(
            r#"{{"name":"ticket","language":"{language}","status":"{status}","category":"UTILITY","parameter_format":"POSITIONAL","components":[{{"type":"BODY","text":"Hi {{{{1}}}}"}}]}}"#
        );
        std::fs::write(dir.join(file), json).unwrap();
    }

    #[test]
    fn the_only_language_is_sent_unless_one_is_given() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ticket.en.json", "en", "APPROVED");
        let chosen = choose(dir.path(), "ticket", None).unwrap();
        assert_eq!(chosen.language, "en");
        assert_eq!(chosen.definition.name, "ticket");
    }

    #[test]
    fn several_languages_need_language_and_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ticket.en.json", "en", "APPROVED");
        write(dir.path(), "ticket.hi.json", "hi", "APPROVED");
        let refused = choose(dir.path(), "ticket", None).unwrap_err();
        assert!(
            refused.message.contains("has 2 languages (en, hi)"),
            "{refused}"
        );
        assert_eq!(
            choose(dir.path(), "ticket", Some("hi")).unwrap().language,
            "hi"
        );
    }

    #[test]
    fn a_misspelled_name_gets_a_did_you_mean() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ticket.en.json", "en", "APPROVED");
        let refused = choose(dir.path(), "tikcet", None).unwrap_err();
        assert!(
            refused.message.contains("did you mean `ticket`?"),
            "{refused}"
        );
    }

    #[test]
    fn a_carousel_is_refused_before_any_row() {
        let dir = tempfile::tempdir().unwrap();
        let card = r#"{"components":[{"type":"HEADER","format":"IMAGE"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Buy"}]}]}"#;
        let json = format!(
            r#"{{"name":"picks","language":"en","status":"APPROVED","category":"MARKETING","components":[{{"type":"BODY","text":"Hi {{{{1}}}}"}},{{"type":"CAROUSEL","cards":[{card},{card}]}}]}}"#
        );
        std::fs::write(dir.path().join("picks.en.json"), json).unwrap();
        let refused = choose(dir.path(), "picks", None).unwrap_err();
        assert!(
            refused.message.contains("is a carousel of 2 cards"),
            "{refused}"
        );
    }

    #[test]
    fn a_template_its_file_says_is_paused_is_refused_before_any_row() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ticket.en.json", "en", "PAUSED");
        let refused = choose(dir.path(), "ticket", None).unwrap_err();
        assert!(
            refused.message.contains("kaleyra templates pull"),
            "{refused}"
        );
    }
}
