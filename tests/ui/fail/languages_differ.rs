use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "shipping_note", dir = "templates/meta")]
struct ShippingNote {
    #[kaleyra(language)]
    language: ShippingNoteLanguage,
    name: String,
    order: String,
}

fn main() {}
