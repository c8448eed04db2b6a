//! What differs between the definitions on disk and the templates the
//! account lists: the differences that make a send compile but fail.

use std::fmt;

use crate::directory::{TemplateSet, body_parameters, button_values, header_value};
use crate::model::TemplateDefinition;
use crate::status::{Sendability, TemplateStatus};

/// One difference between a definition on disk and the account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Drift {
    /// The template's name.
    pub name: String,
    /// The language concerned; `None` for a definition on disk that names none.
    pub language: Option<String>,
    /// What differs.
    pub kind: DriftKind,
}

/// What differs between a definition on disk and the account's template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftKind {
    /// The account lists no template of this name.
    MissingInAccount,
    /// The account has the name, but not in this language.
    LanguageMissing {
        /// The languages the account has it in.
        account_languages: Vec<String>,
    },
    /// The account lists a template that has no definition on disk. Not an
    /// error for code that does not send it: see [`Drift::breaks_sends`].
    NotOnDisk {
        /// Its status in the account.
        status: Option<TemplateStatus>,
    },
    /// The account's template cannot be sent now, or ever.
    NotApproved {
        /// The status in the account, such as `PAUSED` or `REJECTED`.
        status: Option<TemplateStatus>,
    },
    /// The body's parameters differ: their count, names or format.
    ParametersDiffer {
        /// On disk, such as `2` or `` `customer_name`, `order_id` ``.
        local: String,
        /// In the account.
        account: String,
    },
    /// The header differs (none, fixed text, text with a placeholder, a media kind).
    HeaderDiffers {
        /// On disk.
        local: String,
        /// In the account.
        account: String,
    },
    /// The buttons differ: their indexes, types, or which take a value.
    ButtonsDiffer {
        /// On disk.
        local: String,
        /// In the account.
        account: String,
    },
    /// The limited-time offer differs: one side has none, or only one shows
    /// an expiry (which each message then gives).
    OfferDiffers {
        /// On disk.
        local: String,
        /// In the account.
        account: String,
    },
    /// A carousel's cards differ: their number, or what a card takes (its
    /// header, body values and button values).
    CardsDiffer {
        /// On disk.
        local: String,
        /// In the account.
        account: String,
    },
    /// The body text was edited (same parameters, other words).
    BodyChanged {
        /// On disk.
        local: String,
        /// In the account.
        account: String,
    },
}

impl Drift {
    /// Whether the difference makes code built from the definitions on disk
    /// fail when it sends: everything but [`DriftKind::NotOnDisk`], since a
    /// template nobody derives cannot be sent wrongly.
    pub fn breaks_sends(&self) -> bool {
        !matches!(self.kind, DriftKind::NotOnDisk { .. })
    }

    fn new(definition: &TemplateDefinition, kind: DriftKind) -> Self {
        Drift {
            name: definition.name.clone(),
            language: definition.language.clone(),
            kind,
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.name)?;
        match &self.language {
            Some(language) => write!(f, " ({language}): ")?,
            None => f.write_str(" (no language on disk): ")?,
        }
        let status = |status: &Option<TemplateStatus>| {
            status
                .as_ref()
                .map_or_else(|| "no status".to_owned(), |s| s.as_str().to_owned())
        };
        match &self.kind {
            DriftKind::MissingInAccount => f.write_str("missing in the account"),
            DriftKind::LanguageMissing { account_languages } => {
                let listed: Vec<String> =
                    account_languages.iter().map(|l| format!("`{l}`")).collect();
                write!(
                    f,
                    "the account does not have this language; it has {}",
                    listed.join(", ")
                )
            }
            DriftKind::NotOnDisk { status: s } => {
                write!(f, "in the account ({}) but not on disk", status(s))
            }
            DriftKind::NotApproved { status: s } => {
                write!(f, "status in the account is {}, not APPROVED", status(s))
            }
            DriftKind::ParametersDiffer { local, account } => write!(
                f,
                "body parameters differ: on disk {local}, in the account {account}"
            ),
            DriftKind::HeaderDiffers { local, account } => {
                write!(
                    f,
                    "header differs: on disk {local}, in the account {account}"
                )
            }
            DriftKind::ButtonsDiffer { local, account } => write!(
                f,
                "buttons differ: on disk {local}, in the account {account}"
            ),
            DriftKind::OfferDiffers { local, account } => write!(
                f,
                "limited-time offer differs: on disk {local}, in the account {account}"
            ),
            DriftKind::CardsDiffer { local, account } => write!(
                f,
                "carousel cards differ: on disk {local}, in the account {account}"
            ),
            DriftKind::BodyChanged { local, account } => write!(
                f,
                "body text differs: on disk {local:?}, in the account {account:?}"
            ),
        }
    }
}

