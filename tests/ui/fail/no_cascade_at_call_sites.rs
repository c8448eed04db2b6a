use kaleyra_runtime::{Client, Template};

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting {
    name: String,
}

async fn send(client: &Client) -> Result<(), kaleyra_runtime::Error> {
    let message = Greeting { name: "Ada".into() };
    message.prepare(client, "+919876543210")?;
    message.send(client, "+919876543210").await?;
    let _ = Greeting::NAME;
    let _ = message.to_message();
    Ok(())
}

fn main() {
    let _ = send;
}
