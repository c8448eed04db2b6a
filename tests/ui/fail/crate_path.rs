use kaleyra_runtime::Template;

mod my_sdk {
    pub use kaleyra_runtime as kaleyra;
}

#[derive(Template)]
#[kaleyra(template = "greeting", crate = "my sdk")]
struct NotAPath {
    name: String,
    code: u32,
}

// The path is the one the generated code uses: a wrong one fails there.
#[derive(Template)]
#[kaleyra(template = "greeting", crate = "my_sdk::kaleyr")]
struct Unresolved {
    name: String,
    code: u32,
}

#[derive(Template)]
#[kaleyra(template = "greeting", crate = "my_sdk::kaleyra", crate = "kaleyra_runtime")]
struct Twice {
    name: String,
    code: u32,
}

fn main() {}
