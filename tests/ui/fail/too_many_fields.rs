use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting {
    name: String,
    code: u32,
    extra: String,
}

fn main() {}
