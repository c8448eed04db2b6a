//! Every limit is checked before any I/O: `Client::prepare` refuses the value
//! with `Error::Invalid` naming the field (or `Error::Unsupported` for what the
//! API version lacks). Each limit is tested at its boundary: N accepted, N+1
//! refused. No server is involved: the base URL is never contacted.

use std::str::FromStr;

use kaleyra_runtime::{
    Api, ApiVersion, Client, CtaUrl, Error, InteractiveHeader, MediaUrl, Pod, PreparedRequest,
    ReplyButtons, TemplateMessage, Text, WaSource,
};
use kaleyra_test_support::{API_KEY, FROM, SID, client};

const TO: &str = "+919876543210";
const TO_2: &str = "+919876543211";

const V1: Api = Api::V1;
const V2: Api = Api::V2(Pod::In);
const BOTH: [Api; 2] = [V1, V2];

fn prepare(api: Api, message: &impl kaleyra_runtime::Message) -> Result<PreparedRequest, Error> {
    client(api).prepare(message, TO)
}

/// Asserts `result` is `Error::Invalid` for `field`, and returns the reason.
#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(result: Result<T, Error>, expected_field: &str) -> String {
    match result {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, expected_field, "refused for `{reason}`");
            reason
        }
        other => panic!("expected Error::Invalid for `{expected_field}`, got {other:?}"),
    }
}

#[track_caller]
fn assert_unsupported<T: std::fmt::Debug>(
    result: Result<T, Error>,
    what_has: &str,
    expected_api: ApiVersion,
) {
    match result {
        Err(Error::Unsupported { what, api }) => {
            assert!(
                what.contains(what_has),
                "`{what}` should mention `{what_has}`"
            );
            assert_eq!(api, expected_api);
        }
        other => panic!("expected Error::Unsupported, got {other:?}"),
    }
}

#[track_caller]
fn assert_ok(result: Result<PreparedRequest, Error>) -> PreparedRequest {
    result.unwrap_or_else(|error| panic!("expected the message to be accepted, got {error:?}"))
}

fn form_value(request: &PreparedRequest, name: &str) -> Option<String> {
    request
        .form_fields()
        .expect("a v1 request")
        .into_iter()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value)
}

fn buttons(count: usize) -> ReplyButtons {
    (0..count).fold(ReplyButtons::new("Pick one"), |message, i| {
        message.button(format!("id{i}"), format!("Title {i}"))
    })
}

fn cta() -> CtaUrl {
    CtaUrl::new(
        "Tap the button below to see available dates.",
        "See Dates",
        "https://example.com/dates",
    )
}

// ---------------------------------------------------------------------------
// Text.

#[test]
fn text_body_allows_4096_characters_and_refuses_4097() {
    for api in BOTH {
        assert_ok(prepare(api, &Text::new("a".repeat(4096))));
        // Counted in characters, not bytes.
        assert_ok(prepare(api, &Text::new("é".repeat(4096))));
        let reason = assert_invalid(prepare(api, &Text::new("a".repeat(4097))), "body");
        assert!(reason.contains("4096"), "{reason}");
    }
}

#[test]
fn text_body_must_not_be_empty() {
    for api in BOTH {
        assert_invalid(prepare(api, &Text::new("")), "body");
    }
}

// ---------------------------------------------------------------------------
// References and callback URL, shared by every kind.

#[test]
fn refs_allow_255_characters_and_refuse_256() {
    for api in BOTH {
        let at = "r".repeat(255);
        let over = "r".repeat(256);
        let request = assert_ok(prepare(
            api,
            &Text::new("Hi")
                .reference(&at)
                .reference1(&at)
                .reference2(&at),
        ));
        match api {
            Api::V1 => {
                assert_eq!(form_value(&request, "ref").as_deref(), Some(at.as_str()));
                assert_eq!(form_value(&request, "ref1").as_deref(), Some(at.as_str()));
                assert_eq!(form_value(&request, "ref2").as_deref(), Some(at.as_str()));
            }
            Api::V2(_) => {
                let json = request.json().expect("a v2 request");
                assert_eq!(json["extra_info"]["ref"], at.as_str());
                assert_eq!(json["extra_info"]["ref2"], at.as_str());
            }
        }
        assert_invalid(prepare(api, &Text::new("Hi").reference(&over)), "ref");
        assert_invalid(prepare(api, &Text::new("Hi").reference1(&over)), "ref1");
        assert_invalid(prepare(api, &Text::new("Hi").reference2(&over)), "ref2");
        // Counted in characters.
        assert_ok(prepare(api, &Text::new("Hi").reference("é".repeat(255))));
    }
}

