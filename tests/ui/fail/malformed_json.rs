use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "broken_json")]
struct Broken {
    value: String,
}

fn main() {}
