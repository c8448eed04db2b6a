use kaleyra_runtime::Template;

// Too few body fields, no header field, no field for the dynamic URL, and a
// field for a button the template lacks: all reported in one compile.
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    #[kaleyra(button = 2)]
    phone: String,
}

fn main() {}
