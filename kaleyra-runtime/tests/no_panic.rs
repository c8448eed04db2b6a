//! No public builder or constructor panics, whatever number, duration or
//! string it is given: each either clamps (as its rustdoc says) or returns a
//! typed error.
//!
//! `PROPTEST_CASES=10000 cargo test -p kaleyra-runtime --test no_panic` runs longer.

use std::sync::LazyLock;
use std::time::Duration;

use futures::StreamExt;
use kaleyra_runtime::{
    Api, Client, Error, InteractiveHeader, Location, MediaUrl, MultiProduct, Pod, Product,
    ProductSection, ReplyButtons, RetryPolicy, TemplateHeader, TemplateMessage, Text,
};
use kaleyra_test_support::strategies::{
    edge_duration, edge_f64, edge_u32, edge_usize, phone_like, url_like, user_text,
};
use kaleyra_test_support::{CountingKaleyra, client_builder, proptest_config};
use proptest::prelude::*;

/// One runtime and one server for every case.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
});
static SERVER: LazyLock<CountingKaleyra> =
    LazyLock::new(|| RUNTIME.block_on(CountingKaleyra::start(Duration::ZERO)));

fn apis() -> impl Strategy<Value = Api> {
    prop_oneof![
        Just(Api::V1),
        Just(Api::V2(Pod::In)),
        Just(Api::V2(Pod::Sg)),
        Just(Api::V2(Pod::Eu))
    ]
}

