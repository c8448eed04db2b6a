use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "old_offer", dir = "templates/meta")]
struct OldOffer {
    name: String,
}

fn main() {}
