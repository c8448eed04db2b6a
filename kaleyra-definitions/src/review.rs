//! Meta's review, before submission: what Meta's template guidelines say its
//! review rejects, checked on a template object in Meta's create shape, each
//! finding with its rule, the fix and where the rule is written.
//!
//! Loading a definition already refuses what no template can be (names,
//! lengths, placeholders out of order, URL placeholders not at the end,
//! button counts); these are the rules a loadable template can still fail at
//! review. Where Meta is vague (how many placeholders a text may hold, which
//! words make a message marketing), the finding is a warning, not a refusal.

use serde_json::Value;

use crate::placeholder;

/// Meta's guidelines for templates, where most of these rules are written.
const GUIDELINES: &str =
    "https://developers.facebook.com/docs/whatsapp/message-templates/guidelines";

/// How sure a rule is that Meta's review rejects what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Meta states it: the template is rejected.
    Refused,
    /// Meta is vague, or reviewers differ: the template may be rejected.
    Warning,
}

/// One rule of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// A short name, such as `placeholder-at-edge`.
    pub id: &'static str,
    /// Whether Meta rejects it or may.
    pub severity: Severity,
    /// How to fix what it finds.
    pub fix: &'static str,
    /// Where the rule is written.
    pub source: &'static str,
}

/// A placeholder opens or closes the body (trailing punctuation counts as
/// the end).
pub const PLACEHOLDER_AT_EDGE: Rule = Rule {
    id: "placeholder-at-edge",
    severity: Severity::Refused,
    fix: "put words before the first placeholder and after the last one",
    source: GUIDELINES,
};

/// Two placeholders with nothing but spaces or punctuation between them.
pub const ADJACENT_PLACEHOLDERS: Rule = Rule {
    id: "adjacent-placeholders",
    severity: Severity::Refused,
    fix: "write words between the placeholders, or join them into one",
    source: GUIDELINES,
};

/// A placeholder without the example value Meta's review reads.
pub const MISSING_EXAMPLE: Rule = Rule {
    id: "missing-example",
    severity: Severity::Refused,
    fix: "give `example.body_text` (or `header_text`) one value per placeholder, in order",
    source: "https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components",
};

/// A media header without its sample file's handle.
pub const MISSING_MEDIA_SAMPLE: Rule = Rule {
    id: "missing-media-sample",
    severity: Severity::Refused,
    fix: "give `example.header_handle` the handle of a sample file (Meta's resumable upload gives one)",
    source: "https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components",
};

/// A header or footer text with a line break.
pub const LINE_BREAK: Rule = Rule {
    id: "line-break",
    severity: Severity::Refused,
    fix: "keep a header or footer on one line",
    source: GUIDELINES,
};

/// A header text with emoji or formatting marks (`*`, `_`, `~`).
pub const HEADER_FORMATTING: Rule = Rule {
    id: "header-formatting",
    severity: Severity::Warning,
    fix: "remove emoji and `*`, `_`, `~` from the header; use them in the body",
    source: GUIDELINES,
};

/// Fewer words than a text with that many placeholders needs (an observed
/// rule: about 2n+1 other words for n placeholders).
pub const TOO_MANY_PLACEHOLDERS: Rule = Rule {
    id: "too-many-placeholders",
    severity: Severity::Warning,
    fix: "write more words around the placeholders, or use fewer",
    source: GUIDELINES,
};

/// A utility or authentication template whose words read as marketing.
pub const CATEGORY_FIT: Rule = Rule {
    id: "category-fit",
    severity: Severity::Warning,
    fix: "use category MARKETING for offers and promotions (Meta recategorises or rejects otherwise)",
    source: "https://developers.facebook.com/docs/whatsapp/updates-to-pricing/new-template-guidelines",
};

/// Quick-reply buttons split by other buttons: Meta groups a template's
/// buttons by kind (the quick replies together, the calls to action
/// together), and refuses a template that interleaves them.
pub const BUTTON_GROUPING: Rule = Rule {
    id: "button-grouping",
    severity: Severity::Refused,
    fix: "put the quick-reply buttons next to each other, before or after the other buttons",
    source: "https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components",
};

