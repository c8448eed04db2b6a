//! A recipient's number as a person writes it (`098111 11115`,
//! `+91 98111 11116`), read with Google's libphonenumber rules and kept in
//! E.164 form (`+919811111115`).
//!
//! Kaleyra takes E.164 numbers only. A number written without a country
//! code is read in a default region, and only when one is given: a bare
//! `9811111114` is an Indian mobile to a person in India, but sent as it is
//! it reads as an Iranian number (`+98 11111114`).

use std::fmt;
use std::str::FromStr;

use kaleyra_definitions::limits;
use phonenumber::ParseError;
use phonenumber::country::Source;

use crate::recipients::Recipients;

/// A country or territory, by its ISO 3166-1 alpha-2 code (`Region::IN`),
/// as libphonenumber's metadata names it: the region a number written
/// without a country code is read in.
///
/// This is the `phonenumber` crate's `country::Id`. `"IN".parse::<Region>()`
/// reads a code; case matters (the command line's `--default-country`
/// takes either).
///
/// ```
/// use kaleyra_runtime::Region;
///
/// assert_eq!("IN".parse::<Region>().unwrap(), Region::IN);
/// assert_eq!(Region::IN.as_ref(), "IN");
/// ```
pub use phonenumber::country::Id as Region;

/// A recipient's number, checked, in E.164 form: `+`, the country code and
/// the national number, such as `+919811111114`.
///
/// ```
/// use kaleyra_runtime::{PhoneNumber, Region};
///
/// let number = PhoneNumber::parse("098111 11115", Some(Region::IN)).unwrap();
/// assert_eq!(number.as_str(), "+919811111115");
///
/// // Without a default region, a number needs its country code.
/// assert!(PhoneNumber::parse("9811111114", None).is_err());
/// ```
///
/// It is a [`Recipients`]: `client.send(&message, &number)` sends to it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    e164: String,
}

impl PhoneNumber {
    /// The longest number, as written, that [`PhoneNumber::parse`] reads, in
    /// bytes: libphonenumber's own bound on its input. Anything longer is
    /// refused before any parsing.
    pub const MAX_WRITTEN_LENGTH: usize = 250;

    /// Reads `written` as a person writes a number, with `default_region`
    /// for one written without a country code.
    ///
    /// - A number already in E.164 form with its `+` (`+919811111114`) is
    ///   taken exactly as written, as [`Recipients`] takes it, without
    ///   consulting the phone-number metadata: whether it exists is
    ///   Kaleyra's to say.
    /// - Any other form starting with `+` (`+91 98111 11116`,
    ///   `+91-98111-11116`, `(+91) 98111 11116`) must be a valid number
    ///   of the country its code names.
    /// - A number without `+` (`9811111114`, `098111 11115`, the
    ///   international `00 91 98111 11114`, or `919811111114` with its
    ///   country code but no `+`) is read in `default_region` and must be
    ///   valid there. Without a default region it is refused with
    ///   [`PhoneNumberError::NoCountryCode`], which can say what it would be
    ///   in a region ([`PhoneNumberError::reading_in`]), even when its first
    ///   digits are a valid country code: digits alone cannot tell the
    ///   country (`9607234567` is an Indian mobile and also the Maldives
    ///   number `+960 7234567`), so a number is never read in a guessed one.
    ///
    /// Between the digits, spaces, `-`, `.`, `/` and brackets are allowed;
    /// anything else (letters, an extension, digits of another script,
    /// emoji) is refused rather than dropped. Never panics.
    pub fn parse(
        written: &str,
        default_region: Option<Region>,
    ) -> Result<PhoneNumber, PhoneNumberError> {
        // The fast path: what `Recipients` accepts with a `+` is taken as
        // it is, at the cost of the shape check alone.
        if written.starts_with('+') && limits::is_e164(written) {
            return Ok(PhoneNumber {
                e164: written.to_owned(),
            });
        }
        check_characters(written)?;
        if plus_at_start(written).is_some() {
            return read(written, None);
        }
        match default_region {
            Some(region) => read(written, Some(region)),
            None => Err(PhoneNumberError::NoCountryCode {
                written: written.to_owned(),
                international: with_plus(written),
            }),
        }
    }

