//! What a user of the crate sees, from outside its workspace: media URLs
//! without a file extension, a wrong extension, every kind of template
//! (offer, products, catalog, carousels, flow, code, location), any rate
//! limit, and a send to 200 v2 recipients.

use std::time::Duration;

use futures::StreamExt;
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{Api, Client, Error, MediaUrl, Pod, Template};
use kaleyra_test_support::strategies::edge_f64;
use kaleyra_test_support::{CountingKaleyra, proptest_config};
use outside_app::{CaribbeanOffer, PromoImage};
use proptest::prelude::*;

const BOTH: [Api; 2] = [Api::V1, Api::V2(Pod::In)];

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .start()
        .await
        .expect("the emulator starts")
}

fn promo(picture: &str) -> PromoImage {
    PromoImage {
        name: "Asha".to_owned(),
        picture: MediaUrl::parse(picture).expect("an http(s) URL"),
    }
}

#[tokio::test]
async fn image_headers_with_urls_without_an_extension_send_on_v1_and_v2() {
    let emulator = emulator().await;
    for api in BOTH {
        let client = emulator.client(api).unwrap();
        for picture in [
            "https://media.example.com?id=7",
            "https://cdn.example.com/images/4711",
        ] {
            let receipt = promo(picture)
                .send(&client, "+919876543210")
                .await
                .unwrap_or_else(|error| panic!("{api:?} {picture}: {error}"));
            let stored = emulator
                .message(receipt.message_id().unwrap())
                .expect("the emulator stored the message");
            let header = stored.header.expect("the message has its header");
            assert_eq!(header.url.as_deref(), Some(picture), "{api:?}");
        }
    }
}

#[tokio::test]
async fn a_limited_time_offer_sends_on_v1_and_v2_and_a_past_one_is_refused() {
    let emulator = emulator().await;
    let offer = |expires_at| CaribbeanOffer {
        banner: MediaUrl::parse("https://cdn.example.com/caribbean.jpg").unwrap(),
        name: "Pablo".to_owned(),
        code: "CARIBE25".to_owned(),
        expires_at,
        coupon: "CARIBE25".to_owned(),
        booking: "n3mtql".to_owned(),
    };
    let tomorrow = std::time::SystemTime::now() + Duration::from_secs(86_400);
    let yesterday = std::time::SystemTime::now() - Duration::from_secs(86_400);
    for api in BOTH {
        let client = emulator.client(api).unwrap();
        let receipt = offer(tomorrow)
            .send(&client, "+919876543210")
            .await
            .unwrap_or_else(|error| panic!("{api:?}: {error}"));
        let stored = emulator
            .message(receipt.message_id().unwrap())
            .expect("the emulator stored the message");
        assert_eq!(stored.offer.expect("the offer").text, "Expiring offer!");
        match offer(yesterday).send(&client, "+919876543210").await {
            Err(Error::Invalid { field, .. }) => {
                assert_eq!(field, "limited_time_offer expiration_time_ms")
            }
            other => panic!("{api:?}: {other:?}"),
        }
    }
    assert_eq!(emulator.messages().len(), 2);
}

