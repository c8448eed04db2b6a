use kaleyra_runtime::Template;

// `{{delivery_date}}` has no field.
#[derive(Template)]
#[kaleyra(template = "delivery_named", dir = "templates/meta")]
struct Missing {
    customer_name: String,
    order_id: String,
    #[kaleyra(header)]
    header_order: String,
}

// A field for a placeholder the template does not have.
#[derive(Template)]
#[kaleyra(template = "delivery_named", dir = "templates/meta")]
struct Extra {
    customer_name: String,
    order_id: String,
    delivery_date: String,
    coupon: String,
    #[kaleyra(header)]
    header_order: String,
}

// Misspelt, as a field's name and as a `param`.
#[derive(Template)]
#[kaleyra(template = "delivery_named", dir = "templates/meta")]
struct Misspelt {
    custmer_name: String,
    order_id: String,
    #[kaleyra(param = "delivery_dte")]
    when: String,
    #[kaleyra(header)]
    header_order: String,
}

// `param` on a template with numbered placeholders.
#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Numbered {
    #[kaleyra(param = "name")]
    name: String,
    code: u32,
}

fn main() {}
