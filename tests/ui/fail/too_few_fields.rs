use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting {
    name: String,
}

fn main() {}
