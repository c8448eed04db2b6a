use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "../secrets")]
struct Escape {
    name: String,
}

#[derive(Template)]
#[kaleyra(template = "greeting", dir = "no_such_dir")]
struct NoDir {
    name: String,
}

fn main() {}
