//! The fields of a limited-time offer's expiry (`#[kaleyra(offer_expiry)]`)
//! and of a flow button's initial data (`#[kaleyra(flow_data)]`), against
//! the template: each field fills something the template has, once, and an
//! offer that shows its expiry has a field for it.

use kaleyra_definitions::ButtonType;
use proc_macro2::Span;

use crate::attr::{Container, Field, Role};
use crate::ctxt::{Ctxt, Message};
use crate::locate::Located;

/// The fields that fill what a message gives an offer and a flow.
#[derive(Default)]
pub(crate) struct Placed<'a> {
    /// The limited-time offer's expiry.
    pub(crate) offer_expiry: Option<&'a Field<'a>>,
    /// The flow button's initial data.
    pub(crate) flow_data: Option<&'a Field<'a>>,
}

/// Finds the expiry and flow-data fields, reporting a field the template
/// has no place for, a second field for one place, and an expiring offer
/// without its field.
pub(crate) fn place<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Placed<'a> {
    let mut placed = Placed::default();
    let definition = &located.definition;
    let name = &definition.name;
    let expiring = definition
        .limited_time_offer
        .as_ref()
        .is_some_and(|offer| offer.has_expiration);
    let flow_buttons = definition
        .buttons
        .iter()
        .filter(|button| button.button_type() == ButtonType::Flow)
        .count();
    for field in &container.fields {
        match field.role {
            Role::OfferExpiry { span } => {
                let place = Place {
                    key: "offer_expiry",
                    what: "the offer's expiry",
                    span,
                };
                if !expiring {
                    let has = match &definition.limited_time_offer {
                        Some(_) => {
                            "a limited-time offer without an expiry (`has_expiration` is not set)"
                        }
                        None => "no LIMITED_TIME_OFFER component",
                    };
                    place.not_in_template(
                        cx,
                        field,
                        &format!("`{}` has {has}", located.shown),
                        name,
                    );
                } else {
                    place.fill(cx, field, &mut placed.offer_expiry);
                }
            }
            Role::FlowData { span } => {
                let place = Place {
                    key: "flow_data",
                    what: "the flow's data",
                    span,
                };
                if flow_buttons != 1 {
                    let has = if flow_buttons == 0 {
                        "no FLOW button".to_owned()
                    } else {
                        format!(
                            "{flow_buttons} FLOW buttons, so which one the data goes with is not known"
                        )
                    };
                    place.not_in_template(
                        cx,
                        field,
                        &format!("`{}` has {has}", located.shown),
                        name,
                    );
                } else {
                    place.fill(cx, field, &mut placed.flow_data);
                }
            }
            _ => {}
        }
    }
    if expiring && placed.offer_expiry.is_none() && !has_invalid_field(container) {
        cx.error_spanned_by(
            &container.input.ident,
            Message::new("no field for the offer's expiry")
                .note(format!(
                    "`{}` has a limited-time offer that shows its expiry, which each message gives",
                    located.shown
                ))
                .help("add a field `#[kaleyra(offer_expiry)] expires_at: std::time::SystemTime`"),
        );
    }
    // A missing flow token field is reported with the other buttons; the
    // flow's data is optional.
    placed
}

fn has_invalid_field(container: &Container<'_>) -> bool {
    container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid))
}

/// A place an attribute names, for its errors.
struct Place {
    key: &'static str,
    what: &'static str,
    span: Span,
}

impl Place {
    fn not_in_template(&self, cx: &mut Ctxt, field: &Field<'_>, note: &str, name: &str) {
        cx.push(syn::Error::new(
            self.span,
            Message::new(format!("template `{name}` has no place for {}", self.what))
                .note(note)
                .help(format!(
                    "remove `{}`, or the field `{}`",
                    self.key, field.ident
                )),
        ));
    }

    fn fill<'a>(&self, cx: &mut Ctxt, field: &'a Field<'a>, slot: &mut Option<&'a Field<'a>>) {
        match slot {
            Some(first) => cx.push(syn::Error::new(
                self.span,
                Message::new(format!("a second `{}` field", self.key)).note(format!(
                    "a message gives {} once, and `{}` gives it",
                    self.what, first.ident
                )),
            )),
            None => *slot = Some(field),
        }
    }
}
