//! Typed messages for the templates in this repository's `templates/`
//! directory, used by the examples and the integration tests. Each struct is
//! checked against its definition when this crate compiles.

use kaleyra_runtime::{MediaUrl, Template};

/// `booking_confirm`: a plain approved template with two body values.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "booking_confirm")]
pub struct BookingConfirm<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
    /// The booking id (`{{2}}`).
    pub booking_id: u32,
}

/// `imt_dynamic`: a media template with a document header, a quick-reply
/// button and a URL button with a dynamic suffix.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "imt_dynamic")]
pub struct ImtDynamic<'a> {
    /// The customer's first name (`{{1}}`).
    pub first_name: &'a str,
    /// The customer's last name (`{{2}}`).
    pub last_name: String,
    /// The ticket, a PDF, shown as the document header.
    #[kaleyra(header)]
    pub ticket: MediaUrl,
    /// The end of the login URL of button 1.
    #[kaleyra(button = 1)]
    pub login_path: String,
    /// The payload button 0 ("Confirm") returns when tapped.
    #[kaleyra(button = 0)]
    pub confirm_payload: String,
}

/// `british_council`: the template of Kaleyra's sandbox sample.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "british_council")]
pub struct BritishCouncil<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
}

/// `reply_buttons_sample`: Kaleyra's reply-button sample, with the customer's
/// name filled into the body.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "reply_buttons_sample")]
pub struct ReplyButtonsSample<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
}

/// `cta_url_sample`: Kaleyra's CTA-URL sample, with a per-message click id.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "cta_url_sample")]
pub struct CtaUrlSample<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
    /// The click id appended to the button's URL.
    #[kaleyra(button = 0)]
    pub click_id: &'a str,
}
