use kaleyra_runtime::Template;

// A catalog button's thumbnail product is required.
#[derive(Template)]
#[kaleyra(template = "intro_catalog_offer", dir = "templates/products")]
struct NoThumbnail {
    discount: u32,
    minimum: u32,
    orders: u32,
}

// A multi-product button's products are required.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart", dir = "templates/products")]
struct NoProducts {
    #[kaleyra(header)]
    name: String,
    code: String,
}

// A single-product template's header product is required.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart_offer", dir = "templates/products")]
struct NoProduct {
    code: String,
    discount: String,
}

// The spm button shows the header's product and takes no value.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart_offer", dir = "templates/products")]
struct ButtonForSpm {
    #[kaleyra(header)]
    product: kaleyra_runtime::Product,
    code: String,
    discount: String,
    #[kaleyra(button = 0)]
    view: String,
}

fn main() {}
