use kaleyra_runtime::Template;

// Too few body fields, no header field, and a field on a button that takes no
// value (likely meant for the dynamic URL's button 1): one compile, one error each.
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    #[kaleyra(button = 2)]
    phone: String,
}

fn main() {}