#[test]
fn empty_refs_are_refused() {
    for api in BOTH {
        assert_invalid(prepare(api, &Text::new("Hi").reference("")), "ref");
        assert_invalid(prepare(api, &Text::new("Hi").reference1("")), "ref1");
        assert_invalid(prepare(api, &Text::new("Hi").reference2("")), "ref2");
    }
}

#[test]
fn refs_are_checked_on_every_message_kind() {
    let over = "r".repeat(256);
    assert_invalid(
        prepare(V1, &TemplateMessage::new("order_update").reference(&over)),
        "ref",
    );
    assert_invalid(prepare(V1, &buttons(1).reference1(&over)), "ref1");
    assert_invalid(prepare(V2, &cta().reference2(&over)), "ref2");
}

#[test]
fn callback_url_must_be_http_or_https() {
    for api in BOTH {
        assert_ok(prepare(
            api,
            &Text::new("Hi").callback_url("https://example.com/status"),
        ));
        assert_ok(prepare(
            api,
            &Text::new("Hi").callback_url("http://example.com/status"),
        ));
        for bad in [
            "ftp://example.com/status",
            "example.com/status",
            "https://",
            "",
        ] {
            let reason = assert_invalid(
                prepare(api, &Text::new("Hi").callback_url(bad)),
                "callback_url",
            );
            assert!(reason.contains("http"), "{reason}");
        }
    }
}

// ---------------------------------------------------------------------------
// Reply buttons.

#[test]
fn reply_button_title_allows_20_characters_and_refuses_21() {
    for api in BOTH {
        assert_ok(prepare(
            api,
            &ReplyButtons::new("Pick").button("a", "t".repeat(20)),
        ));
        assert_invalid(
            prepare(api, &ReplyButtons::new("Pick").button("a", "t".repeat(21))),
            "buttons[0].title",
        );
        assert_invalid(
            prepare(
                api,
                &ReplyButtons::new("Pick")
                    .button("a", "ok")
                    .button("b", "t".repeat(21)),
            ),
            "buttons[1].title",
        );
    }
}

#[test]
fn reply_button_id_allows_256_characters_and_refuses_257() {
    for api in BOTH {
        assert_ok(prepare(
            api,
            &ReplyButtons::new("Pick").button("i".repeat(256), "Yes"),
        ));
        assert_invalid(
            prepare(
                api,
                &ReplyButtons::new("Pick").button("i".repeat(257), "Yes"),
            ),
            "buttons[0].id",
        );
    }
}

#[test]
fn reply_buttons_take_one_to_three_buttons() {
    for api in BOTH {
        assert_invalid(prepare(api, &buttons(0)), "buttons");
        assert_ok(prepare(api, &buttons(1)));
        assert_ok(prepare(api, &buttons(3)));
        let reason = assert_invalid(prepare(api, &buttons(4)), "buttons");
        assert!(reason.contains('4'), "{reason}");
    }
}

#[test]
fn reply_button_ids_and_titles_are_unique() {
    for api in BOTH {
        assert_invalid(
            prepare(
                api,
                &ReplyButtons::new("Pick")
                    .button("same", "Yes")
                    .button("same", "No"),
            ),
            "buttons[1].id",
        );
        assert_invalid(
            prepare(
                api,
                &ReplyButtons::new("Pick")
                    .button("yes", "Same")
                    .button("no", "Same"),
            ),
            "buttons[1].title",
        );
    }
}

#[test]
fn interactive_body_allows_1024_characters_and_refuses_1025() {
    for api in BOTH {
        assert_ok(prepare(
            api,
            &ReplyButtons::new("b".repeat(1024)).button("a", "A"),
        ));
        assert_invalid(
            prepare(api, &ReplyButtons::new("b".repeat(1025)).button("a", "A")),
            "body",
        );
    }
    let cta_with_body = |body: String| CtaUrl::new(body, "See Dates", "https://example.com/dates");
    assert_ok(prepare(V2, &cta_with_body("b".repeat(1024))));
    assert_invalid(prepare(V2, &cta_with_body("b".repeat(1025))), "body");
}

