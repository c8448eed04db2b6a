//! One CSV row's values, as the journal keeps them, and the template message
//! they make.

use kaleyra_definitions::values::{NoSlot, Slot};
use kaleyra_definitions::{ButtonParameter, HeaderType, TemplateDefinition};
use kaleyra_runtime::{Media, MediaId, MediaUrl, TemplateHeader, TemplateMessage};
use serde::{Deserialize, Serialize};

use crate::columns::{Column, Columns, header_shares_a_body_column};

/// The values of one row, stored in the journal as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowValues {
    /// The body values, in placeholder order.
    pub params: Vec<String>,
    /// The header's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// Each button's value, by index; an empty optional payload is left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<(u8, String)>,
    /// The recipient's number as the row wrote it, when what is sent is
    /// not that (`098111 11115` sent as `+919811111115`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_as_written: Option<String>,
}

impl RowValues {
    /// The recipient and the values of `record`, read through `columns`.
    pub fn read<'d>(
        record: &csv::StringRecord,
        columns: &Columns<'_>,
        definition: &'d TemplateDefinition,
    ) -> (String, RowValues) {
        let cell = |column: Column<'d>| columns.index(column).and_then(|index| record.get(index));
        let value = |slot: Result<Slot<'d>, NoSlot>| slot.ok().map(Column::Value).and_then(cell);
        let recipient = cell(Column::Recipient).unwrap_or_default().to_owned();
        let params = (0..definition.param_count())
            .map(|position| {
                value(definition.body_slot(position))
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let header = value(definition.header_slot())
            .or_else(|| header_shares_a_body_column(definition).and_then(cell))
            .map(str::to_owned);
        let buttons = definition
            .buttons
            .iter()
            .filter_map(|button| {
                let value = value(definition.button_slot(usize::from(button.index)))?;
                // An optional payload left empty is not given.
                let optional = button.parameter() == Some(ButtonParameter::Payload);
                (!(optional && value.is_empty())).then(|| (button.index, value.to_owned()))
            })
            .collect();
        (
            recipient,
            RowValues {
                params,
                header,
                buttons,
                phone_as_written: None,
            },
        )
    }

    /// The message these values make for `definition` in `language`, with
    /// `reference` as its `ref` so status callbacks can be matched to the row.
    pub fn message(
        &self,
        definition: &TemplateDefinition,
        language: &str,
        reference: String,
    ) -> Result<TemplateMessage, String> {
        let name = definition.name.clone();
        if definition.authentication().is_some() {
            let code = self.params.first().map_or("", String::as_str);
            return Ok(TemplateMessage::authentication(name, code)
                .language(language.to_owned())
                .reference(reference));
        }
        let mut message = match definition.kind {
            kaleyra_definitions::TemplateKind::MediaTemplate => TemplateMessage::media(name),
            _ => TemplateMessage::new(name),
        }
        .language(language.to_owned())
        .reference(reference);
        let names = definition.body_parameter_names();
        message = if names.is_empty() {
            message.params(&self.params)
        } else {
            names
                .iter()
                .zip(&self.params)
                .fold(message, |message, (name, value)| {
                    message.named_param((*name).to_owned(), value)
                })
        };
        if let (Some(value), Some(header)) = (&self.header, &definition.header) {
            message = message.header(match header.kind {
                HeaderType::Text => match definition.header_parameter_name() {
                    Some(name) => TemplateHeader::named_text(name.to_owned(), value.clone()),
                    None => TemplateHeader::Text(value.clone()),
                },
                HeaderType::Image => TemplateHeader::Image(media(value)?),
                HeaderType::Video => TemplateHeader::Video(media(value)?),
                HeaderType::Document => TemplateHeader::Document(media(value)?),
                // A product is two ids (catalog and retailer), not one column's text.
                HeaderType::Product => {
                    return Err(format!(
                        "template `{}` has a product header, which `kaleyra send` cannot fill from a CSV column yet; send it with the library's `TemplateHeader::Product`",
                        definition.name
                    ));
                }
                // Refused before any row is read (see `send::load_definition`).
                HeaderType::Location => {
                    return Err(format!(
                        "template `{}` has a location header, which a file's columns cannot fill",
                        definition.name
                    ));
                }
            });
        }
        for (index, value) in &self.buttons {
            message = match definition.button_parameter(*index) {
                Some(ButtonParameter::UrlSuffix) => message.url_button(*index, value),
                Some(ButtonParameter::Payload) => message.quick_reply_payload(*index, value),
                Some(ButtonParameter::CouponCode) => message.coupon_code(*index, value),
                Some(ButtonParameter::ProductThumbnail) => message.catalog_thumbnail(*index, value),
                Some(ButtonParameter::ProductSections) => {
                    return Err(format!(
                        "button {index} of template `{}` lists products in sections, which `kaleyra send` cannot fill from a CSV column yet; send it with the library's `MultiProduct`",
                        definition.name
                    ));
                }
                Some(ButtonParameter::FlowToken) => message.flow_button(*index, value),
                None => {
                    return Err(format!(
                        "template `{}` has no button {index} that takes a value",
                        definition.name
                    ));
                }
            };
        }
        Ok(message.checked_against(definition))
    }
}

/// The prefix that marks a media header column's value as an uploaded
/// file's id (`id:1635572613893474`) rather than a link. Explicit, since an
/// id and a mistyped URL cannot be told apart.
pub(crate) const MEDIA_ID_PREFIX: &str = "id:";

/// A media header column's value: a link, or `id:` and an uploaded file's id.
fn media(value: &str) -> Result<Media, String> {
    match value.strip_prefix(MEDIA_ID_PREFIX) {
        Some(id) => MediaId::new(id).map(Media::from),
        None => MediaUrl::parse(value).map(Media::from),
    }
    .map_err(|error| format!("header: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_column_is_a_link_or_an_id_marked_with_its_prefix() {
        assert_eq!(
            media("https://example.com/t.pdf").unwrap(),
            Media::from(MediaUrl::parse("https://example.com/t.pdf").unwrap())
        );
        assert_eq!(
            media("id:1635572613893474").unwrap(),
            Media::from(MediaId::new("1635572613893474").unwrap())
        );
        // Without the prefix an id is not a link, and is refused as one.
        let refused = media("1635572613893474").unwrap_err();
        assert!(refused.starts_with("header: "), "{refused}");
        assert!(media("id:").unwrap_err().contains("not a media id"));
    }
}