/// Compares every approved-template definition on disk (`local`) with the
/// account's templates (`account`), and lists what differs, by name and
/// language. Interactive kinds (`reply`, `cta_url`) are not account
/// templates and are not compared. A definition on disk without a language
/// is compared with every language the account has for its name.
///
/// ```
/// use std::path::Path;
/// use kaleyra_definitions::{DriftKind, TemplateDefinition, TemplateSet, diff};
///
/// let read = |json: &str, file: &str| TemplateDefinition::from_slice(json.as_bytes(), Path::new(file)).unwrap();
/// let local = TemplateSet::from_definitions([read(
///     r#"{"name":"order_update","kind":"template","language":"en","body":"Order {{1}} shipped"}"#,
///     "order_update.en.json",
/// )]);
/// let account = TemplateSet::from_definitions([read(
///     r#"{"name":"order_update","language":"en","status":"PAUSED","components":[{"type":"BODY","text":"Order {{1}} shipped {{2}}"}]}"#,
///     "order_update.en.json",
/// )]);
/// let drifts = diff(&local, &account);
/// assert_eq!(drifts[0].to_string(), "`order_update` (en): status in the account is PAUSED, not APPROVED");
/// assert_eq!(drifts[1].to_string(), "`order_update` (en): body parameters differ: on disk 1, in the account 2");
/// ```
pub fn diff(local: &TemplateSet, account: &TemplateSet) -> Vec<Drift> {
    let mut drifts = Vec::new();
    for definition in local.iter().filter(|d| d.kind.is_approved_template()) {
        let in_account = account.languages_of(&definition.name);
        if in_account.is_empty() {
            drifts.push(Drift::new(definition, DriftKind::MissingInAccount));
            continue;
        }
        let compared: Vec<&TemplateDefinition> = match &definition.language {
            Some(language) => in_account
                .iter()
                .filter(|theirs| theirs.language.as_deref() == Some(language.as_str()))
                .collect(),
            None => in_account.iter().collect(),
        };
        if compared.is_empty() {
            let account_languages = in_account
                .iter()
                .filter_map(|theirs| theirs.language.clone())
                .collect();
            drifts.push(Drift::new(
                definition,
                DriftKind::LanguageMissing { account_languages },
            ));
        }
        for theirs in compared {
            compare(definition, theirs, &mut drifts);
        }
    }
    for theirs in account.iter() {
        let on_disk = local.languages_of(&theirs.name).iter().any(|ours| {
            ours.language.is_none() || ours.language.as_deref() == theirs.language.as_deref()
        });
        if !on_disk {
            drifts.push(Drift::new(
                theirs,
                DriftKind::NotOnDisk {
                    status: theirs.status.clone(),
                },
            ));
        }
    }
    drifts
}

/// The values a message gives, compared one by one.
enum Value {
    Parameters,
    Header,
    Buttons,
    Offer,
    Cards,
}

/// What a carousel asks of each message: how many cards, and what each
/// card takes, in order.
fn cards_value(definition: &TemplateDefinition) -> String {
    let Some(carousel) = &definition.carousel else {
        return "no carousel".to_owned();
    };
    let cards: Vec<String> = carousel
        .cards
        .iter()
        .map(|card| {
            let takes = card.takes(definition.parameter_format);
            let buttons: Vec<String> = takes
                .buttons
                .iter()
                .map(|(index, takes)| format!("button {index} {}", takes.as_str()))
                .collect();
            format!(
                "[{} header, {} body value(s){}{}]",
                takes.header.as_str(),
                takes.params,
                if buttons.is_empty() { "" } else { ", " },
                buttons.join(", ")
            )
        })
        .collect();
    format!("{} cards {}", cards.len(), cards.join(" "))
}

/// What a definition's limited-time offer asks of each message.
fn offer_value(definition: &TemplateDefinition) -> String {
    match &definition.limited_time_offer {
        None => "none".to_owned(),
        Some(offer) if offer.has_expiration => "an offer with an expiry".to_owned(),
        Some(_) => "an offer without an expiry".to_owned(),
    }
}

