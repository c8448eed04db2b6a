//! `PhoneNumber::parse`: numbers as people write them, read in a default
//! region, refused with the reason when they are not valid, never a panic.
//!
//! `PROPTEST_CASES=10000 cargo test -p kaleyra-runtime --test phone_numbers` runs longer.

use kaleyra_definitions::limits;
use kaleyra_runtime::{Api, Client, PhoneNumber, PhoneNumberError, Region, TemplateMessage};
use kaleyra_test_support::proptest_config;
use kaleyra_test_support::strategies::phone_like;
use proptest::prelude::*;

fn in_india(written: &str) -> Result<PhoneNumber, PhoneNumberError> {
    PhoneNumber::parse(written, Some(Region::IN))
}

#[test]
fn national_forms_become_e164_with_a_default_region() {
    for (written, e164) in [
        ("9811111114", "+919811111114"),
        ("098111 11115", "+919811111115"),
        ("09811111115", "+919811111115"),
        ("+91 98111 11116", "+919811111116"),
        ("+91-98111-11116", "+919811111116"),
        ("(+91) 98111.11116", "+919811111116"),
        ("00 91 98111 11114", "+919811111114"),
        (" 98111 11114 ", "+919811111114"),
        // A spreadsheet's no-break space, a figure space, a tab.
        ("98111\u{a0}11114", "+919811111114"),
        ("+91\u{2007}98111\u{3000}11114", "+919811111114"),
        ("98111\t11114", "+919811111114"),
    ] {
        assert_eq!(
            in_india(written).map(String::from),
            Ok(e164.to_owned()),
            "{written}"
        );
    }
}

#[test]
fn international_forms_need_no_default_region() {
    for (written, e164) in [
        ("+91 98111 11116", "+919811111116"),
        ("+91-98111-11116", "+919811111116"),
        ("+44 7911 123456", "+447911123456"),
        (" +919811111114", "+919811111114"),
    ] {
        assert_eq!(
            PhoneNumber::parse(written, None).map(String::from),
            Ok(e164.to_owned()),
            "{written}"
        );
    }
}

#[test]
fn a_number_in_e164_form_is_taken_exactly_as_written() {
    // `+9811111114` fits no numbering plan (it reads as Iranian), but it is
    // written with its `+`: what `Recipients` sends as given, this does too.
    for written in ["+919811111114", "+9811111114", "+12345678"] {
        for region in [None, Some(Region::IN), Some(Region::US)] {
            assert_eq!(
                PhoneNumber::parse(written, region).unwrap().as_str(),
                written
            );
        }
    }
}

#[test]
fn without_a_default_region_a_national_number_is_refused_with_what_it_would_be() {
    let refused = PhoneNumber::parse("9811111114", None).unwrap_err();
    assert_eq!(
        refused,
        PhoneNumberError::NoCountryCode {
            written: "9811111114".to_owned(),
            international: None,
        }
    );
    assert_eq!(
        refused.reading_in(Region::IN).map(String::from),
        Some("+919811111114".to_owned())
    );
    assert!(
        refused
            .to_string()
            .contains("`9811111114` has no country code"),
        "{refused}"
    );
    // Singapore's numbers have 8 digits: no reading there.
    assert_eq!(refused.reading_in(Region::SG), None);
}

#[test]
fn a_country_code_without_plus_is_refused_without_a_default_and_read_with_one() {
    let refused = PhoneNumber::parse("919811111114", None).unwrap_err();
    let PhoneNumberError::NoCountryCode { international, .. } = &refused else {
        panic!("expected NoCountryCode, got {refused:?}");
    };
    assert_eq!(
        international.as_ref().map(PhoneNumber::as_str),
        Some("+919811111114")
    );
    assert!(
        refused.to_string().contains("write it as +919811111114"),
        "{refused}"
    );
    // Read in India, its own country code is recognised: the same number.
    assert_eq!(in_india("919811111114").unwrap().as_str(), "+919811111114");
}

#[test]
fn digits_valid_both_as_international_and_as_national_are_never_guessed() {
    // An Indian mobile, and with a `+` a valid Maldives number (+960).
    let refused = PhoneNumber::parse("9607234567", None).unwrap_err();
    assert_eq!(
        refused,
        PhoneNumberError::NoCountryCode {
            written: "9607234567".to_owned(),
            international: Some("+9607234567".parse().unwrap()),
        }
    );
    assert_eq!(in_india("9607234567").unwrap().as_str(), "+919607234567");
    assert_eq!(
        PhoneNumber::parse("9607234567", Some(Region::MV))
            .unwrap()
            .as_str(),
        "+9607234567"
    );
}

