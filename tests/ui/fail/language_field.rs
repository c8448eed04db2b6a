use kaleyra_runtime::Template;

// Several languages on file, and no field choosing one.
#[derive(Template)]
#[kaleyra(template = "order_status", dir = "templates/meta")]
struct NoLanguageField {
    name: String,
    order: String,
    #[kaleyra(button = 0)]
    track: String,
}

// One language picked on the struct, and a field choosing too.
#[derive(Template)]
#[kaleyra(template = "order_status", language = "hi", dir = "templates/meta")]
struct Both {
    #[kaleyra(language)]
    language: BothLanguage,
    name: String,
    order: String,
    #[kaleyra(button = 0)]
    track: String,
}

// A definition that names no language.
#[derive(Template)]
#[kaleyra(template = "menu")]
struct NoLanguage {
    #[kaleyra(language)]
    language: NoLanguageLanguage,
    name: String,
    #[kaleyra(header)]
    photo: kaleyra_runtime::MediaUrl,
}

fn main() {}
