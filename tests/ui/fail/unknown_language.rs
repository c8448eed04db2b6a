use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "order_status", language = "fr", dir = "templates/meta")]
struct InFrench {
    name: String,
    order: String,
    #[kaleyra(button = 0)]
    track: String,
}

#[derive(Template)]
#[kaleyra(template = "order_status", language = "pt_BT", dir = "templates/meta")]
struct InPortuguese {
    name: String,
    order: String,
    #[kaleyra(button = 0)]
    track: String,
}

fn main() {}