#[test]
fn footer_allows_60_characters_and_refuses_61() {
    for api in BOTH {
        assert_ok(prepare(api, &buttons(1).footer("f".repeat(60))));
        assert_invalid(prepare(api, &buttons(1).footer("f".repeat(61))), "footer");
    }
    assert_ok(prepare(V2, &cta().footer("f".repeat(60))));
    assert_invalid(prepare(V2, &cta().footer("f".repeat(61))), "footer");
}

#[test]
fn header_text_allows_60_characters_and_refuses_61() {
    for api in BOTH {
        assert_ok(prepare(
            api,
            &buttons(1).header(InteractiveHeader::Text("h".repeat(60))),
        ));
        assert_invalid(
            prepare(
                api,
                &buttons(1).header(InteractiveHeader::Text("h".repeat(61))),
            ),
            "header",
        );
    }
    assert_ok(prepare(V2, &cta().header_text("h".repeat(60))));
    assert_invalid(prepare(V2, &cta().header_text("h".repeat(61))), "header");
}

// ---------------------------------------------------------------------------
// CTA URL.

#[test]
fn cta_display_text_allows_20_characters_and_refuses_21() {
    let with_label = |label: String| CtaUrl::new("Tap below", label, "https://example.com");
    assert_ok(prepare(V2, &with_label("d".repeat(20))));
    assert_invalid(prepare(V2, &with_label("d".repeat(21))), "display_text");
    assert_invalid(prepare(V2, &with_label(String::new())), "display_text");
}

#[test]
fn cta_url_must_be_http_or_https() {
    let with_url = |url: &str| CtaUrl::new("Tap below", "See Dates", url);
    assert_ok(prepare(V2, &with_url("https://example.com/dates")));
    assert_ok(prepare(V2, &with_url("http://example.com/dates")));
    for bad in [
        "ftp://example.com/dates",
        "javascript:alert(1)",
        "example.com",
        "https://exa mple.com",
    ] {
        assert_invalid(prepare(V2, &with_url(bad)), "url");
    }
}

#[test]
fn cta_url_on_v1_is_unsupported() {
    assert_unsupported(prepare(V1, &cta()), "cta_url", ApiVersion::V1);
}

// ---------------------------------------------------------------------------
// Template parameters.

#[test]
fn template_param_refuses_a_newline() {
    for api in BOTH {
        let message = TemplateMessage::new("order_update").language("en");
        for value in ["two\nlines", "carriage\rreturn"] {
            let reason = assert_invalid(prepare(api, &message.clone().param(value)), "body {{1}}");
            assert!(reason.contains("line break"), "{reason}");
        }
    }
}

#[test]
fn template_param_refuses_a_tab() {
    for api in BOTH {
        let message = TemplateMessage::new("order_update")
            .language("en")
            .param("fine")
            .param("a\tb");
        let reason = assert_invalid(prepare(api, &message), "body {{2}}");
        assert!(reason.contains("tab"), "{reason}");
    }
}

#[test]
fn template_param_allows_four_consecutive_spaces_and_refuses_five() {
    for api in BOTH {
        let message = TemplateMessage::new("order_update").language("en");
        assert_ok(prepare(api, &message.clone().param("a    b")));
        let reason = assert_invalid(prepare(api, &message.param("a     b")), "body {{1}}");
        assert!(reason.contains("spaces"), "{reason}");
    }
}

#[test]
fn template_param_must_not_be_empty() {
    for api in BOTH {
        let message = TemplateMessage::new("order_update")
            .language("en")
            .param("");
        assert_invalid(prepare(api, &message), "body {{1}}");
    }
}

#[test]
fn v1_refuses_a_double_quote_in_a_param_and_points_to_v2() {
    let message = TemplateMessage::new("order_update")
        .language("en")
        .param("John")
        .param("the \"big\" one");
    let reason = assert_invalid(prepare(V1, &message), "body {{2}}");
    assert!(reason.contains("v2"), "the reason suggests v2: {reason}");

    let named = TemplateMessage::new("order_update").labelled_param("nickname", "\"Jo\"");
    assert_invalid(prepare(V1, &named), "nickname (body {{1}})");
}