#[test]
fn a_number_not_valid_in_the_default_region_is_refused_with_its_international_reading() {
    let refused = in_india("447911123456").unwrap_err();
    match &refused {
        PhoneNumberError::Invalid {
            region,
            international,
            ..
        } => {
            assert_eq!(*region, Some(Region::IN));
            assert_eq!(
                international.as_ref().map(PhoneNumber::as_str),
                Some("+447911123456")
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(
        refused.to_string().contains("numbering plan of IN"),
        "{refused}"
    );
}

#[test]
fn numbers_valid_for_no_region_are_refused_naming_why() {
    for (written, region, why) in [
        ("1234", Some(Region::IN), "numbering plan of IN"),
        ("+91 1", None, "too short"),
        ("+98 11111114", None, "numbering plan of country code +98"),
        ("+999 1234 5678", None, "no country code in use"),
        ("+91 0000000000", None, "not a phone number"),
        // A digit more, after a space of another kind: never left out.
        (
            "+91 98111 11114\u{a0}5",
            None,
            "numbering plan of country code +91",
        ),
        ("---", Some(Region::IN), "no digits"),
    ] {
        let refused = PhoneNumber::parse(written, region).unwrap_err();
        assert!(
            matches!(refused, PhoneNumberError::Invalid { .. }),
            "{written}: {refused:?}"
        );
        assert!(refused.to_string().contains(why), "{written}: {refused}");
        assert!(
            refused.to_string().contains(written),
            "{written}: {refused}"
        );
    }
}

#[test]
fn other_scripts_emoji_letters_and_extensions_are_refused_not_dropped() {
    for (written, character) in [
        ("९८११११११११", '९'),
        ("9811111114😀", '😀'),
        ("+91 98111 11116 ext 5", 'e'),
        ("+91 98111 11116#5", '#'),
        ("tel:+91-98111-11116", 't'),
        ("+91 98111 +11116", '+'),
    ] {
        let refused = in_india(written).unwrap_err();
        assert_eq!(
            refused,
            PhoneNumberError::Character {
                written: written.to_owned(),
                character,
            },
            "{written}"
        );
    }
    let hindi = in_india("९८११११११११").unwrap_err().to_string();
    assert!(hindi.contains("digits 0-9"), "{hindi}");
}

#[test]
fn empty_and_very_long_input_is_refused_without_quoting_it() {
    assert_eq!(in_india(""), Err(PhoneNumberError::Empty));
    assert_eq!(in_india("   "), Err(PhoneNumberError::Empty));
    let long = "9".repeat(1 << 20);
    let refused = in_india(&long).unwrap_err();
    assert_eq!(refused, PhoneNumberError::TooLong { length: 1 << 20 });
    assert!(refused.to_string().len() < 200, "{refused}");
    // Just within the bound, it is read, and refused as too long a number.
    let within = "9".repeat(PhoneNumber::MAX_WRITTEN_LENGTH);
    assert!(matches!(
        in_india(&within),
        Err(PhoneNumberError::Invalid { .. })
    ));
}

#[test]
fn a_region_reads_from_its_code_and_a_number_names_its_region() {
    assert_eq!("IN".parse::<Region>().ok(), Some(Region::IN));
    assert!("in".parse::<Region>().is_err());
    assert!("XX".parse::<Region>().is_err());
    let number = in_india("9811111114").unwrap();
    assert_eq!(number.region(), Some(Region::IN));
    assert_eq!(
        "+33 6 12 34 56 78".parse::<PhoneNumber>().unwrap().region(),
        Some(Region::FR)
    );
}

#[test]
fn a_parsed_number_is_a_recipient() {
    let client = Client::builder()
        .sid("HXAP16XXXXXX97IN")
        .api_key("key")
        .from("+912025550100")
        .api(Api::V1)
        .build()
        .unwrap();
    let message = TemplateMessage::new("booking_confirm").language("en");
    let number = in_india("098111 11115").unwrap();
    for request in [
        client.prepare(&message, &number).unwrap(),
        client.prepare(&message, number.clone()).unwrap(),
    ] {
        assert!(
            request.body_text().contains("to=%2B919811111115"),
            "{}",
            request.body_text()
        );
    }
}

fn regions() -> impl Strategy<Value = Option<Region>> {
    prop_oneof![
        Just(None),
        Just(Some(Region::IN)),
        Just(Some(Region::US)),
        Just(Some(Region::GB)),
        Just(Some(Region::BR)),
        Just(Some(Region::DE)),
    ]
}

/// What people type: formatted digits, other scripts' digits, anything.
fn written() -> impl Strategy<Value = String> {
    prop_oneof![
        phone_like(),
        "\\+?[0-9 ()./-]{0,30}",
        "[+0-9०-९٠-٩ ]{0,20}",
        "0{0,3}[1-9][0-9]{5,16}",
        ".{0,300}",
    ]
}

proptest! {
    #![proptest_config(proptest_config(512))]

    #[test]
    fn parsing_never_panics_and_what_it_accepts_is_e164(
        written in written(),
        region in regions(),
    ) {
        match PhoneNumber::parse(&written, region) {
            Ok(number) => {
                prop_assert!(number.as_str().starts_with('+'));
                prop_assert!(limits::is_e164(number.as_str()), "{number}");
                // Read again, it is itself: the E.164 form is a fixed point.
                let again = PhoneNumber::parse(number.as_str(), None);
                prop_assert_eq!(again.as_ref(), Ok(&number));
                // Already E.164 with its `+`: never changed.
                if written.starts_with('+') && limits::is_e164(&written) {
                    prop_assert_eq!(number.as_str(), written.as_str());
                }
                // No default region: only numbers written with `+` are read.
                if region.is_none() {
                    prop_assert!(written.trim_start().starts_with('+'), "{written}");
                }
            }
            Err(refused) => {
                let message = refused.to_string();
                prop_assert!(!message.is_empty());
                prop_assert!(message.len() < 2 * PhoneNumber::MAX_WRITTEN_LENGTH + 300);
            }
        }
    }
}
