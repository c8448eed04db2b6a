//! A crate that re-exports the runtime under a name of its own derives
//! through that name with `#[kaleyra(crate = "...")]`.

mod my_sdk {
    pub use kaleyra_runtime as kaleyra;
}

use my_sdk::kaleyra::{Api, Client, Template};

#[derive(Template)]
#[kaleyra(template = "greeting", crate = "my_sdk::kaleyra")]
struct Greeting<'a> {
    name: &'a str,
    code: u32,
}

#[derive(Template)]
#[kaleyra(crate = "crate::my_sdk::kaleyra", template = "menu")]
struct Menu<'a> {
    name: &'a str,
    #[kaleyra(header)]
    photo: my_sdk::kaleyra::MediaUrl,
}

fn main() {
    let client = Client::builder().sid("HX1").api_key("k").from("+912025550100").api(Api::V1).build().unwrap();
    let request = Greeting { name: "Ada", code: 7 }.prepare(&client, "+919876543210").unwrap();
    assert!(request.body_text().contains("template_name=greeting"));
    assert_eq!(Greeting::PARAMS, 2);

    let photo = my_sdk::kaleyra::MediaUrl::parse("https://example.com/menu.png").unwrap();
    let menu = Menu { name: "Ada", photo };
    assert!(menu.prepare(&client, "+919876543210").is_ok());
}
