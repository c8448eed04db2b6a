//! Catalog, multi-product and single-product templates (Meta's objects in
//! `templates/products/`): the thumbnail product of a catalog button, the
//! products of a multi-product button (owned or borrowed), and the product
//! of a single-product template's header, each sent on v2, the catalog on v1.
//!
//! With `MultiProduct` imported, the derive's own paths to it must not read as
//! unnecessary qualifications (projects deny the lint under `-D warnings`).

#![deny(unused_qualifications)]

use kaleyra_runtime::{
    Api, Client, MultiProduct, Pod, PreparedRequest, Product, ProductSection, Template,
};

/// `intro_catalog_offer`: a CATALOG button, whose thumbnail each message names.
#[derive(Template)]
#[kaleyra(template = "intro_catalog_offer", dir = "templates/products")]
struct IntroCatalogOffer<'a> {
    discount: u32,
    minimum: u32,
    orders: u32,
    #[kaleyra(button = 0)]
    thumbnail: &'a str,
}

/// `abandoned_cart`: a text header and an MPM button listing the cart.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart", dir = "templates/products")]
struct AbandonedCart<'a> {
    #[kaleyra(header)]
    name: &'a str,
    code: &'a str,
    #[kaleyra(button = 0)]
    cart: &'a MultiProduct,
}

/// `abandoned_cart_offer`: a PRODUCT header and an SPM button.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart_offer", dir = "templates/products")]
struct AbandonedCartOffer {
    #[kaleyra(header)]
    product: Product,
    code: String,
    discount: String,
}

fn template(request: &PreparedRequest) -> serde_json::Value {
    request.json().unwrap()["messaging_object"]["template"].clone()
}

fn main() {
    let client = |api| Client::builder().sid("HX1").api_key("k").from("+912025550100").api(api).build().unwrap();
    let (v1, v2) = (client(Api::V1), client(Api::V2(Pod::In)));
    let to = "+919876543210";

    let catalog = IntroCatalogOffer { discount: 100, minimum: 400, orders: 3, thumbnail: "2lc20305pt" };
    let sent = template(&catalog.prepare(&v2, to).unwrap());
    assert_eq!(sent["components"][1]["sub_type"], "CATALOG");
    assert_eq!(sent["components"][1]["parameters"][0]["action"]["thumbnail_product_retailer_id"], "2lc20305pt");
    let form = catalog.prepare(&v1, to).unwrap().form_fields().unwrap();
    assert!(form.contains(&("type".to_owned(), "template".to_owned())));
    assert!(form.contains(&("thumbnail_product_retailer_id".to_owned(), "2lc20305pt".to_owned())));

    let products = MultiProduct::new("2lc20305pt")
        .section(ProductSection::new("Your cart", ["nseiw1x9ez", "46sgk8mwlv"]));
    let cart = AbandonedCart { name: "Pablo", code: "10OFF", cart: &products };
    let sent = template(&cart.prepare(&v2, to).unwrap());
    assert_eq!(sent["components"][2]["sub_type"], "mpm");
    assert_eq!(sent["components"][2]["parameters"][0]["action"]["sections"][0]["product_items"][1]["product_retailer_id"], "46sgk8mwlv");
    // The owned message carries the same products.
    assert_eq!(template(&v2.prepare(&cart.to_message(), to).unwrap()), sent);

    let offer = AbandonedCartOffer {
        product: Product::new("194836987003835", "2lc20305pt"),
        code: "25OFF".into(),
        discount: "25%".into(),
    };
    let sent = template(&offer.prepare(&v2, to).unwrap());
    assert_eq!(sent["components"][0]["parameters"][0]["product"]["catalog_id"], "194836987003835");
    assert_eq!(sent["components"].as_array().unwrap().len(), 2, "the spm button takes nothing");
    assert!(offer.prepare(&v1, to).is_err(), "no v1 page documents a single-product template");
}
