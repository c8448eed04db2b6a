//! A field named `code` stands for every value of an authentication template
//! only: on a template that is not one, the values it does not give are
//! missing, and the error says why `code` alone does not do.

use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "order_update", dir = "templates/meta")]
struct OrderUpdate {
    code: String,
}

fn main() {}
