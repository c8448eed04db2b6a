use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "call_permission", dir = "templates/meta")]
struct CallPermission {
    order: String,
}

fn main() {}
