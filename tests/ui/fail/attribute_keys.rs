use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greeting", template = "ticket")]
struct Duplicate {
    name: String,
    code: u32,
}

#[derive(Template)]
#[kaleyra(templat = "greeting")]
struct UnknownStructKey {
    name: String,
}

#[derive(Template)]
#[kaleyra(template = "ticket")]
struct FieldKeys {
    #[kaleyra(headr)]
    first: String,
    #[kaleyra(header, button = 1)]
    pdf: kaleyra_runtime::MediaUrl,
    #[kaleyra(template = "x")]
    last: String,
}

fn main() {}
