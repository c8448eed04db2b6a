use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "plain_header")]
struct PlainHeader {
    #[kaleyra(header)]
    title: String,
}

fn main() {}
