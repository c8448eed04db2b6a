//! WhatsApp's and Kaleyra's limits, in one place for the definition checks,
//! the runtime's checks before sending, and the emulator.
//!
//! Lengths count characters (Unicode scalar values), as WhatsApp does.

/// Longest template name.
pub const TEMPLATE_NAME: usize = 512;
/// Longest approved template body.
pub const TEMPLATE_BODY: usize = 1024;
/// Longest header text.
pub const HEADER_TEXT: usize = 60;
/// Longest footer text.
pub const FOOTER: usize = 60;
/// Most placeholders in a header text.
pub const HEADER_PLACEHOLDERS: usize = 1;
/// Longest label of a template button (quick reply, URL, phone number).
pub const TEMPLATE_BUTTON_TEXT: usize = 25;
/// Longest button URL, with its dynamic suffix filled in.
pub const BUTTON_URL: usize = 2000;
/// Most buttons on a Kaleyra v1 media template (indices 0 to 2): v1 sends
/// refuse a template with more, and this project's own definition format,
/// written for both APIs, keeps to it.
pub const TEMPLATE_BUTTONS: usize = 3;
/// Highest button index on a Kaleyra v1 media template.
pub const BUTTON_INDEX_MAX: u8 = 2;
/// Most buttons on a WhatsApp template (Meta's limit, and so v2's), of all
/// types together; each type has its own cap too (see
/// [`crate::ButtonType::meta_cap`]).
pub const META_TEMPLATE_BUTTONS: usize = 10;
/// Highest button index on a WhatsApp template (Meta's, and so v2's).
pub const META_BUTTON_INDEX_MAX: u8 = 9;
/// Most URL buttons on a WhatsApp template.
pub const META_URL_BUTTONS: usize = 2;
/// Most phone-number buttons on a WhatsApp template.
pub const META_PHONE_NUMBER_BUTTONS: usize = 1;
/// Most copy-code buttons on a WhatsApp template, and most `OTP` buttons.
pub const META_CODE_BUTTONS: usize = 1;
/// Most catalog, multi-product or single-product buttons a WhatsApp template
/// may have, of each kind.
pub const META_PRODUCT_BUTTONS: usize = 1;
/// Most flow buttons a WhatsApp template may have.
pub const META_FLOW_BUTTONS: usize = 1;
/// Most reply buttons on an interactive message (at least one is required).
pub const REPLY_BUTTONS: usize = 3;
/// Longest reply button id.
pub const REPLY_BUTTON_ID: usize = 256;
/// Longest reply button title.
pub const REPLY_BUTTON_TITLE: usize = 20;
/// Longest body of an interactive message (reply buttons, CTA URL).
pub const INTERACTIVE_BODY: usize = 1024;
/// Longest display text of a CTA URL button.
pub const CTA_DISPLAY_TEXT: usize = 20;
/// Longest text message body.
pub const TEXT_BODY: usize = 4096;
/// Longest `ref`, `ref1` and `ref2` (Kaleyra truncates longer ones, so they are refused).
pub const REF: usize = 255;
/// Longest code of an authentication template (the one-time password).
pub const AUTHENTICATION_CODE: usize = 15;
/// Characters in the coupon code a copy-code button copies (Meta's limit).
pub const COUPON_CODE: usize = 15;
/// Most products a multi-product (MPM) message lists, over all its sections.
pub const MULTI_PRODUCT_ITEMS: usize = 30;
/// Most sections a multi-product (MPM) message groups its products in.
pub const MULTI_PRODUCT_SECTIONS: usize = 10;
/// Longest title of a multi-product message's section.
pub const PRODUCT_SECTION_TITLE: usize = 24;
/// The fewest cards a carousel template is approved with (Meta's media- and
/// product-card carousels).
pub const CAROUSEL_CARDS_MIN: usize = 2;
/// The most cards a carousel template has.
pub const CAROUSEL_CARDS_MAX: usize = 10;
/// The longest text of a carousel card's body, in characters.
pub const CARD_BODY: usize = 160;
/// The most buttons a media carousel card has (product cards have one).
pub const CARD_BUTTONS: usize = 2;
/// Longest text of a limited-time offer (Meta's `limited_time_offer.text`).
pub const OFFER_TEXT: usize = 16;
/// Highest latitude of a location, in degrees north or south.
pub const LATITUDE_MAX: f64 = 90.0;
/// Highest longitude of a location, in degrees east or west.
pub const LONGITUDE_MAX: f64 = 180.0;
/// Most consecutive spaces in a body parameter value.
pub const PARAMETER_CONSECUTIVE_SPACES: usize = 4;

