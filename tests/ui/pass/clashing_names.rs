//! A struct or generic parameter named like something the derive imports
//! (`TemplateKind`) still derives.

use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct TemplateKind {
    name: String,
    code: u32,
}

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Generic<TemplateKind: std::fmt::Display> {
    name: TemplateKind,
    code: u32,
}

fn main() {
    assert_eq!(<TemplateKind as Template>::KIND, kaleyra_runtime::TemplateKind::Template);
    assert_eq!(<Generic<u8> as Template>::KIND, kaleyra_runtime::TemplateKind::Template);
    let _ = TemplateKind { name: "Ada".into(), code: 1 };
    let _ = Generic { name: 7u8, code: 1 };
}
