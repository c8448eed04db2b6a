use kaleyra_runtime::Template;

// The ticket template has a document header and a dynamic URL button at index 1.
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    last: String,
}

fn main() {}
