//! Products in template sends: the product of a single-product template's
//! header and the products of a catalog or multi-product button, read from
//! v2's JSON (Meta's shapes) and checked with the definitions' rules
//! ([`kaleyra_definitions::products`]), as WhatsApp checks them.

use kaleyra_definitions::ButtonParameter;

use serde::Deserialize;

use crate::errors::Problems;
use crate::message::{StoredProduct, StoredProducts, StoredSection};
use crate::templates::{ButtonInput, HeaderValue};

/// v2's header `product` parameter: `{"product_retailer_id", "catalog_id"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductObject {
    product_retailer_id: Option<String>,
    catalog_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionObject {
    #[serde(default)]
    title: String,
    #[serde(default)]
    product_items: Vec<ItemObject>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemObject {
    product_retailer_id: String,
}

/// A header's `{"type": "product", "product": {...}}` parameter, at `at`.
pub(crate) fn header_product(
    product: Option<&ProductObject>,
    at: &str,
    problems: &mut Problems,
) -> Option<HeaderValue> {
    let Some(product) = product else {
        problems.add(format!("{at}.product"), "is missing");
        return None;
    };
    let mut missing = false;
    for (key, value) in [
        ("product_retailer_id", &product.product_retailer_id),
        ("catalog_id", &product.catalog_id),
    ] {
        if value.is_none() {
            problems.add(format!("{at}.product.{key}"), "is missing");
            missing = true;
        }
    }
    if missing {
        return None;
    }
    Some(HeaderValue::Product(StoredProduct {
        catalog_id: product.catalog_id.clone().unwrap_or_default(),
        product_retailer_id: product.product_retailer_id.clone().unwrap_or_default(),
    }))
}

/// What a catalog (`CATALOG`) or multi-product (`mpm`) button component's
/// `action` parameter gives.
pub(crate) enum ActionValue {
    /// A catalog button's thumbnail product.
    Thumbnail(ButtonInput),
    /// A multi-product button's products.
    Products(StoredProducts),
}

/// The `action` parameter of a button component of `sub_type`, at `at`.
pub(crate) fn button_action(
    sub_type: &str,
    action: Option<(Option<&String>, Option<&Vec<SectionObject>>)>,
    at: &str,
    problems: &mut Problems,
) -> Option<ActionValue> {
    let Some((thumbnail, sections)) = action else {
        problems.add(format!("{at}.action"), "is missing");
        return None;
    };
    let Some(thumbnail) = thumbnail.cloned() else {
        problems.add(
            format!("{at}.action.thumbnail_product_retailer_id"),
            "is missing",
        );
        return None;
    };
    if sub_type.eq_ignore_ascii_case("catalog") {
        if sections.is_some() {
            problems.add(
                format!("{at}.action.sections"),
                "a catalog button shows the whole catalog; it takes no sections",
            );
            return None;
        }
        return Some(ActionValue::Thumbnail(ButtonInput::new(
            ButtonParameter::ProductThumbnail,
            thumbnail,
        )));
    }
    let Some(sections) = sections else {
        problems.add(format!("{at}.action.sections"), "is missing");
        return None;
    };
    Some(ActionValue::Products(StoredProducts {
        thumbnail,
        sections: sections
            .iter()
            .map(|section| StoredSection {
                title: section.title.clone(),
                product_retailer_ids: section
                    .product_items
                    .iter()
                    .map(|item| item.product_retailer_id.clone())
                    .collect(),
            })
            .collect(),
    }))
}