/// The differences between one definition on disk and the account's
/// template in the same language (or, for `ours` without a language, one of
/// the account's languages, which the drift names).
fn compare(ours: &TemplateDefinition, theirs: &TemplateDefinition, drifts: &mut Vec<Drift>) {
    let mut push = |kind| {
        drifts.push(Drift {
            name: theirs.name.clone(),
            language: theirs.language.clone(),
            kind,
        })
    };
    if theirs.sendability() != Sendability::Sendable {
        push(DriftKind::NotApproved {
            status: theirs.status.clone(),
        });
    }
    let compared = [
        (
            body_parameters(ours),
            body_parameters(theirs),
            Value::Parameters,
        ),
        (header_value(ours), header_value(theirs), Value::Header),
        (button_values(ours), button_values(theirs), Value::Buttons),
        (offer_value(ours), offer_value(theirs), Value::Offer),
        (cards_value(ours), cards_value(theirs), Value::Cards),
    ];
    let mut values_agree = true;
    for (local, account, value) in compared {
        if local != account {
            values_agree = false;
            push(match value {
                Value::Parameters => DriftKind::ParametersDiffer { local, account },
                Value::Header => DriftKind::HeaderDiffers { local, account },
                Value::Buttons => DriftKind::ButtonsDiffer { local, account },
                Value::Offer => DriftKind::OfferDiffers { local, account },
                Value::Cards => DriftKind::CardsDiffer { local, account },
            });
        }
    }
    // A changed text matters on its own only when the values agree; a file
    // in this project's format may give `params` without any text.
    if values_agree
        && let (Some(local), Some(account)) = (&ours.body, &theirs.body)
        && local != account
    {
        push(DriftKind::BodyChanged {
            local: local.clone(),
            account: account.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn meta(name: &str, language: &str, status: &str, components: &str) -> TemplateDefinition {
        let json = format!(
            r#"{{"name":"{name}","language":"{language}","status":"{status}","category":"UTILITY","components":{components}}}"#
        );
        TemplateDefinition::from_slice(
            json.as_bytes(),
            Path::new(&format!("{name}.{language}.json")),
        )
        .unwrap()
    }

    const BODY_2: &str = r#"[{"type":"BODY","text":"Hi {{1}}, order {{2}}"}]"#;

    fn set(definitions: impl IntoIterator<Item = TemplateDefinition>) -> TemplateSet {
        TemplateSet::from_definitions(definitions)
    }

    fn kinds(drifts: &[Drift]) -> Vec<&DriftKind> {
        drifts.iter().map(|drift| &drift.kind).collect()
    }

    #[test]
    fn equal_sets_do_not_drift() {
        let local = set([meta("order", "en", "APPROVED", BODY_2)]);
        assert_eq!(diff(&local, &local.clone()), []);
    }

    #[test]
    fn a_template_the_account_does_not_have_is_missing() {
        let local = set([meta("order", "en", "APPROVED", BODY_2)]);
        let drifts = diff(&local, &TemplateSet::default());
        assert_eq!(kinds(&drifts), [&DriftKind::MissingInAccount]);
        assert_eq!(
            drifts[0].to_string(),
            "`order` (en): missing in the account"
        );
        assert!(drifts[0].breaks_sends());
    }

    #[test]
    fn a_language_the_account_does_not_have_lists_the_ones_it_has() {
        let local = set([meta("order", "en", "APPROVED", BODY_2)]);
        let account = set([
            meta("order", "en_US", "APPROVED", BODY_2),
            meta("order", "hi", "APPROVED", BODY_2),
        ]);
        let drifts = diff(&local, &account);
        assert_eq!(
            drifts[0].to_string(),
            "`order` (en): the account does not have this language; it has `en_US`, `hi`"
        );
        // The account's two languages are not on disk either.
        assert_eq!(drifts.len(), 3);
        assert!(drifts[1..].iter().all(|drift| !drift.breaks_sends()));
        assert_eq!(
            drifts[2].to_string(),
            "`order` (hi): in the account (APPROVED) but not on disk"
        );
    }

    #[test]
    fn a_paused_or_rejected_template_is_not_approved() {
        let local = set([
            meta("order", "en", "APPROVED", BODY_2),
            meta("promo", "en", "APPROVED", BODY_2),
        ]);
        let account = set([
            meta("order", "en", "PAUSED", BODY_2),
            meta("promo", "en", "REJECTED", BODY_2),
        ]);
        let shown: Vec<String> = diff(&local, &account)
            .iter()
            .map(Drift::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "`order` (en): status in the account is PAUSED, not APPROVED",
                "`promo` (en): status in the account is REJECTED, not APPROVED",
            ]
        );
    }

    #[test]
    fn parameters_header_and_buttons_are_compared() {
        let local = set([meta(
            "order",
            "en",
            "APPROVED",
            r#"[{"type":"HEADER","format":"IMAGE"},{"type":"BODY","text":"Hi {{1}}, order {{2}}"},
                {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://x.example/{{1}}"}]}]"#,
        )]);
        let account = set([meta(
            "order",
            "en",
            "APPROVED",
            r#"[{"type":"HEADER","format":"DOCUMENT"},{"type":"BODY","text":"Hi {{1}}"},
                {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Track"}]}]"#,
        )]);
        let shown: Vec<String> = diff(&local, &account)
            .iter()
            .map(Drift::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "`order` (en): body parameters differ: on disk 2, in the account 1",
                "`order` (en): header differs: on disk image, in the account document",
                "`order` (en): buttons differ: on disk [0 url (URL suffix)], in the account [0 quick_reply]",
            ]
        );
    }

    #[test]
    fn an_otp_buttons_kind_is_compared() {
        let body = r#"{"type":"BODY","text":"*{{1}}* is your code."}"#;
        let ours = meta(
            "login",
            "en",
            "APPROVED",
            &format!(
                r#"[{body},{{"type":"BUTTONS","buttons":[{{"type":"OTP","otp_type":"COPY_CODE"}}]}}]"#
            ),
        );
        // The account lists the same button as WhatsApp's one-tap URL.
        let theirs = meta(
            "login",
            "en",
            "APPROVED",
            &format!(
                r#"[{body},{{"type":"BUTTONS","buttons":[{{"type":"URL","text":"Autofill","url":"https://www.whatsapp.com/otp/code/?otp_type=ONE_TAP&package_name=com.example&signature_hash=abcdefghijk&code=otp{{{{1}}}}"}}]}}]"#
            ),
        );
        let drifts = diff(&set([ours]), &set([theirs]));
        assert_eq!(
            drifts.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "`login` (en): buttons differ: on disk [0 otp COPY_CODE (code)], in the account [0 otp ONE_TAP (code)]"
            ]
        );
    }

    #[test]
    fn named_parameters_are_compared_by_name() {
        let named = |text: &str| {
            let json = format!(
                r#"{{"name":"ready","language":"en","status":"APPROVED","parameter_format":"NAMED","components":[{{"type":"BODY","text":"{text}"}}]}}"#
            );
            TemplateDefinition::from_slice(json.as_bytes(), Path::new("ready.en.json")).unwrap()
        };
        let drifts = diff(
            &set([named("Hi {{customer_name}}")]),
            &set([named("Hi {{customer}}")]),
        );
        assert_eq!(
            drifts[0].to_string(),
            "`ready` (en): body parameters differ: on disk `customer_name`, in the account `customer`"
        );
    }

    #[test]
    fn an_edited_text_with_the_same_values_is_reported() {
        let local = set([meta("order", "en", "APPROVED", BODY_2)]);
        let account = set([meta(
            "order",
            "en",
            "APPROVED",
            r#"[{"type":"BODY","text":"Hello {{1}}, your order {{2}}"}]"#,
        )]);
        assert_eq!(
            kinds(&diff(&local, &account)),
            [&DriftKind::BodyChanged {
                local: "Hi {{1}}, order {{2}}".to_owned(),
                account: "Hello {{1}}, your order {{2}}".to_owned()
            }]
        );
    }

    #[test]
    fn a_definition_without_language_is_compared_with_each_account_language() {
        let local = TemplateDefinition::from_slice(
            br#"{"name":"order","kind":"template","params":3}"#,
            Path::new("order.json"),
        )
        .unwrap();
        let account = set([
            meta("order", "en", "APPROVED", BODY_2),
            meta("order", "hi", "APPROVED", BODY_2),
        ]);
        let drifts = diff(&set([local]), &account);
        let languages: Vec<Option<&str>> = drifts
            .iter()
            .map(|drift| drift.language.as_deref())
            .collect();
        assert_eq!(languages, [Some("en"), Some("hi")]);
        assert!(
            drifts
                .iter()
                .all(|drift| matches!(drift.kind, DriftKind::ParametersDiffer { .. }))
        );
    }

    #[test]
    fn interactive_kinds_are_not_compared() {
        let reply = TemplateDefinition::from_slice(
            br#"{"name":"menu","kind":"reply","body":"Pick one","buttons":[{"index":0,"id":"a","title":"A"}]}"#,
            Path::new("menu.json"),
        )
        .unwrap();
        assert_eq!(diff(&set([reply]), &TemplateSet::default()), []);
    }

    #[test]
    fn a_carousel_with_another_number_of_cards_is_a_drift() {
        let card = r#"{"components":[{"type":"HEADER","format":"IMAGE"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Buy"}]}]}"#;
        let carousel = |count: usize| {
            let cards = vec![card; count].join(",");
            format!(
                r#"[{{"type":"BODY","text":"Hi {{{{1}}}}"}},{{"type":"CAROUSEL","cards":[{cards}]}}]"#
            )
        };
        let mut ours = meta("picks", "en", "APPROVED", &carousel(2));
        ours.category = Some(crate::Category::Marketing);
        let local = TemplateSet::from_definitions([ours]);
        let account =
            TemplateSet::from_definitions([meta("picks", "en", "APPROVED", &carousel(3))]);
        let drifts = diff(&local, &account);
        assert_eq!(
            drifts.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "`picks` (en): carousel cards differ: on disk 2 cards [image header, 0 body value(s), button 0 payload] [image header, 0 body value(s), button 0 payload], in the account 3 cards [image header, 0 body value(s), button 0 payload] [image header, 0 body value(s), button 0 payload] [image header, 0 body value(s), button 0 payload]"
            ]
        );
        assert!(diff(&local, &local).is_empty());
    }
}
