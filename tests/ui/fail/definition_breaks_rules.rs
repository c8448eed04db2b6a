use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "broken_rules")]
struct Broken {
    value: String,
}

fn main() {}
