use kaleyra_runtime::{Card, MediaId, MediaUrl, Template};

#[derive(Card)]
#[kaleyra(
    template = "carousel_template_media_cards_v1",
    dir = "templates/meta"
)]
struct SucculentCard {
    #[kaleyra(header)]
    photo: MediaId,
    #[kaleyra(button = 1)]
    product: String,
}

// Cards of another carousel template.
#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct WrongCards {
    name: String,
    #[kaleyra(cards)]
    cards: [SucculentCard; 2],
}

// An element type that is not a card.
#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct NotCards {
    name: String,
    #[kaleyra(cards)]
    cards: [MediaUrl; 2],
}

fn main() {}
