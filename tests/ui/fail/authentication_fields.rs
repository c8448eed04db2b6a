use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "login_code", dir = "templates/meta")]
struct NoCode {}

#[derive(Template)]
#[kaleyra(template = "login_code", dir = "templates/meta")]
struct TwoFields {
    code: String,
    name: String,
}

#[derive(Template)]
#[kaleyra(template = "login_code", dir = "templates/meta")]
struct MarkedCode {
    #[kaleyra(button = 0)]
    code: String,
}

fn main() {}