/// An authentication template with parts Meta writes itself or does not
/// allow: a header, or a button other than its one-time-password button.
pub const AUTHENTICATION_FIXED_PARTS: Rule = Rule {
    id: "authentication-fixed-parts",
    severity: Severity::Refused,
    fix: "give an authentication template a BODY (Meta writes its text), an optional FOOTER with `code_expiration_minutes`, and one OTP button; no header, no other buttons",
    source: "https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates",
};

/// Every rule, for listings.
pub const RULES: [&Rule; 10] = [
    &PLACEHOLDER_AT_EDGE,
    &ADJACENT_PLACEHOLDERS,
    &MISSING_EXAMPLE,
    &MISSING_MEDIA_SAMPLE,
    &LINE_BREAK,
    &HEADER_FORMATTING,
    &TOO_MANY_PLACEHOLDERS,
    &CATEGORY_FIT,
    &BUTTON_GROUPING,
    &AUTHENTICATION_FIXED_PARTS,
];

/// What a rule found, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// Where in the object, such as `components[1].text`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Words that make a message read as marketing (lowercase).
const MARKETING_WORDS: [&str; 8] = [
    "offer",
    "discount",
    "sale",
    "% off",
    "coupon",
    "deal",
    "promo",
    "limited time",
];

/// Reviews a template object in Meta's shape (`name`, `category`,
/// `components`), as Meta's review would read it.
///
/// ```
/// use kaleyra_definitions::review::{review, PLACEHOLDER_AT_EDGE};
/// let object = serde_json::json!({"name": "t", "category": "UTILITY",
///     "components": [{"type": "BODY", "text": "Your code is {{1}}", "example": {"body_text": [["42"]]}}]});
/// let findings = review(&object);
/// assert_eq!(findings[0].rule, &PLACEHOLDER_AT_EDGE);
/// ```
pub fn review(object: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let category = object["category"].as_str().unwrap_or_default();
    let components = object["components"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    components_review(components, category, "components", &mut findings);
    findings
}

/// The rules for a list of components at `path`: a template's, or one
/// carousel card's (whose body, header and buttons Meta reviews alike).
fn components_review(
    components: &[Value],
    category: &str,
    path: &str,
    findings: &mut Vec<Finding>,
) {
    for (position, component) in components.iter().enumerate() {
        let at = format!("{path}[{position}]");
        let kind = component["type"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let text = component["text"].as_str();
        let authentication = category.eq_ignore_ascii_case("AUTHENTICATION");
        match kind.as_str() {
            "BODY" => {
                if let Some(text) = text {
                    body(text, &component["example"], &at, findings);
                    category_fit(category, text, &at, findings);
                }
            }
            "HEADER" if authentication => findings.push(found(
                &AUTHENTICATION_FIXED_PARTS,
                at,
                "an authentication template has no header".to_owned(),
            )),
            "HEADER" => header(component, &at, findings),
            "BUTTONS" => buttons(component, authentication, &at, findings),
            "CAROUSEL" => {
                let cards = component["cards"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                for (card, value) in cards.iter().enumerate() {
                    let card_components = value["components"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    // A card's body is not judged by the template's category.
                    components_review(
                        card_components,
                        "",
                        &format!("{at}.cards[{card}].components"),
                        findings,
                    );
                }
            }
            "FOOTER" => {
                if let Some(text) = text.filter(|text| text.contains('\n')) {
                    findings.push(found(
                        &LINE_BREAK,
                        format!("{at}.text"),
                        format!("the footer {text:?} has a line break"),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// A BUTTONS component: the quick replies grouped, and on an
/// authentication template only its one-time-password button (an `OTP`
/// button, or the `URL` to WhatsApp's copy-code address an account lists it
/// as).
fn buttons(component: &Value, authentication: bool, at: &str, findings: &mut Vec<Finding>) {
    let buttons = component["buttons"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let kinds: Vec<String> = buttons
        .iter()
        .map(|button| {
            button["type"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_uppercase()
        })
        .collect();
    if authentication {
        for (position, (button, kind)) in buttons.iter().zip(&kinds).enumerate() {
            let is_code = kind == "OTP"
                || (kind == "URL"
                    && button["url"]
                        .as_str()
                        .is_some_and(|url| url.starts_with("https://www.whatsapp.com/otp/code/")));
            if !is_code {
                findings.push(found(
                    &AUTHENTICATION_FIXED_PARTS,
                    format!("{at}.buttons[{position}]"),
                    format!("an authentication template's only button is its OTP button, not a {kind} button"),
                ));
            }
        }
        return;
    }
    let quick_replies: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| *kind == "QUICK_REPLY")
        .map(|(position, _)| position)
        .collect();
    if let (Some(first), Some(last)) = (quick_replies.first(), quick_replies.last())
        && last - first + 1 != quick_replies.len()
    {
        let between = (*first..*last)
            .find(|position| kinds[*position] != "QUICK_REPLY")
            .unwrap_or(*first);
        findings.push(found(
            &BUTTON_GROUPING,
            format!("{at}.buttons[{between}]"),
            format!(
                "a {} button splits the quick-reply buttons; Meta groups a template's buttons by kind",
                kinds[between]
            ),
        ));
    }
}

fn found(rule: &'static Rule, path: String, message: String) -> Finding {
    Finding {
        rule,
        path,
        message,
    }
}

fn body(text: &str, example: &Value, at: &str, findings: &mut Vec<Finding>) {
    let placeholders = placeholder::braces(text);
    let path = format!("{at}.text");
    let (Some((first, first_range)), Some((last, last_range))) =
        (placeholders.first(), placeholders.last())
    else {
        return;
    };
    let is_edge = |rest: &str| {
        rest.chars()
            .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
    };
    if is_edge(&text[..first_range.start]) {
        findings.push(found(
            &PLACEHOLDER_AT_EDGE,
            path.clone(),
            format!("the body starts with `{{{{{first}}}}}`"),
        ));
    }
    if is_edge(&text[last_range.end..]) {
        findings.push(found(
            &PLACEHOLDER_AT_EDGE,
            path.clone(),
            format!("the body ends with `{{{{{last}}}}}`"),
        ));
    }
    for pair in placeholders.windows(2) {
        let ((left, left_range), (right, right_range)) = (&pair[0], &pair[1]);
        if is_edge(&text[left_range.end..right_range.start]) {
            findings.push(found(
                &ADJACENT_PLACEHOLDERS,
                path.clone(),
                format!("`{{{{{left}}}}}` and `{{{{{right}}}}}` have no words between them"),
            ));
        }
    }
    // Numbered placeholders' examples are one row of `body_text`; named
    // ones' are `body_text_named_params`, one entry per name.
    let given = match example["body_text_named_params"].as_array() {
        Some(named) => named.len(),
        None => example["body_text"][0].as_array().map_or(0, Vec::len),
    };
    let distinct = {
        let mut names: Vec<&str> = placeholders.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    if given != distinct {
        findings.push(found(
            &MISSING_EXAMPLE,
            format!("{at}.example.body_text"),
            format!("the body has {distinct} placeholder(s) and {given} example value(s)"),
        ));
    }
    let words = text
        .split_whitespace()
        .filter(|word| !word.contains("{{"))
        .count();
    let needed = 2 * placeholders.len() + 1;
    if words < needed {
        findings.push(found(
            &TOO_MANY_PLACEHOLDERS,
            path,
            format!(
                "{} placeholder(s) among {words} other word(s); about {needed} words are expected",
                placeholders.len()
            ),
        ));
    }
}

fn header(component: &Value, at: &str, findings: &mut Vec<Finding>) {
    let format = component["format"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if matches!(format.as_str(), "IMAGE" | "VIDEO" | "DOCUMENT") {
        let handles = component["example"]["header_handle"]
            .as_array()
            .map_or(0, Vec::len);
        if handles == 0 {
            findings.push(found(
                &MISSING_MEDIA_SAMPLE,
                format!("{at}.example.header_handle"),
                format!(
                    "the {} header has no sample file",
                    format.to_ascii_lowercase()
                ),
            ));
        }
        return;
    }
    let Some(text) = component["text"].as_str() else {
        return;
    };
    let path = format!("{at}.text");
    if text.contains('\n') {
        findings.push(found(
            &LINE_BREAK,
            path.clone(),
            format!("the header {text:?} has a line break"),
        ));
    }
    if text
        .chars()
        .any(|c| matches!(c, '*' | '_' | '~') || is_emoji(c))
    {
        findings.push(found(
            &HEADER_FORMATTING,
            path,
            format!("the header {text:?} has emoji or formatting marks"),
        ));
    }
    let count = placeholder::braces(text).len();
    let given = component["example"]["header_text"]
        .as_array()
        .map_or(0, Vec::len);
    if count > 0 && given != count {
        findings.push(found(
            &MISSING_EXAMPLE,
            format!("{at}.example.header_text"),
            format!("the header has {count} placeholder(s) and {given} example value(s)"),
        ));
    }
}

fn category_fit(category: &str, text: &str, at: &str, findings: &mut Vec<Finding>) {
    if !matches!(category, "UTILITY" | "AUTHENTICATION") {
        return;
    }
    let lower = text.to_lowercase();
    if let Some(word) = MARKETING_WORDS.iter().find(|word| lower.contains(*word)) {
        findings.push(found(
            &CATEGORY_FIT,
            format!("{at}.text"),
            format!("a {category} template's body says `{word}`, which reads as marketing"),
        ));
    }
}

/// Whether `c` is in one of Unicode's emoji and pictograph blocks.
fn is_emoji(c: char) -> bool {
    matches!(u32::from(c), 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F1E6..=0x1F1FF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body_object(text: &str, examples: Value) -> Value {
        json!({"name": "t", "category": "MARKETING",
            "components": [{"type": "BODY", "text": text, "example": {"body_text": [examples]}}]})
    }

    fn rules(object: &Value) -> Vec<&'static str> {
        review(object)
            .iter()
            .map(|finding| finding.rule.id)
            .collect()
    }

    #[test]
    fn a_well_written_body_passes() {
        let object = body_object(
            "Hello {{1}}, your order {{2}} has shipped and arrives on Friday. Reply STOP to opt out.",
            json!(["Asha", "4711"]),
        );
        assert_eq!(rules(&object), Vec::<&str>::new());
    }

    #[test]
    fn placeholders_at_the_edges_and_side_by_side_are_refused() {
        let object = body_object(
            "{{1}} {{2}}, your order has shipped to {{3}}.",
            json!(["a", "b", "c"]),
        );
        assert_eq!(
            rules(&object),
            [
                "placeholder-at-edge",
                "placeholder-at-edge",
                "adjacent-placeholders",
                // 3 placeholders among 5 other words.
                "too-many-placeholders",
            ]
        );
    }

    #[test]
    fn every_placeholder_needs_an_example() {
        let object = body_object(
            "Hello {{1}}, your order {{2}} has shipped today, thank you.",
            json!(["Asha"]),
        );
        let findings = review(&object);
        assert_eq!(findings[0].rule, &MISSING_EXAMPLE);
        assert_eq!(findings[0].path, "components[0].example.body_text");
        assert!(
            findings[0]
                .message
                .contains("2 placeholder(s) and 1 example")
        );
    }

    #[test]
    fn a_short_text_with_many_placeholders_is_a_warning() {
        let object = body_object(
            "Hi {{1}}, gate {{2}} now {{3}}. Thanks.",
            json!(["a", "b", "c"]),
        );
        let findings = review(&object);
        let finding = findings
            .iter()
            .find(|finding| finding.rule == &TOO_MANY_PLACEHOLDERS)
            .unwrap();
        assert_eq!(finding.rule.severity, Severity::Warning);
    }

    #[test]
    fn headers_footers_and_media_samples() {
        let object = json!({"name": "t", "category": "MARKETING", "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Sale 🎉 *today*"},
            {"type": "HEADER", "format": "IMAGE"},
            {"type": "FOOTER", "text": "Line one\nline two"},
        ]});
        assert_eq!(
            rules(&object),
            ["header-formatting", "missing-media-sample", "line-break"]
        );
    }

    #[test]
    fn a_utility_template_that_sells_is_warned() {
        let object = json!({"name": "t", "category": "UTILITY", "components": [
            {"type": "BODY", "text": "Your order shipped. Enjoy 20% OFF your next order with this coupon today!"}]});
        let findings = review(&object);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, &CATEGORY_FIT);
        assert!(
            findings[0].message.contains("`% off`"),
            "{}",
            findings[0].message
        );
    }
}
