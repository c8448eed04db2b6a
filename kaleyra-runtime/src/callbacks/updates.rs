//! The account's events: what Meta reports about a template (its category,
//! its quality, its text) and about the business phone number, beside the
//! template status updates of [`super::TemplateStatusUpdate`].
//!
//! Each keeps what it does not model in `extra`, and each of its values
//! Meta may add to keeps an `Other` variant, so nothing sent is lost.

use kaleyra_definitions::{ButtonType, Category};
use serde_json::{Map, Value};

/// Why a template was rejected, in Meta's words (`rejection_info`, sent
/// with some rejections, such as `INVALID_FORMAT`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RejectionInfo {
    /// What is wrong with the template (`reason`).
    pub reason: Option<String>,
    /// What to change (`recommendation`).
    pub recommendation: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// Meta's note on a pause, an unpause, a lock or an unlock (`other_info`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StatusInfo {
    /// What happened, such as `FIRST_PAUSE`, `SECOND_PAUSE`, `UNPAUSE` (`title`).
    pub title: Option<String>,
    /// Why, in a sentence (`description`).
    pub description: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A template's category, as an update names it.
///
/// Read without regard to case, in the spelling of
/// [`Category::as_str`]; a category this crate does not know is kept as
/// sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateCategory {
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    Known(Category),
    /// A category this crate does not know, as sent.
    Other(String),
}

impl TemplateCategory {
    /// Every category this crate knows.
    pub const KNOWN: [TemplateCategory; 3] = [
        TemplateCategory::Known(Category::Marketing),
        TemplateCategory::Known(Category::Utility),
        TemplateCategory::Known(Category::Authentication),
    ];

    /// Reads a category as sent.
    pub fn parse(text: &str) -> TemplateCategory {
        TemplateCategory::KNOWN
            .into_iter()
            .find(|category| category.as_str().eq_ignore_ascii_case(text))
            .unwrap_or_else(|| TemplateCategory::Other(text.to_owned()))
    }

    /// The category as Meta writes it, or the unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            TemplateCategory::Known(category) => category.as_str(),
            TemplateCategory::Other(text) => text,
        }
    }
}

/// A template's category changed (Meta's `template_category_update`):
/// Meta moved it to the category its content belongs in, or says it will.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TemplateCategoryUpdate {
    /// The template's id, as sent (`message_template_id`).
    pub template_id: Option<String>,
    /// The template's name (`message_template_name`).
    pub name: Option<String>,
    /// The template's language (`message_template_language`).
    pub language: Option<String>,
    /// The category it had (`previous_category`).
    pub previous_category: Option<TemplateCategory>,
    /// The category it has now (`new_category`).
    pub new_category: Option<TemplateCategory>,
    /// The category Meta says it belongs in and will move it to
    /// (`correct_category`, sent ahead of the change).
    pub correct_category: Option<TemplateCategory>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A template's quality rating, from customers' responses to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QualityScore {
    /// `GREEN`: high quality.
    Green,
    /// `YELLOW`: medium quality; the template may be paused if it falls.
    Yellow,
    /// `RED`: low quality; the template is paused or at risk of it.
    Red,
    /// `UNKNOWN`: not rated yet.
    Unknown,
    /// A rating this crate does not know, as sent.
    Other(String),
}

impl QualityScore {
    /// Every rating this crate knows.
    pub const KNOWN: [QualityScore; 4] = [
        QualityScore::Green,
        QualityScore::Yellow,
        QualityScore::Red,
        QualityScore::Unknown,
    ];

    /// Reads a rating as sent, in any case.
    pub fn parse(text: &str) -> QualityScore {
        QualityScore::KNOWN
            .into_iter()
            .find(|score| score.as_str().eq_ignore_ascii_case(text))
            .unwrap_or_else(|| QualityScore::Other(text.to_owned()))
    }

    /// The rating as Meta writes it, or the unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            QualityScore::Green => "GREEN",
            QualityScore::Yellow => "YELLOW",
            QualityScore::Red => "RED",
            QualityScore::Unknown => "UNKNOWN",
            QualityScore::Other(text) => text,
        }
    }
}

