//! Products from the business's catalog, as template messages show them: the
//! product of a single-product template's header, and the products a
//! multi-product button lists. (A catalog button's thumbnail product is one
//! retailer id: see [`TemplateMessage::catalog_thumbnail`].)
//!
//! The rules are [`kaleyra_definitions::products`]'s, the same for the
//! runtime, the derive, the CLI and the emulator.
//!
//! [`TemplateMessage::catalog_thumbnail`]: crate::TemplateMessage::catalog_thumbnail

use std::borrow::Cow;

use kaleyra_definitions::products;
use kaleyra_definitions::values::Slot;

use crate::error::Error;

/// One product of a catalog: what a single-product (SPM) template's
/// `product` header shows, with its image, title and price from the catalog.
///
/// v2 sends it as the header's `product` parameter, with both ids, as Meta
/// documents it. No Kaleyra page documents a single-product *template* on v1
/// (its `singleproduct` type is an interactive message), so v1 refuses it.
///
/// ```
/// use kaleyra_runtime::{Product, TemplateHeader, TemplateMessage};
///
/// let message = TemplateMessage::media("abandoned_cart_offer")
///     .language("en_US")
///     .header(TemplateHeader::Product(Product::new("194836987003835", "2lc20305pt")))
///     .params(["25OFF", "25%"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Product {
    catalog_id: String,
    retailer_id: String,
}

impl Product {
    /// The product with retailer id (SKU) `retailer_id` in the catalog `catalog_id`.
    pub fn new(catalog_id: impl Into<String>, retailer_id: impl Into<String>) -> Self {
        Product {
            catalog_id: catalog_id.into(),
            retailer_id: retailer_id.into(),
        }
    }

    /// The catalog's id.
    pub fn catalog_id(&self) -> &str {
        &self.catalog_id
    }

    /// The product's retailer id (its SKU in the catalog).
    pub fn retailer_id(&self) -> &str {
        &self.retailer_id
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        for (slot, value) in [
            (Slot::HeaderProduct, &self.retailer_id),
            (Slot::HeaderCatalog, &self.catalog_id),
        ] {
            if let Some(problem) = kaleyra_definitions::values::value_problem(slot, value) {
                return Err(Error::invalid(slot.to_string(), problem));
            }
        }
        Ok(())
    }
}

/// One titled section of the products a multi-product button lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProductSection {
    title: String,
    retailer_ids: Vec<String>,
}

impl ProductSection {
    /// The section `title` (at most 24 characters) with the products of
    /// these retailer ids, in order.
    pub fn new<I>(title: impl Into<String>, retailer_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        ProductSection {
            title: title.into(),
            retailer_ids: retailer_ids.into_iter().map(Into::into).collect(),
        }
    }

    /// The section's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The retailer ids of its products, in order.
    pub fn retailer_ids(&self) -> &[String] {
        &self.retailer_ids
    }
}

/// What a multi-product (MPM) template's button lists: the product whose
/// image is the message's thumbnail, and 1 to 10 titled sections of at most
/// 30 products in all, each named by its retailer id.
///
/// Checked before anything is sent ([`kaleyra_definitions::products::multi_product_problem`]):
/// an error names the part, such as `products sections[1] title`.
///
/// On v2 it is the `mpm` button's `action` parameter (Meta's shape; Kaleyra's
/// v2 page leaves it unseen). On v1 Kaleyra's multi-product page sends the
/// form fields `name` and `language` (not `template_name` and `lang_code`,
/// as its other template pages), `thumbnail_product_retailer_id` in JSON
/// quotes and `sections` as JSON, and leaves the value of `type` unseen: so
/// a v1 send needs [`v1_message_type`](Self::v1_message_type), and is
/// refused without it (see DECISIONS.md).
///
/// ```
/// use kaleyra_runtime::{MultiProduct, ProductSection};
///
/// let products = MultiProduct::new("2lc20305pt")
///     .section(ProductSection::new("Popular Bundles", ["nseiw1x9ez", "46sgk8mwlv"]))
///     .section(ProductSection::new("Succulents", ["5wdd8fa1w0"]));
/// assert_eq!(products.sections().len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultiProduct {
    thumbnail: String,
    sections: Vec<ProductSection>,
    v1_message_type: Option<Cow<'static, str>>,
}

impl MultiProduct {
    /// Products shown with the image of the product `thumbnail_retailer_id`;
    /// add their sections with [`section`](Self::section).
    pub fn new(thumbnail_retailer_id: impl Into<String>) -> Self {
        MultiProduct {
            thumbnail: thumbnail_retailer_id.into(),
            sections: Vec::new(),
            v1_message_type: None,
        }
    }

    /// Adds a section after the others.
    pub fn section(mut self, section: ProductSection) -> Self {
        self.sections.push(section);
        self
    }

    /// Adds sections after the others.
    pub fn sections_from(mut self, sections: impl IntoIterator<Item = ProductSection>) -> Self {
        self.sections.extend(sections);
        self
    }

    /// v1 only: the value of the form's `type` field for this send, which
    /// Kaleyra's v1 multi-product page leaves unseen. Ask Kaleyra for it;
    /// without it a v1 send is refused rather than sent with a guess.
    pub fn v1_message_type(mut self, value: impl Into<Cow<'static, str>>) -> Self {
        self.v1_message_type = Some(value.into());
        self
    }

    /// The thumbnail product's retailer id.
    pub fn thumbnail(&self) -> &str {
        &self.thumbnail
    }

    /// The sections, in order.
    pub fn sections(&self) -> &[ProductSection] {
        &self.sections
    }

    /// The v1 `type` given with [`v1_message_type`](Self::v1_message_type).
    pub(crate) fn v1_type(&self) -> Option<&str> {
        self.v1_message_type.as_deref()
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        let sections = self
            .sections
            .iter()
            .map(|section| (section.title.as_str(), section.retailer_ids.as_slice()));
        match products::multi_product_problem(&self.thumbnail, sections) {
            Some((slot, problem)) => Err(Error::invalid(slot.to_string(), problem)),
            None => Ok(()),
        }
    }
}

/// The products a message gives its multi-product button at `index`,
/// borrowed from a derived struct's field where it can be.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductsButton<'a> {
    /// The button's index.
    pub index: u8,
    /// The products.
    pub products: Cow<'a, MultiProduct>,
}

impl ProductsButton<'_> {
    pub(crate) fn into_static(self) -> ProductsButton<'static> {
        ProductsButton {
            index: self.index,
            products: Cow::Owned(self.products.into_owned()),
        }
    }
}