#[tokio::test]
async fn a_mismatched_extension_is_refused_before_sending() {
    let emulator = emulator().await;
    for api in BOTH {
        let client = emulator.client(api).unwrap();
        let error = promo("https://example.com/tickets/4711.pdf")
            .send(&client, "+919876543210")
            .await
            .unwrap_err();
        match error {
            Error::Invalid { field, reason } => {
                assert_eq!(field, "header");
                assert!(reason.contains("an image header shows"), "{reason}");
            }
            other => panic!("{api:?}: {other}"),
        }
    }
    assert!(emulator.messages().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_v2_recipients_never_have_more_than_the_bound_in_flight() {
    let server = CountingKaleyra::start(Duration::from_millis(20)).await;
    let client = server.client(Api::V2(Pod::In));
    let to: Vec<String> = (0..200).map(|i| format!("+9198765{i:05}")).collect();

    let receipt = promo("https://media.example.com?id=7")
        .send(&client, &to)
        .await
        .unwrap();

    assert_eq!(receipt.messages().len(), 200);
    assert_eq!(server.requests(), 200);
    let most = server.most_in_flight();
    assert!(
        most <= Client::DEFAULT_MAX_IN_FLIGHT,
        "{most} in flight at once"
    );
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn no_rate_limit_panics(rate in edge_f64()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let results: Vec<_> = runtime.block_on(async {
            let server = CountingKaleyra::start(Duration::ZERO).await;
            let client = server.client(Api::V2(Pod::In));
            let message = promo("https://media.example.com?id=7").to_message();
            let inputs = [(message, "+919876543210")];
            client.send_many(inputs).rate_limit(rate).into_stream().collect().await
        });
        prop_assert_eq!(results.len(), 1);
        prop_assert!(results[0].result.is_ok(), "{:?}", results[0].result);
    }
}

#[tokio::test]
async fn a_multi_product_template_sends_its_products_on_v2() {
    use kaleyra_runtime::{MultiProduct, ProductSection};
    let emulator = emulator().await;
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    let cart = MultiProduct::new("2lc20305pt").section(ProductSection::new(
        "Your cart",
        ["nseiw1x9ez", "46sgk8mwlv"],
    ));
    let receipt = outside_app::AbandonedCart {
        name: "Pablo",
        code: "10OFF",
        cart: &cart,
    }
    .send(&client, "+919876543210")
    .await
    .unwrap();
    let stored = emulator
        .message(receipt.message_id().unwrap())
        .expect("the emulator stored the message");
    let products = stored.buttons[0]
        .products
        .as_ref()
        .expect("the button's products");
    assert_eq!(products.thumbnail, "2lc20305pt");
    assert_eq!(
        products.sections[0].product_retailer_ids,
        ["nseiw1x9ez", "46sgk8mwlv"]
    );
}

#[tokio::test]
async fn a_carousel_sends_its_cards_with_uploaded_photos_on_v2_and_is_refused_on_v1() {
    use kaleyra_runtime::MediaFile;
    use outside_app::{SucculentCard, SucculentSale};
    let emulator = emulator().await;
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    let mut cards = Vec::new();
    for product in ["BLUE_ELF", "BUDDHA", "BLACK_PRINCE"] {
        // A PNG's signature is enough for the emulator to keep it.
        let photo = MediaFile::new(
            b"\x89PNG\r\n\x1a\n".to_vec(),
            "image/png",
            format!("{product}.png"),
        )
        .unwrap();
        cards.push(SucculentCard {
            photo: client.upload_media(&photo).await.unwrap(),
            more: format!("more-{product}"),
            product: product.to_owned(),
        });
    }
    let sale = SucculentSale {
        name: "Pablo".to_owned(),
        discount: "30%".to_owned(),
        code: "30OFF".to_owned(),
        cards: cards
            .try_into()
            .unwrap_or_else(|_| panic!("three cards were built")),
    };
    let receipt = sale.send(&client, "+919876543210").await.unwrap();
    let stored = emulator
        .message(receipt.message_id().unwrap())
        .expect("the emulator stored the message");
    assert_eq!(stored.cards.len(), 3);
    let photo = stored.cards[2]
        .header
        .as_ref()
        .unwrap()
        .url
        .as_deref()
        .unwrap();
    assert!(photo.contains("/emulator/media/"), "{photo}");
    assert_eq!(
        stored.cards[2].buttons[1].url.as_deref(),
        Some("https://www.luckyshrub.com/rare-succulents/BLACK_PRINCE")
    );

    let v1 = emulator.client(Api::V1).unwrap();
    assert!(matches!(
        sale.send(&v1, "+919876543210").await,
        Err(Error::Unsupported { .. })
    ));
}

#[tokio::test]
async fn a_code_sends_on_v1_and_v2_and_a_place_on_v2() {
    use kaleyra_runtime::Location;
    use outside_app::{DeliveryOnItsWay, LoginCode};
    let emulator = emulator().await;
    for api in BOTH {
        let client = emulator.client(api).unwrap();
        let code = LoginCode {
            code: "482913".to_owned(),
        };
        code.send(&client, "+919876543210")
            .await
            .unwrap_or_else(|error| panic!("{api:?}: {error}"));
    }
    let delivery = DeliveryOnItsWay {
        place: Location::new(19.076, 72.8777)
            .unwrap()
            .name("Andheri store")
            .address("Andheri West, Mumbai"),
        name: "Asha".to_owned(),
        order: "4711".to_owned(),
    };
    let v2 = emulator.client(Api::V2(Pod::In)).unwrap();
    let receipt = delivery.send(&v2, "+919876543210").await.unwrap();
    let stored = emulator.message(receipt.message_id().unwrap()).unwrap();
    let header = stored.header.as_ref().unwrap().text.as_deref().unwrap();
    assert!(header.contains("Andheri store"), "{header}");
    let messages = emulator.messages();
    assert_eq!(messages.len(), 3, "{:?}", emulator.refused());
    assert!(
        messages
            .iter()
            .any(|message| message.body.contains("482913"))
    );
    // No Kaleyra v1 page has a location header: refused by name, not sent.
    let v1 = emulator.client(Api::V1).unwrap();
    assert!(matches!(
        delivery.send(&v1, "+919876543210").await,
        Err(Error::Unsupported { .. })
    ));
}

#[tokio::test]
async fn a_single_product_the_catalog_a_product_carousel_and_a_flow_send_on_v2() {
    use kaleyra_runtime::{FlowActionData, Product};
    use outside_app::{
        AppointmentBooking, CartOffer, CatalogOffer, ProductCard, SucculentProducts,
    };
    let emulator = emulator().await;
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    let to = "+919876543210";
    let product = |id: &str| Product::new("194836987003835", id);
    let receipts = [
        CartOffer {
            product: product("n3mtql"),
            code: "25OFF".into(),
            discount: "15%".into(),
        }
        .send(&client, to)
        .await,
        CatalogOffer {
            discount: 100,
            minimum: 400,
            orders: 3,
            thumbnail: "2lc20305pt".into(),
        }
        .send(&client, to)
        .await,
        SucculentProducts {
            name: "Pablo".into(),
            cards: [
                ProductCard {
                    product: product("n3mtql"),
                },
                ProductCard {
                    product: product("2lc20305pt"),
                },
            ],
        }
        .send(&client, to)
        .await,
        AppointmentBooking {
            name: "Pablo".into(),
            service: "dental".into(),
            flow_token: "booking-4711".into(),
            data: Some(FlowActionData::new().insert("clinic", "Andheri")),
        }
        .send(&client, to)
        .await,
    ];
    let stored: Vec<_> = receipts
        .iter()
        .map(|receipt| {
            let id = receipt.as_ref().unwrap().message_id().unwrap();
            emulator
                .message(id)
                .expect("the emulator stored the message")
        })
        .collect();
    let header_product = stored[0]
        .header
        .as_ref()
        .and_then(|header| header.product.as_ref())
        .unwrap();
    assert_eq!(header_product.product_retailer_id, "n3mtql");
    assert_eq!(
        stored[1].buttons[0].thumbnail_product.as_deref(),
        Some("2lc20305pt")
    );
    let card_products: Vec<_> = stored[2]
        .cards
        .iter()
        .map(|card| {
            card.header
                .as_ref()
                .and_then(|header| header.product.as_ref())
                .unwrap()
                .product_retailer_id
                .as_str()
        })
        .collect();
    assert_eq!(card_products, ["n3mtql", "2lc20305pt"]);
    assert_eq!(stored[3].buttons[0].code.as_deref(), Some("booking-4711"));
    assert!(emulator.refused().is_empty(), "{:?}", emulator.refused());
}
