use kaleyra_runtime::Template;

#[derive(Template)]
struct Greeting {
    name: String,
}

fn main() {}
