use kaleyra_runtime::{MediaUrl, Template};

// The template's URL button is 1; one error, at the `5`, suggesting it (and
// no second error asking for a field for button 1).
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct WrongButton {
    first: String,
    last: String,
    #[kaleyra(header)]
    pdf: MediaUrl,
    #[kaleyra(button = 5)]
    login: String,
}

// A button that takes no value, when the URL button needs one.
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct ValuelessButton {
    first: String,
    last: String,
    #[kaleyra(header)]
    pdf: MediaUrl,
    #[kaleyra(button = 2)]
    login: String,
}

// An extra body field is reported at the field.
#[derive(Template)]
#[kaleyra(template = "greeting")]
struct ExtraField {
    name: String,
    code: u32,
    extra: String,
}

// The media header's field, left unmarked, is one body field too many.
#[derive(Template)]
#[kaleyra(template = "ticket")]
struct UnmarkedHeader {
    first: String,
    pdf: MediaUrl,
    last: String,
    #[kaleyra(button = 1)]
    login: String,
}

// `header` on a template without one, when a body value is missing.
#[derive(Template)]
#[kaleyra(template = "greeting")]
struct HeaderForBody {
    name: String,
    #[kaleyra(header)]
    code: u32,
}

fn main() {}