#[test]
fn v2_accepts_a_double_quote_in_a_param() {
    let message = TemplateMessage::new("order_update")
        .language("en")
        .param("the \"big\" one");
    let request = assert_ok(prepare(V2, &message));
    let json = request.json().expect("a v2 request");
    let components = json["messaging_object"]["template"]["components"]
        .as_array()
        .expect("components");
    let body = components
        .iter()
        .find(|component| component["type"] == "body")
        .expect("a body component");
    assert_eq!(body["parameters"][0]["text"], "the \"big\" one");
}

#[test]
fn v1_params_are_sent_quoted_and_comma_joined() {
    let message = TemplateMessage::new("order_update")
        .param("John")
        .param("Doe");
    let request = assert_ok(prepare(V1, &message));
    assert_eq!(
        form_value(&request, "params").as_deref(),
        Some(r#""John","Doe""#)
    );
}

#[test]
fn labelled_param_names_the_field_and_its_placeholder() {
    for api in BOTH {
        let message = TemplateMessage::new("order_update")
            .language("en")
            .labelled_param("first_name", "Ada\nLovelace");
        assert_invalid(prepare(api, &message), "first_name (body {{1}})");
    }
}

/// v1 names buttons 0 to 2; WhatsApp's templates (v2) have up to 10.
#[test]
fn template_button_index_allows_0_to_2_on_v1_and_0_to_9_on_v2() {
    for api in BOTH {
        let template = TemplateMessage::media("imt_dynamic").language("en");
        assert_ok(prepare(
            api,
            &template
                .clone()
                .quick_reply_payload(0, "p0")
                .quick_reply_payload(1, "p1")
                .quick_reply_payload(2, "p2"),
        ));
        assert_invalid(
            prepare(api, &template.clone().quick_reply_payload(10, "p10")),
            "buttons[10]",
        );
    }
    let template = TemplateMessage::media("imt_dynamic").language("en");
    assert_invalid(
        prepare(Api::V1, &template.clone().quick_reply_payload(3, "p3")),
        "buttons[3] payload",
    );
    assert_invalid(
        prepare(Api::V1, &template.clone().url_button(3, "abc")),
        "buttons[3] url suffix",
    );
    assert_ok(prepare(
        Api::V2(Pod::In),
        &template.quick_reply_payload(9, "p9"),
    ));
}

#[test]
fn v2_template_without_language_is_refused() {
    let reason = assert_invalid(
        prepare(V2, &TemplateMessage::new("order_update").param("Ada")),
        "language",
    );
    assert!(reason.contains("order_update"), "{reason}");
    // v1 does not need one.
    assert_ok(prepare(
        V1,
        &TemplateMessage::new("order_update").param("Ada"),
    ));
}

// ---------------------------------------------------------------------------
// Recipients.

#[test]
fn to_must_be_shaped_like_e164() {
    for api in BOTH {
        let client = client(api);
        let text = Text::new("Hi");
        for good in ["+12345678", "12345678", "+123456789012345", "919876543210"] {
            assert_ok(client.prepare(&text, good));
        }
        for bad in [
            "+1234567",
            "+1234567890123456",
            "+0123456789",
            "+91 98765 43210",
            "+91-9876543210",
            "++919876543210",
            "",
        ] {
            assert_invalid(client.prepare(&text, bad), "to");
        }
    }
}

#[test]
fn duplicate_recipients_are_refused() {
    for api in BOTH {
        let client = client(api);
        assert_invalid(client.prepare_all(&Text::new("Hi"), [TO, TO]), "to[1]");
        assert_invalid(client.prepare_all(&Text::new("Hi"), [TO, "12"]), "to[1]");
        // The same number with and without `+` would get the message twice too.
        assert_invalid(
            client.prepare_all(&Text::new("Hi"), [TO, "919876543210"]),
            "to[1]",
        );
        assert_eq!(
            client
                .prepare_all(&Text::new("Hi"), [TO, TO_2])
                .expect("different numbers")
                .iter()
                .map(|request| request.recipients().len())
                .sum::<usize>(),
            2
        );
    }
}

#[test]
fn an_empty_recipient_list_is_refused() {
    for api in BOTH {
        let client = client(api);
        assert_invalid(client.prepare(&Text::new("Hi"), Vec::<String>::new()), "to");
        assert_invalid(
            client.prepare_all(&Text::new("Hi"), Vec::<&str>::new()),
            "to",
        );
    }
}

#[test]
fn v1_sends_several_recipients_in_one_request_joined_with_commas() {
    let client = client(V1);
    let request = assert_ok(client.prepare(&Text::new("Hi"), [TO, TO_2]));
    assert_eq!(
        form_value(&request, "to").as_deref(),
        Some("+919876543210,+919876543211")
    );
    assert_eq!(request.recipients(), [TO, TO_2]);
    let all = client
        .prepare_all(&Text::new("Hi"), [TO, TO_2])
        .expect("prepared");
    assert_eq!(all.len(), 1);
}

#[test]
fn v2_prepare_refuses_several_recipients_and_prepare_all_makes_one_request_each() {
    let client = client(V2);
    let reason = assert_invalid(client.prepare(&Text::new("Hi"), [TO, TO_2]), "to");
    assert!(reason.contains("prepare_all"), "{reason}");

    let requests = client
        .prepare_all(&Text::new("Hi"), [TO, TO_2])
        .expect("prepared");
    assert_eq!(requests.len(), 2);
    for (request, to) in requests.iter().zip([TO, TO_2]) {
        assert_eq!(request.recipients(), [to]);
        let json = request.json().expect("a v2 request");
        assert_eq!(json["messaging_object"]["to"], to);
        assert_eq!(
            request.url().path(),
            format!("/v2/{SID}/whatsapp/{FROM}/messages")
        );
    }
}

// ---------------------------------------------------------------------------
// wa_source.

#[test]
fn wa_source_from_str_refuses_an_unknown_value() {
    assert_eq!(
        WaSource::from_str("clevertap").ok(),
        Some(WaSource::CleverTap)
    );
    assert_eq!(WaSource::from_str("api").ok(), Some(WaSource::Api));
    let reason = assert_invalid(WaSource::from_str("mailchimp"), "wa_source");
    assert!(reason.contains("mailchimp"), "{reason}");
    assert_invalid(WaSource::from_str("API"), "wa_source");
}

#[test]
fn wa_source_on_v1_is_unsupported() {
    assert_unsupported(
        prepare(V1, &Text::new("Hi").wa_source(WaSource::Zoho)),
        "wa_source",
        ApiVersion::V1,
    );
    let request = assert_ok(prepare(V2, &Text::new("Hi").wa_source(WaSource::Zoho)));
    assert_eq!(
        request.json().expect("v2")["extra_info"]["wa_source"],
        "zoho"
    );
}

// ---------------------------------------------------------------------------
// Client configuration.

#[test]
fn http_base_url_on_a_remote_host_is_refused_unless_allowed() {
    let builder = || Client::builder().sid(SID).api_key(API_KEY).from(FROM);
    let reason = assert_invalid(
        builder().base_url("http://api.kaleyra.io").build(),
        "base_url",
    );
    assert!(reason.contains("allow_insecure_http"), "{reason}");
    let client = builder()
        .base_url("http://api.kaleyra.io")
        .allow_insecure_http(true)
        .build()
        .expect("allowed explicitly");
    assert_eq!(client.base_url().as_str(), "http://api.kaleyra.io/");

    for loopback in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        builder()
            .base_url(loopback)
            .build()
            .unwrap_or_else(|error| panic!("{loopback} is loopback: {error:?}"));
    }
    builder()
        .base_url("https://api.eu.kaleyra.io")
        .build()
        .expect("https is fine");
    assert_invalid(
        builder().base_url("ftp://api.kaleyra.io").build(),
        "base_url",
    );
    assert_invalid(builder().base_url("not a url").build(), "base_url");
}

