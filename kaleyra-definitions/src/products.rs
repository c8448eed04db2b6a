//! Products from the business's catalog: the rules for the values a
//! catalog, multi-product (MPM) or single-product (SPM) template message
//! gives, and for the templates themselves.
//!
//! A message names products by their *retailer id* (the SKU, Meta's
//! `product_retailer_id`). A catalog button shows one product's image as the
//! message's thumbnail; a multi-product button lists up to
//! [`limits::MULTI_PRODUCT_ITEMS`] products in up to
//! [`limits::MULTI_PRODUCT_SECTIONS`] titled sections; a single-product
//! template's `product` header shows one product of a catalog.
//!
//! ```
//! use kaleyra_definitions::products::multi_product_problem;
//!
//! let sections = [("Popular".to_owned(), vec!["nseiw1x9ez".to_owned()])];
//! let view = sections.iter().map(|(title, ids)| (title.as_str(), ids.as_slice()));
//! assert_eq!(multi_product_problem("2lc20305pt", view), None);
//!
//! let long = [("Bundles of the season!!!!".to_owned(), vec!["nseiw1x9ez".to_owned()])];
//! let view = long.iter().map(|(title, ids)| (title.as_str(), ids.as_slice()));
//! let (slot, problem) = multi_product_problem("2lc20305pt", view).unwrap();
//! assert_eq!(slot.to_string(), "products sections[0] title");
//! assert!(problem.contains("limit is 24"));
//! ```

use crate::error::Problem;
use crate::limits;
use crate::model::{ButtonType, HeaderType, TemplateDefinition};
use crate::values::{self, ProductsPart, Slot};

/// Why a multi-product button's products cannot be sent, if they cannot,
/// with the slot at fault: the thumbnail product's retailer id, and the
/// sections, each a title and the retailer ids of its products, in order.
///
/// WhatsApp's limits: 1 to [`limits::MULTI_PRODUCT_SECTIONS`] sections,
/// each titled (at most [`limits::PRODUCT_SECTION_TITLE`] characters) and
/// holding at least one product, at most [`limits::MULTI_PRODUCT_ITEMS`]
/// products in all, and no empty retailer id.
pub fn multi_product_problem<'v>(
    thumbnail: &str,
    sections: impl ExactSizeIterator<Item = (&'v str, &'v [String])> + Clone,
) -> Option<(Slot<'static>, String)> {
    let whole = Slot::Products(ProductsPart::Sections);
    let count = sections.len();
    if count == 0 {
        return Some((
            whole,
            "has no section; a multi-product message lists its products in 1 to 10 sections"
                .to_owned(),
        ));
    }
    if count > limits::MULTI_PRODUCT_SECTIONS {
        return Some((
            whole,
            format!(
                "has {count} sections; WhatsApp allows at most {}",
                limits::MULTI_PRODUCT_SECTIONS
            ),
        ));
    }
    let products: usize = sections.clone().map(|(_, ids)| ids.len()).sum();
    if products > limits::MULTI_PRODUCT_ITEMS {
        return Some((
            whole,
            format!(
                "has {products} products; WhatsApp allows at most {} in all sections together",
                limits::MULTI_PRODUCT_ITEMS
            ),
        ));
    }
    if let Some(problem) = values::product_id_problem(thumbnail) {
        return Some((Slot::Products(ProductsPart::Thumbnail), problem));
    }
    for (section, (title, ids)) in sections.enumerate() {
        if let Some(problem) = values::section_title_problem(title) {
            return Some((
                Slot::Products(ProductsPart::SectionTitle { section }),
                problem,
            ));
        }
        if ids.is_empty() {
            return Some((
                Slot::Products(ProductsPart::Section { section }),
                "has no product; give each section at least one".to_owned(),
            ));
        }
        for (item, id) in ids.iter().enumerate() {
            if let Some(problem) = values::product_id_problem(id) {
                return Some((
                    Slot::Products(ProductsPart::Item { section, item }),
                    problem,
                ));
            }
        }
    }
    None
}