    /// The number in E.164 form, such as `+919811111114`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }

    /// The number in E.164 form, as an owned string.
    pub fn into_string(self) -> String {
        self.e164
    }

    /// The region the number belongs to by libphonenumber's metadata, when
    /// its country code names one: `Region::IN` for `+919811111114`. (A
    /// code several regions share, such as `+1`, names the one whose
    /// numbering the number fits.)
    pub fn region(&self) -> Option<Region> {
        phonenumber::parse(None, &self.e164)
            .ok()
            .and_then(|number| number.country().id())
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;

    /// [`PhoneNumber::parse`] without a default region.
    fn from_str(written: &str) -> Result<Self, Self::Err> {
        PhoneNumber::parse(written, None)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&self.e164).finish()
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.e164
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> String {
        number.e164
    }
}

impl Recipients for PhoneNumber {
    fn recipient_list(&self) -> Vec<&str> {
        vec![self.as_str()]
    }

    fn only_recipient(&self) -> Option<&str> {
        Some(self.as_str())
    }

    fn into_only_recipient(self) -> Result<String, Self> {
        Ok(self.e164)
    }
}

/// Why a written number was refused by [`PhoneNumber::parse`].
///
/// The messages quote the number as written, and never more than
/// [`PhoneNumber::MAX_WRITTEN_LENGTH`] of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneNumberError {
    /// Nothing but spaces, or nothing at all.
    #[error("is empty: give a phone number such as +919876543210")]
    Empty,
    /// Longer than any number is written; not quoted.
    #[error(
        "is {length} bytes long; a phone number is written in at most {}",
        PhoneNumber::MAX_WRITTEN_LENGTH
    )]
    TooLong {
        /// The length of what was given, in bytes.
        length: usize,
    },
    /// A character that is not part of a number: a letter, an extension,
    /// digits of another script, an emoji.
    #[error("`{written}` contains `{character}`, {}", character_advice(*.character))]
    Character {
        /// The number as written.
        written: String,
        /// The first character refused.
        character: char,
    },
    /// Written without `+` and country code, and no default region given.
    #[error("`{written}` has no country code: write it with + and its country code, or give a default region{}", international_advice(.international.as_ref()))]
    NoCountryCode {
        /// The number as written.
        written: String,
        /// The valid number it is if its first digits are a country code
        /// (`919811111114` is `+919811111114`), if they are.
        international: Option<PhoneNumber>,
    },
    /// Not a valid number: for the country its code names, or in the
    /// default region it was read in.
    #[error("`{written}` is not a valid phone number: {reason}{}", international_advice(.international.as_ref()))]
    Invalid {
        /// The number as written.
        written: String,
        /// The default region it was read in, when written without `+`.
        region: Option<Region>,
        /// Why, in words.
        reason: String,
        /// The valid number it is if its first digits are a country code,
        /// when it was written without `+` and is one.
        international: Option<PhoneNumber>,
    },
}

impl PhoneNumberError {
    /// For a number refused with [`NoCountryCode`](Self::NoCountryCode):
    /// the number it would be with `region` as the default region, if it
    /// is valid there. This is how to suggest a reading: the command line
    /// suggests the region of the business number it sends from.
    ///
    /// ```
    /// use kaleyra_runtime::{PhoneNumber, Region};
    ///
    /// let refused = PhoneNumber::parse("9811111114", None).unwrap_err();
    /// let suggestion = refused.reading_in(Region::IN).unwrap();
    /// assert_eq!(suggestion.as_str(), "+919811111114");
    /// ```
    pub fn reading_in(&self, region: Region) -> Option<PhoneNumber> {
        match self {
            PhoneNumberError::NoCountryCode { written, .. } => {
                PhoneNumber::parse(written, Some(region)).ok()
            }
            _ => None,
        }
    }
}

fn character_advice(character: char) -> &'static str {
    if character.is_numeric() {
        "a digit of another script: write the number with the digits 0-9"
    } else {
        "which is not part of a phone number: write digits 0-9, with spaces, dashes, dots or brackets between them"
    }
}