/// The number of characters in `text`, as WhatsApp counts them.
pub fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Why `value` cannot be a template parameter (a body or header value), if it cannot:
/// WhatsApp rejects empty values, newlines, tabs and more than four spaces in a row.
///
/// ```
/// use kaleyra_definitions::limits::parameter_problem;
/// assert_eq!(parameter_problem("Ada"), None);
/// assert!(parameter_problem("two\nlines").is_some());
/// ```
pub fn parameter_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is empty; WhatsApp requires a value for every placeholder".to_owned());
    }
    // One pass, as every value of every message goes through here; a line
    // break is reported first, then a tab, then the spaces.
    let (mut tab, mut too_many_spaces, mut spaces_in_a_row) = (false, false, 0);
    for byte in value.bytes() {
        match byte {
            b'\n' | b'\r' => {
                return Some(
                    "contains a line break, which WhatsApp refuses in parameters".to_owned(),
                );
            }
            b'\t' => tab = true,
            b' ' => {
                spaces_in_a_row += 1;
                too_many_spaces |= spaces_in_a_row > PARAMETER_CONSECUTIVE_SPACES;
            }
            _ => spaces_in_a_row = 0,
        }
    }
    if tab {
        return Some("contains a tab, which WhatsApp refuses in parameters".to_owned());
    }
    if too_many_spaces {
        return Some(format!(
            "has more than {PARAMETER_CONSECUTIVE_SPACES} consecutive spaces, which WhatsApp refuses in parameters"
        ));
    }
    None
}

/// Whether `text` is empty or only whitespace (what WhatsApp calls empty).
///
/// ```
/// use kaleyra_definitions::limits::is_blank;
/// assert!(is_blank(" \u{a0}\n"));
/// assert!(!is_blank(" a "));
/// ```
pub fn is_blank(text: &str) -> bool {
    // Stops at the first character that is not whitespace, where trimming
    // would scan from both ends.
    text.chars().all(char::is_whitespace)
}

/// Why `text` is too long, if it has more than `max` characters.
pub fn length_problem(text: &str, max: usize) -> Option<String> {
    // A text has no more characters than bytes, so most need no counting.
    if text.len() <= max {
        return None;
    }
    let count = chars(text);
    (count > max).then(|| format!("has {count} characters; the limit is {max}"))
}

/// Whether `number` is shaped like an E.164 phone number: an optional `+`,
/// then 8 to 15 digits, the first not zero.
///
/// This checks the shape only; whether the number exists is Kaleyra's to say.
///
/// ```
/// use kaleyra_definitions::limits::is_e164;
/// assert!(is_e164("+912025550100"));
/// assert!(is_e164("912025550100"));
/// assert!(!is_e164("+91 20255 50100"));
/// ```
pub fn is_e164(number: &str) -> bool {
    let digits = number.strip_prefix('+').unwrap_or(number);
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Whether `url` is an absolute `http://` or `https://` URL with a host.
pub fn is_http_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|parsed| {
        matches!(parsed.scheme(), "http" | "https")
            && parsed.host_str().is_some_and(|host| !host.is_empty())
            && !url.contains(char::is_whitespace)
    })
}

/// Whether a template name is `^[a-z0-9_]+$` and at most [`TEMPLATE_NAME`] long.
pub fn is_template_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= TEMPLATE_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `name` can name a placeholder of a template with named
/// parameters: `^[a-z0-9_]+$`, as Meta requires.
///
/// ```
/// use kaleyra_definitions::limits::is_parameter_name;
/// assert!(is_parameter_name("customer_name"));
/// assert!(!is_parameter_name("Customer"));
/// ```
pub fn is_parameter_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `code` looks like a language code: two or three letters, then an
/// optional region (`en`, `pt_BR`, `en_us`).
pub fn is_language_code(code: &str) -> bool {
    let (language, region) = match code.split_once('_') {
        Some((language, region)) => (language, Some(region)),
        None => (code, None),
    };
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && region.is_none_or(|region| {
            (2..=4).contains(&region.len()) && region.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Kaleyra's tested outbound rate, in messages per second: "The maximum
/// tested outbound message rate is 20 messages per second" (its capacity
/// page). `kaleyra send` paces at it unless `--rate` says otherwise, and a
/// campaign whose rate limit is off paces at it after Kaleyra first says it
/// sends too fast.
pub const TESTED_MESSAGES_PER_SECOND: f64 = 20.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_spaces_are_allowed_and_five_are_not() {
        assert_eq!(parameter_problem("a    b"), None);
        assert!(parameter_problem("a     b").is_some());
    }

    #[test]
    fn a_line_break_is_named_before_a_tab_and_a_tab_before_spaces() {
        let problem = |value| parameter_problem(value).unwrap();
        assert!(problem("a\tb     c\nd").contains("line break"));
        assert!(problem("a     b\tc").contains("tab"));
        assert!(problem("a\rb").contains("line break"));
        assert!(problem("").contains("empty"));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let sixty = "é".repeat(60);
        assert_eq!(length_problem(&sixty, 60), None);
        assert!(length_problem(&format!("{sixty}é"), 60).is_some());
    }

    #[test]
    fn e164_bounds() {
        assert!(is_e164("+12345678"));
        assert!(!is_e164("+1234567"));
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+0123456789"));
        assert!(!is_e164("++123456789"));
    }

    #[test]
    fn http_urls_need_a_scheme_and_host() {
        assert!(is_http_url("https://example.com/a?b"));
        assert!(is_http_url("http://127.0.0.1:8080"));
        assert!(!is_http_url("ftp://example.com"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://exa mple.com"));
    }

    #[test]
    fn template_names() {
        assert!(is_template_name("imt_dynamic2"));
        assert!(!is_template_name("Imt"));
        assert!(!is_template_name("imt-dynamic"));
        assert!(is_template_name(&"a".repeat(512)));
        assert!(!is_template_name(&"a".repeat(513)));
    }
}