/// A template's quality rating changed (Meta's
/// `message_template_quality_update`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TemplateQualityUpdate {
    /// The template's id, as sent (`message_template_id`).
    pub template_id: Option<String>,
    /// The template's name (`message_template_name`).
    pub name: Option<String>,
    /// The template's language (`message_template_language`).
    pub language: Option<String>,
    /// The rating it had (`previous_quality_score`).
    pub previous_quality_score: Option<QualityScore>,
    /// The rating it has now (`new_quality_score`).
    pub new_quality_score: Option<QualityScore>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A button's kind, as an update names it.
///
/// Read without regard to case, in the spelling of [`ButtonType::as_str`]
/// (`PHONE_NUMBER`, `URL`, `QUICK_REPLY`...); a kind this crate does not
/// know is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ButtonKind {
    /// A kind of button this crate knows.
    Known(ButtonType),
    /// A kind this crate does not know, as sent.
    Other(String),
}

impl ButtonKind {
    /// Reads a kind as sent.
    pub fn parse(text: &str) -> ButtonKind {
        ButtonType::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(text))
            .map_or_else(|| ButtonKind::Other(text.to_owned()), ButtonKind::Known)
    }

    /// The kind as definition files write it (`phone_number`, `url`), or the
    /// unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            ButtonKind::Known(kind) => kind.as_str(),
            ButtonKind::Other(text) => text,
        }
    }
}

/// One button of an updated template (an item of `message_template_buttons`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UpdatedButton {
    /// What it does (`message_template_button_type`).
    pub kind: Option<ButtonKind>,
    /// Its label (`message_template_button_text`).
    pub text: Option<String>,
    /// The URL a URL button opens (`message_template_button_url`).
    pub url: Option<String>,
    /// The number a phone-number button calls
    /// (`message_template_button_phone_number`).
    pub phone_number: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A template's text changed (Meta's `message_template_components_update`):
/// its components as they now are.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TemplateComponentsUpdate {
    /// The template's id, as sent (`message_template_id`).
    pub template_id: Option<String>,
    /// The template's name (`message_template_name`).
    pub name: Option<String>,
    /// The template's language (`message_template_language`).
    pub language: Option<String>,
    /// The text header (`message_template_title`).
    pub header: Option<String>,
    /// The body's text, placeholders as written (`message_template_element`).
    pub body: Option<String>,
    /// The footer (`message_template_footer`).
    pub footer: Option<String>,
    /// The buttons, in order (`message_template_buttons`; any item that is
    /// not an object stays in `extra`, the list with it).
    pub buttons: Vec<UpdatedButton>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// What happened to the business phone number's quality or messaging limit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneNumberEvent {
    /// `FLAGGED`: its quality fell; the limit may drop if it does not recover.
    Flagged,
    /// `UNFLAGGED`: its quality recovered.
    Unflagged,
    /// `UPGRADE`: its messaging limit went up.
    Upgrade,
    /// `DOWNGRADE`: its messaging limit went down.
    Downgrade,
    /// `ONBOARDING`: it is still being registered.
    Onboarding,
    /// `THROUGHPUT_UPGRADE`: it may send faster.
    ThroughputUpgrade,
    /// An event this crate does not know, as sent.
    Other(String),
}

impl PhoneNumberEvent {
    /// Every event this crate knows.
    pub const KNOWN: [PhoneNumberEvent; 6] = [
        PhoneNumberEvent::Flagged,
        PhoneNumberEvent::Unflagged,
        PhoneNumberEvent::Upgrade,
        PhoneNumberEvent::Downgrade,
        PhoneNumberEvent::Onboarding,
        PhoneNumberEvent::ThroughputUpgrade,
    ];

    /// Reads an event as sent, in any case.
    pub fn parse(text: &str) -> PhoneNumberEvent {
        PhoneNumberEvent::KNOWN
            .into_iter()
            .find(|event| event.as_str().eq_ignore_ascii_case(text))
            .unwrap_or_else(|| PhoneNumberEvent::Other(text.to_owned()))
    }