#[test]
fn a_bad_from_number_is_refused() {
    let builder = || Client::builder().sid(SID).api_key(API_KEY);
    assert_invalid(builder().from("2025550100x").build(), "from");
    assert_invalid(builder().from("+1234567").build(), "from");
    assert_invalid(builder().build(), "from");
    builder().from(FROM).build().expect("E.164 is fine");
}

#[test]
fn missing_sid_or_api_key_is_refused() {
    assert_invalid(Client::builder().api_key(API_KEY).from(FROM).build(), "sid");
    assert_invalid(Client::builder().sid(SID).from(FROM).build(), "api_key");
    assert_invalid(
        Client::builder().sid(SID).api_key("").from(FROM).build(),
        "api_key",
    );
    assert_invalid(
        Client::builder()
            .sid("")
            .api_key(API_KEY)
            .from(FROM)
            .build(),
        "sid",
    );
}

#[test]
fn from_lookup_errors_name_the_environment_variable() {
    let complete = [
        ("KALEYRA_SID", SID),
        ("KALEYRA_API_KEY", API_KEY),
        ("KALEYRA_FROM", FROM),
    ];
    let lookup_with = |overrides: &'static [(&'static str, &'static str)],
                       removed: &'static [&'static str]| {
        move |name: &str| -> Option<String> {
            if removed.contains(&name) {
                return None;
            }
            overrides
                .iter()
                .chain(complete.iter())
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    };

    let client = Client::from_lookup(lookup_with(&[], &[])).expect("complete settings");
    assert_eq!(client.api(), Api::V1);
    let client = Client::from_lookup(lookup_with(
        &[("KALEYRA_API", "v2"), ("KALEYRA_POD", "eu")],
        &[],
    ))
    .expect("v2 on the EU pod");
    assert_eq!(client.api(), Api::V2(Pod::Eu));

    assert_invalid(
        Client::from_lookup(lookup_with(&[], &["KALEYRA_SID"])),
        "KALEYRA_SID",
    );
    assert_invalid(
        Client::from_lookup(lookup_with(&[], &["KALEYRA_API_KEY"])),
        "KALEYRA_API_KEY",
    );
    assert_invalid(
        Client::from_lookup(lookup_with(&[], &["KALEYRA_FROM"])),
        "KALEYRA_FROM",
    );
    assert_invalid(
        Client::from_lookup(lookup_with(&[("KALEYRA_SID", "")], &[])),
        "KALEYRA_SID",
    );
    // Every missing variable at once, not one per attempt.
    let reason = assert_invalid(
        Client::from_lookup(lookup_with(
            &[],
            &["KALEYRA_SID", "KALEYRA_API_KEY", "KALEYRA_FROM"],
        )),
        "KALEYRA_SID",
    );
    assert_eq!(
        reason,
        "is not set, nor are KALEYRA_API_KEY and KALEYRA_FROM"
    );
    let reason = assert_invalid(
        Client::from_lookup(lookup_with(&[], &["KALEYRA_API_KEY", "KALEYRA_FROM"])),
        "KALEYRA_API_KEY",
    );
    assert_eq!(reason, "is not set, nor is KALEYRA_FROM");
    let reason = assert_invalid(
        Client::from_lookup(lookup_with(&[("KALEYRA_API", "v3")], &[])),
        "KALEYRA_API",
    );
    assert!(reason.contains("v3"), "{reason}");
    assert_invalid(
        Client::from_lookup(lookup_with(
            &[("KALEYRA_API", "v2"), ("KALEYRA_POD", "us")],
            &[],
        )),
        "KALEYRA_POD",
    );
    // The pod is a v2 setting; a v1 client does not read it.
    let v1 = Client::from_lookup(lookup_with(
        &[("KALEYRA_API", "v1"), ("KALEYRA_POD", "us")],
        &[],
    ));
    assert_eq!(v1.expect("v1 ignores KALEYRA_POD").api(), Api::V1);
    assert_invalid(
        Client::from_lookup(lookup_with(&[("KALEYRA_FROM", "not-a-number")], &[])),
        "KALEYRA_FROM",
    );
    assert_invalid(
        Client::from_lookup(lookup_with(&[("KALEYRA_SID", "HX-1")], &[])),
        "KALEYRA_SID",
    );
    assert_invalid(
        Client::from_lookup(lookup_with(
            &[("KALEYRA_BASE_URL", "http://api.kaleyra.io")],
            &[],
        )),
        "KALEYRA_BASE_URL",
    );
}

// ---------------------------------------------------------------------------
// Media headers.

#[test]
fn media_urls_must_be_http_or_https() {
    assert!(MediaUrl::parse("https://example.com/ticket.pdf").is_ok());
    assert_invalid(MediaUrl::parse("file:///tmp/ticket.pdf"), "media_url");
}
