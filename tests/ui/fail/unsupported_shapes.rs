use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greeting")]
enum Greeting {
    Hello,
}

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Tuple(String, u32);

#[derive(Template)]
#[kaleyra(template = "greeting")]
union Both {
    a: u32,
    b: f32,
}

fn main() {}
