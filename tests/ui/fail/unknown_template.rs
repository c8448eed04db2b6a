use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greting")]
struct Greeting {
    name: String,
    code: u32,
}

fn main() {}
