use kaleyra_runtime::{MediaUrl, Template};

#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    last: String,
    #[kaleyra(header)]
    pdf: MediaUrl,
    #[kaleyra(button = 1)]
    login: String,
    #[kaleyra(button = 2)]
    phone: String,
    #[kaleyra(button = 3)]
    far: String,
}

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting {
    name: String,
    code: u32,
    #[kaleyra(button = 0)]
    payload: String,
}

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct OutOfRange {
    name: String,
    code: u32,
    #[kaleyra(button = 300)]
    payload: String,
}

fn main() {}