/// The product buttons a template object may have, checked as WhatsApp
/// approves them: a `product` header goes with an `spm` button and the
/// reverse, a template has at most one product button (`catalog`, `mpm` or
/// `spm`), and a multi-product template's header, if any, is text.
pub(crate) fn check(definition: &TemplateDefinition) -> Vec<Problem> {
    let mut problems = Vec::new();
    let header = definition.header.as_ref().map(|header| header.kind);
    let product_buttons: Vec<(usize, ButtonType)> = definition
        .buttons
        .iter()
        .enumerate()
        .map(|(position, button)| (position, button.button_type()))
        .filter(|(_, kind)| {
            matches!(
                kind,
                ButtonType::Catalog | ButtonType::MultiProduct | ButtonType::SingleProduct
            )
        })
        .collect();
    if let [(first, first_kind), .., (position, kind)] = product_buttons.as_slice() {
        problems.push(Problem::at_path(
            format!("buttons[{position}].type"),
            format!(
                "is a second product button (`{}`) after `buttons[{first}]` (`{}`); a template has at most one",
                kind.as_str(),
                first_kind.as_str()
            ),
        ));
    }
    let spm = product_buttons
        .iter()
        .find(|(_, kind)| *kind == ButtonType::SingleProduct);
    match (header == Some(HeaderType::Product), spm) {
        (true, None) => problems.push(Problem::at_path(
            "header.type",
            "a `product` header needs an `spm` button (WhatsApp's single-product template); the template has none",
        )),
        (false, Some((position, _))) => problems.push(Problem::at_path(
            format!("buttons[{position}].type"),
            "an `spm` button opens the product of a `product` header; the template has no such header",
        )),
        _ => {}
    }
    let mpm = product_buttons
        .iter()
        .any(|(_, kind)| *kind == ButtonType::MultiProduct);
    if mpm && header.is_some_and(|kind| kind != HeaderType::Text) {
        problems.push(Problem::at_path(
            "header.type",
            "a multi-product (`mpm`) template's header is text; WhatsApp shows the products in its place",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(shape: &[(&str, usize)]) -> Vec<(String, Vec<String>)> {
        shape
            .iter()
            .map(|(title, count)| {
                let ids = (0..*count).map(|n| format!("sku-{n}")).collect();
                ((*title).to_owned(), ids)
            })
            .collect()
    }

    fn problem(thumbnail: &str, sections: &[(String, Vec<String>)]) -> Option<(String, String)> {
        let view = sections
            .iter()
            .map(|(title, ids)| (title.as_str(), ids.as_slice()));
        multi_product_problem(thumbnail, view).map(|(slot, problem)| (slot.to_string(), problem))
    }

    #[test]
    fn thirty_products_fit_and_thirty_one_do_not() {
        assert_eq!(problem("sku", &sections(&[("A", 20), ("B", 10)])), None);
        let (slot, message) = problem("sku", &sections(&[("A", 20), ("B", 11)])).unwrap();
        assert_eq!(slot, "products sections");
        assert!(message.contains("31 products"), "{message}");
    }

    #[test]
    fn ten_sections_fit_and_eleven_do_not() {
        let ten: Vec<(&str, usize)> = vec![("S", 1); 10];
        assert_eq!(problem("sku", &sections(&ten)), None);
        let eleven: Vec<(&str, usize)> = vec![("S", 1); 11];
        let (slot, message) = problem("sku", &sections(&eleven)).unwrap();
        assert_eq!(slot, "products sections");
        assert!(message.contains("11 sections"), "{message}");
        assert!(problem("sku", &[]).unwrap().1.contains("no section"));
    }

    #[test]
    fn a_title_of_twenty_four_characters_fits_and_twenty_five_do_not() {
        let fits = "é".repeat(24);
        assert_eq!(problem("sku", &sections(&[(&fits, 1)])), None);
        let over = "é".repeat(25);
        let (slot, message) = problem("sku", &sections(&[("A", 1), (&over, 1)])).unwrap();
        assert_eq!(slot, "products sections[1] title");
        assert!(message.contains("25 characters"), "{message}");
    }

    #[test]
    fn empty_ids_and_empty_sections_are_named() {
        let mut with_empty = sections(&[("A", 2), ("B", 3)]);
        with_empty[1].1[2] = " ".to_owned();
        let (slot, _) = problem("sku", &with_empty).unwrap();
        assert_eq!(slot, "products sections[1] product_items[2]");
        let (slot, _) = problem("", &sections(&[("A", 1)])).unwrap();
        assert_eq!(slot, "products thumbnail");
        let (slot, message) = problem("sku", &sections(&[("A", 1), ("B", 0)])).unwrap();
        assert_eq!(slot, "products sections[1]");
        assert!(message.contains("no product"));
    }
}
