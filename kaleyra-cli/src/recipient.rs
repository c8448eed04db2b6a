//! The `to` column's number, read as people write it with the library's
//! `PhoneNumber::parse`, so the command and applications agree: in the
//! `--default-country` when one is given; without one, a number with no
//! country code is refused with what it would be in the business number's
//! country, the most likely one.

use std::sync::OnceLock;

use kaleyra_runtime::{PhoneNumber, PhoneNumberError, Region};

/// How a row's number is read.
#[derive(Debug)]
pub struct Numbers {
    /// The country of numbers written without a country code.
    default: Option<Region>,
    /// The business number messages are sent from, with its `+`, when
    /// it is known (a dry run needs none).
    business: Option<String>,
    /// The country suggested for numbers without a country code when no
    /// default is given: the business number's. Found on the first such
    /// number, as loading the metadata takes a fifth of a second, which a
    /// campaign of E.164 numbers never needs.
    likely: OnceLock<Option<Region>>,
}

impl Numbers {
    /// Numbers read in `default`, with the country of `business` (the
    /// number messages are sent from) suggested when it is not given.
    pub fn new(default: Option<Region>, business: Option<&str>) -> Numbers {
        // The client takes its number E.164-shaped, with or without `+`.
        let business = business.map(|business| {
            if business.starts_with('+') {
                business.to_owned()
            } else {
                format!("+{business}")
            }
        });
        Numbers {
            default,
            business,
            likely: OnceLock::new(),
        }
    }

    fn likely(&self) -> Option<Region> {
        *self.likely.get_or_init(|| {
            let business = self.business.as_deref()?;
            PhoneNumber::parse(business, None)
                .ok()
                .and_then(|number| number.region())
        })
    }

    /// The number `written` is, or why it is refused, in the words of the
    /// command line.
    pub fn read(&self, written: &str) -> Result<PhoneNumber, String> {
        PhoneNumber::parse(written, self.default).map_err(|error| match &error {
            PhoneNumberError::NoCountryCode { international, .. } => {
                self.no_country_code(written, &error, international.as_ref())
            }
            _ => format!("invalid to: {error}"),
        })
    }

    fn no_country_code(
        &self,
        written: &str,
        error: &PhoneNumberError,
        international: Option<&PhoneNumber>,
    ) -> String {
        let missing = match international {
            Some(_) => "has no + before its country code",
            None => "has no country code",
        };
        let reading = self
            .likely()
            .and_then(|region| Some((region, error.reading_in(region)?)));
        let mut message = match &reading {
            Some((region, number)) => format!(
                "invalid to: `{written}` {missing}; with --default-country {} it would be {number}",
                region.as_ref()
            ),
            None => format!(
                "invalid to: `{written}` {missing}: write it with + and its country code, or give the country of numbers without one with --default-country, such as IN"
            ),
        };
        if let Some(international) = international
            && reading
                .as_ref()
                .is_none_or(|(_, number)| number != international)
        {
            message.push_str(&format!(
                "; if it starts with its country code, write it as {international}"
            ));
        }
        message
    }
}

/// `--default-country`: a two-letter ISO 3166-1 code, in either case.
pub fn parse_country(text: &str) -> Result<Region, String> {
    text.trim().to_ascii_uppercase().parse().map_err(|_| {
        format!("`{text}` is not a country code: give its two letters (ISO 3166-1), such as IN, US or GB")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSINESS: &str = "+912025550100";

    #[test]
    fn a_national_number_is_read_in_the_default_country() {
        let numbers = Numbers::new(Some(Region::IN), Some(BUSINESS));
        assert_eq!(
            numbers.read("98111 11114").unwrap().as_str(),
            "+919811111114"
        );
    }

    #[test]
    fn without_a_default_the_business_numbers_country_is_suggested() {
        let numbers = Numbers::new(None, Some(BUSINESS));
        assert_eq!(
            numbers.read("9811111114").unwrap_err(),
            "invalid to: `9811111114` has no country code; with --default-country IN it would be +919811111114"
        );
        // A business number without `+` names its country all the same.
        let numbers = Numbers::new(None, Some("912025550100"));
        assert!(
            numbers
                .read("9811111114")
                .unwrap_err()
                .contains("--default-country IN")
        );
    }

    #[test]
    fn a_country_code_without_plus_is_refused_with_both_ways_to_fix_it() {
        // The business is in the UK; the row's number is Indian, with 91.
        let numbers = Numbers::new(None, Some("+442079460000"));
        let refused = numbers.read("919811111114").unwrap_err();
        assert!(
            refused.contains("`919811111114` has no + before its country code"),
            "{refused}"
        );
        assert!(refused.contains("write it as +919811111114"), "{refused}");
    }

    #[test]
    fn with_no_reading_in_the_business_country_the_flag_is_named() {
        // Singapore's numbers have 8 digits: an Indian mobile is none.
        let numbers = Numbers::new(None, Some("+6561234567"));
        let refused = numbers.read("9811111114").unwrap_err();
        assert!(
            refused.contains("give the country of numbers without one with --default-country"),
            "{refused}"
        );
    }

    #[test]
    fn other_refusals_are_the_librarys() {
        let numbers = Numbers::new(Some(Region::IN), Some(BUSINESS));
        let refused = numbers.read("9811111114😀").unwrap_err();
        assert!(
            refused.starts_with("invalid to: `9811111114😀` contains `😀`"),
            "{refused}"
        );
    }

    #[test]
    fn a_country_code_is_read_in_either_case() {
        assert_eq!(parse_country("in"), Ok(Region::IN));
        assert_eq!(parse_country(" IN "), Ok(Region::IN));
        assert!(parse_country("India").unwrap_err().contains("such as IN"));
    }

    #[test]
    fn without_a_business_number_the_flag_is_named() {
        let numbers = Numbers::new(None, None);
        let refused = numbers.read("9811111114").unwrap_err();
        assert!(
            refused.contains("give the country of numbers without one with --default-country"),
            "{refused}"
        );
    }
}