fn international_advice(international: Option<&PhoneNumber>) -> String {
    international
        .map(|number| format!("; if it starts with its country code, write it as {number}"))
        .unwrap_or_default()
}

/// Refuses what no number is written with, before the metadata is
/// consulted: its parser skips what it does not understand (`9811111114😀`
/// would be read as `9811111114`, `.. ext 5` lose its extension), and a
/// number must not change silently.
fn check_characters(written: &str) -> Result<(), PhoneNumberError> {
    if written.len() > PhoneNumber::MAX_WRITTEN_LENGTH {
        return Err(PhoneNumberError::TooLong {
            length: written.len(),
        });
    }
    if written.trim().is_empty() {
        return Err(PhoneNumberError::Empty);
    }
    let after_plus = plus_at_start(written).map_or(written, |plus| &written[plus + 1..]);
    let refused = after_plus.chars().find(|character| {
        !(character.is_ascii_digit()
            || character.is_whitespace()
            || matches!(character, '-' | '.' | '/' | '(' | ')'))
    });
    match refused {
        Some(character) => Err(PhoneNumberError::Character {
            written: written.to_owned(),
            character,
        }),
        None if !after_plus.bytes().any(|byte| byte.is_ascii_digit()) => {
            Err(PhoneNumberError::Invalid {
                written: written.to_owned(),
                region: None,
                reason: "it has no digits".to_owned(),
                international: None,
            })
        }
        None => Ok(()),
    }
}

/// Where the `+` of a number written with one is: first, after any spaces
/// and an opening bracket (`+91 ..`, `(+91) ..`).
fn plus_at_start(written: &str) -> Option<usize> {
    let start = written.len()
        - written
            .trim_start_matches(|character: char| character.is_whitespace() || character == '(')
            .len();
    written[start..].starts_with('+').then_some(start)
}

/// Reads `written` with libphonenumber, in `region` when given; it must be
/// a valid number.
fn read(written: &str, region: Option<Region>) -> Result<PhoneNumber, PhoneNumberError> {
    let invalid = |reason: &str| PhoneNumberError::Invalid {
        written: written.to_owned(),
        region,
        reason: reason.to_owned(),
        international: region.and_then(|_| with_plus(written)),
    };
    // Every space as an ASCII one: the parser reads a no-break space, but
    // finds no number at all in one with a tab or a figure space.
    let spaced: String = written
        .chars()
        .map(|character| {
            if character.is_whitespace() {
                ' '
            } else {
                character
            }
        })
        .collect();
    let number = phonenumber::parse(region, &spaced).map_err(|error| invalid(&reason(&error)))?;
    if number.extension().is_some() {
        return Err(invalid("it has an extension, which WhatsApp cannot reach"));
    }
    if !number.is_valid() {
        return Err(invalid(&match (region, number.code().source()) {
            (Some(region), Source::Default) => {
                format!("it does not fit the numbering plan of {}", region.as_ref())
            }
            _ => format!(
                "it does not fit the numbering plan of country code +{}",
                number.code().value()
            ),
        }));
    }
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    // What Kaleyra is sent must pass the same shape check as any recipient.
    if !limits::is_e164(&e164) {
        return Err(invalid("it has no E.164 form"));
    }
    Ok(PhoneNumber { e164 })
}

/// The valid number `written` is with a `+` in front, if it is one.
fn with_plus(written: &str) -> Option<PhoneNumber> {
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.starts_with('0') {
        return None;
    }
    read(&format!("+{digits}"), None).ok()
}

/// libphonenumber's refusal in words.
fn reason(error: &ParseError) -> String {
    match error {
        ParseError::NoNumber => "it is not a phone number".to_owned(),
        ParseError::InvalidCountryCode => "it starts with no country code in use".to_owned(),
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => {
            "it is too short to be a phone number".to_owned()
        }
        ParseError::TooLong => "it is too long to be a phone number".to_owned(),
        // Zeros only, or digits too many to hold.
        ParseError::MalformedInteger(_) => "it is not a phone number".to_owned(),
    }
}