fn message() -> TemplateMessage {
    TemplateMessage::new("booking_confirm")
        .language("en")
        .param("Ada")
        .param("4711")
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn any_client_settings_build_or_are_refused_by_name(
        api in apis(),
        sid in user_text(),
        key in user_text(),
        from in phone_like(),
        base_url in url_like(),
        connect in edge_duration(),
        request in edge_duration(),
        response_cap in edge_usize(),
        in_flight in edge_usize(),
        insecure in any::<bool>(),
    ) {
        let built = Client::builder()
            .sid(sid)
            .api_key(key)
            .from(from)
            .api(api)
            .base_url(base_url)
            .allow_insecure_http(insecure)
            .connect_timeout(connect)
            .request_timeout(request)
            .max_response_bytes(response_cap)
            .max_in_flight(in_flight)
            .build();
        match built {
            Ok(client) => prop_assert!(client.max_in_flight() >= 1),
            Err(Error::Invalid { field, .. }) => prop_assert!(!field.is_empty()),
            Err(other) => prop_assert!(false, "not a refusal of the input: {other}"),
        }
    }

    #[test]
    fn any_timeout_either_is_refused_or_sends(
        connect in edge_duration(),
        request in edge_duration(),
        response_cap in edge_usize(),
    ) {
        let built = client_builder(Api::V2(Pod::In), SERVER.url())
            .connect_timeout(connect)
            .request_timeout(request)
            .max_response_bytes(response_cap)
            .build();
        let client = match built {
            Ok(client) => client,
            Err(Error::Invalid { field, .. }) => {
                prop_assert!(matches!(&*field, "connect_timeout" | "request_timeout" | "max_response_bytes"), "{field}");
                return Ok(());
            }
            Err(other) => return Err(TestCaseError::fail(other.to_string())),
        };
        let sent = RUNTIME.block_on(client.send(&message(), "+919876543210"));
        match sent {
            Ok(receipt) => prop_assert_eq!(receipt.messages().len(), 1),
            // A cap smaller than the answer refuses it, and says so.
            Err(Error::Decode { reason, .. }) => prop_assert!(reason.contains("cap"), "{reason}"),
            // A timeout of a few nanoseconds expires, as a timeout should.
            Err(Error::Transport(error)) => prop_assert!(
                connect < Duration::from_millis(100) || request < Duration::from_millis(100),
                "{error}"
            ),
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn any_bulk_setting_sends_every_input_once(
        rate in edge_f64(),
        concurrency in edge_usize(),
        batch in edge_usize(),
        api in apis(),
    ) {
        let client = SERVER.client(api);
        // One input: however slow the rate, the first message starts at once
        // (a batch of several would rightly wait for the rate to allow each).
        let inputs = [(message(), "+919876543210")];
        let results: Vec<_> = RUNTIME.block_on(
            client
                .send_many(inputs)
                .rate_limit(rate)
                .concurrency(concurrency)
                .v1_batch_size(batch)
                .into_stream()
                .collect(),
        );
        prop_assert_eq!(results.len(), 1);
        prop_assert!(results[0].result.is_ok(), "{:?}", results[0].result);
    }

    #[test]
    fn any_retry_policy_gives_a_delay(
        retries in edge_u32(),
        base in edge_duration(),
        max in edge_duration(),
        retry in edge_u32(),
        possibly_sent in any::<bool>(),
    ) {
        let mut policy = RetryPolicy::safe(retries).base_delay(base).max_delay(max);
        if possibly_sent {
            policy = policy.retry_even_if_possibly_sent();
        }
        let error = Error::Api {
            status: 429,
            code: kaleyra_runtime::error::ApiCode::TooManyRequests,
            message: "Too many requests".to_owned(),
            fields: Default::default(),
            body: String::new(),
            retry_after: None,
        };
        let delay = policy.delay(&error, retry);
        prop_assert!(delay <= max);
        let _ = policy.should_retry(&error, retry);
    }

    #[test]
    fn any_place_makes_a_location_or_is_refused_by_name(
        api in apis(),
        latitude in any::<f64>(),
        longitude in any::<f64>(),
        name in user_text(),
        address in user_text(),
        index in any::<u8>(),
        to in phone_like(),
    ) {
        let client = SERVER.client(api);
        match Location::new(latitude, longitude) {
            Ok(place) => {
                let message = TemplateMessage::media("order_delivery_update")
                    .language("en_US")
                    .header(TemplateHeader::Location(place.name(name).address(address)))
                    .param("Mark")
                    .quick_reply_payload(index, "stop");
                match client.prepare_all(&message, to.as_str()) {
                    Ok(requests) => prop_assert!(!requests.is_empty()),
                    Err(Error::Invalid { field, .. }) => prop_assert!(!field.is_empty()),
                    Err(Error::Unsupported { what, .. }) => prop_assert!(!what.is_empty()),
                    Err(other) => prop_assert!(false, "{other}"),
                }
            }
            Err(Error::Invalid { field, .. }) => {
                prop_assert!(field == "location latitude" || field == "location longitude");
                prop_assert!(!(latitude.abs() <= 90.0 && longitude.abs() <= 180.0));
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn any_message_values_prepare_or_are_refused_by_name(
        api in apis(),
        name in user_text(),
        language in user_text(),
        values in proptest::collection::vec(user_text(), 0..4),
        media in url_like(),
        suffix in user_text(),
        index in any::<u8>(),
        reference in user_text(),
        to in phone_like(),
        body in user_text(),
        title in user_text(),
        expiry_ms in any::<u64>(),
        data_key in user_text(),
    ) {
        let client = SERVER.client(api);
        let header = match MediaUrl::parse(media) {
            Ok(url) => TemplateHeader::Image(url.into()),
            Err(_) => TemplateHeader::Text(suffix.clone()),
        };
        let template = TemplateMessage::new(name.clone())
            .language(language.clone())
            .params(&values)
            .header(header)
            .url_button(index, &suffix)
            .quick_reply_payload(index, &suffix)
            .reference(reference.clone());
        // An account's templates: named values, a one-time code, a coupon.
        let named = values.iter().zip(["customer_name", "Order Id", "x"]).fold(
            TemplateMessage::media(name.clone()).language(language.clone()),
            |message, (value, parameter)| message.named_param(parameter, value),
        )
        .header(TemplateHeader::named_text(suffix.clone(), title.clone()))
        .coupon_code(index, &suffix);
        let authentication = TemplateMessage::authentication(name.clone(), &suffix)
            .language(language.clone())
            .reference(reference.clone());
        // A limited-time offer and a flow button: any expiry (past, far
        // future, beyond 64 bits of milliseconds), any token and data.
        let expiry = std::time::UNIX_EPOCH
            .checked_add(Duration::from_millis(expiry_ms))
            .unwrap_or(std::time::UNIX_EPOCH);
        let offer = TemplateMessage::media(name.clone())
            .language(language.clone())
            .params(&values)
            .offer_expires_at(expiry)
            .coupon_code(index, &suffix)
            .flow_button(index.wrapping_add(1), &title)
            .flow_action_data(kaleyra_runtime::FlowActionData::new().insert(data_key, body.clone()));
        let text = Text::new(body.clone()).reference(reference);
        let buttons = ReplyButtons::new(body)
            .button(title.clone(), title.clone())
            .header(InteractiveHeader::Text(title));
        for prepared in [
            client.prepare_all(&template, to.as_str()),
            client.prepare_all(&named, to.as_str()),
            client.prepare_all(&offer, to.as_str()),
            client.prepare_all(&authentication, to.as_str()),
            client.prepare_all(&text, to.as_str()),
            client.prepare_all(&buttons, to.as_str()),
        ] {
            match prepared {
                Ok(requests) => prop_assert!(!requests.is_empty()),
                Err(Error::Invalid { field, .. }) => prop_assert!(!field.is_empty()),
                Err(Error::Unsupported { what, .. }) => prop_assert!(!what.is_empty()),
                Err(other) => prop_assert!(false, "{other}"),
            }
        }
    }
    #[test]
    fn any_products_prepare_or_are_refused_by_name(
        api in apis(),
        thumbnail in user_text(),
        sections in proptest::collection::vec(
            (user_text(), proptest::collection::vec(user_text(), 0..5)),
            0..13,
        ),
        index in any::<u8>(),
        catalog in user_text(),
        v1_type in proptest::option::of(user_text()),
        to in phone_like(),
    ) {
        let client = SERVER.client(api);
        let mut products = MultiProduct::new(thumbnail.clone()).sections_from(
            sections.iter().map(|(title, ids)| ProductSection::new(title.clone(), ids.clone())),
        );
        if let Some(v1_type) = v1_type {
            products = products.v1_message_type(v1_type);
        }
        let multi_product = TemplateMessage::media("abandoned_cart")
            .language("en_US")
            .multi_product(index, products);
        let catalog_message = TemplateMessage::media("intro_catalog_offer")
            .language("en_US")
            .param(&catalog)
            .catalog_thumbnail(index, &thumbnail);
        let single_product = TemplateMessage::media("abandoned_cart_offer")
            .language("en_US")
            .header(TemplateHeader::Product(Product::new(catalog, thumbnail)));
        for prepared in [
            client.prepare_all(&multi_product, to.as_str()),
            client.prepare_all(&catalog_message, to.as_str()),
            client.prepare_all(&single_product, to.as_str()),
        ] {
            match prepared {
                Ok(requests) => prop_assert!(!requests.is_empty()),
                Err(Error::Invalid { field, .. }) => prop_assert!(!field.is_empty()),
                Err(Error::Unsupported { what, .. }) => prop_assert!(!what.is_empty()),
                Err(other) => prop_assert!(false, "{other}"),
            }
        }
    }
}
