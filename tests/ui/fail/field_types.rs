use kaleyra_runtime::Template;

struct NotDisplay;

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting {
    name: NotDisplay,
    code: u32,
}

#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    last: String,
    #[kaleyra(header)]
    pdf: String,
    #[kaleyra(button = 1)]
    login: String,
}

fn main() {}