    /// The event as Meta writes it, or the unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            PhoneNumberEvent::Flagged => "FLAGGED",
            PhoneNumberEvent::Unflagged => "UNFLAGGED",
            PhoneNumberEvent::Upgrade => "UPGRADE",
            PhoneNumberEvent::Downgrade => "DOWNGRADE",
            PhoneNumberEvent::Onboarding => "ONBOARDING",
            PhoneNumberEvent::ThroughputUpgrade => "THROUGHPUT_UPGRADE",
            PhoneNumberEvent::Other(text) => text,
        }
    }
}

/// A messaging limit: how many customers a number (or the business) may
/// start conversations with in 24 hours.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessagingLimit {
    /// `TIER_50`.
    Tier50,
    /// `TIER_250`.
    Tier250,
    /// `TIER_1K`.
    Tier1K,
    /// `TIER_2K`.
    Tier2K,
    /// `TIER_10K`.
    Tier10K,
    /// `TIER_100K`.
    Tier100K,
    /// `TIER_UNLIMITED`: no limit.
    Unlimited,
    /// `TIER_NOT_SET`: the number has not sent a message yet.
    NotSet,
    /// A limit this crate does not know, as sent.
    Other(String),
}

impl MessagingLimit {
    /// Every limit this crate knows.
    pub const KNOWN: [MessagingLimit; 8] = [
        MessagingLimit::Tier50,
        MessagingLimit::Tier250,
        MessagingLimit::Tier1K,
        MessagingLimit::Tier2K,
        MessagingLimit::Tier10K,
        MessagingLimit::Tier100K,
        MessagingLimit::Unlimited,
        MessagingLimit::NotSet,
    ];

    /// Reads a limit as sent, in any case.
    pub fn parse(text: &str) -> MessagingLimit {
        MessagingLimit::KNOWN
            .into_iter()
            .find(|limit| limit.as_str().eq_ignore_ascii_case(text))
            .unwrap_or_else(|| MessagingLimit::Other(text.to_owned()))
    }

    /// The limit as Meta writes it, or the unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            MessagingLimit::Tier50 => "TIER_50",
            MessagingLimit::Tier250 => "TIER_250",
            MessagingLimit::Tier1K => "TIER_1K",
            MessagingLimit::Tier2K => "TIER_2K",
            MessagingLimit::Tier10K => "TIER_10K",
            MessagingLimit::Tier100K => "TIER_100K",
            MessagingLimit::Unlimited => "TIER_UNLIMITED",
            MessagingLimit::NotSet => "TIER_NOT_SET",
            MessagingLimit::Other(text) => text,
        }
    }

    /// How many customers a day the limit allows; `None` for no limit, for
    /// none set yet and for a limit this crate does not know.
    ///
    /// ```
    /// use kaleyra_runtime::callbacks::MessagingLimit;
    /// assert_eq!(MessagingLimit::parse("TIER_1K").per_day(), Some(1_000));
    /// assert_eq!(MessagingLimit::parse("TIER_UNLIMITED").per_day(), None);
    /// ```
    pub fn per_day(&self) -> Option<u32> {
        match self {
            MessagingLimit::Tier50 => Some(50),
            MessagingLimit::Tier250 => Some(250),
            MessagingLimit::Tier1K => Some(1_000),
            MessagingLimit::Tier2K => Some(2_000),
            MessagingLimit::Tier10K => Some(10_000),
            MessagingLimit::Tier100K => Some(100_000),
            MessagingLimit::Unlimited | MessagingLimit::NotSet | MessagingLimit::Other(_) => None,
        }
    }
}

/// The business phone number's quality or messaging limit changed (Meta's
/// `phone_number_quality_update`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PhoneNumberQualityUpdate {
    /// The business number, as shown (`display_phone_number`).
    pub display_phone_number: Option<String>,
    /// What happened (`event`).
    pub event: PhoneNumberEvent,
    /// The number's messaging limit now (`current_limit`).
    pub current_limit: Option<MessagingLimit>,
    /// The limit it had, for a change of limit (`old_limit`).
    pub old_limit: Option<MessagingLimit>,
    /// The business portfolio's limit, which Meta says replaces the
    /// number's (`max_daily_conversations_per_business`).
    pub business_limit: Option<MessagingLimit>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}
