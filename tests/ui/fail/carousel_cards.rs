use kaleyra_runtime::{Card, MediaUrl, Template};

// `seasonal_carousel` was approved with 2 cards, each an image, a body
// without placeholders and a quick reply.
#[derive(Card)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct SeasonalCard {
    #[kaleyra(header)]
    photo: MediaUrl,
    #[kaleyra(button = 0)]
    buy: String,
}

#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct ThreeCards {
    name: String,
    #[kaleyra(cards)]
    cards: [SeasonalCard; 3],
}

#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct NoCards {
    name: String,
}

#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct NotAnArray {
    name: String,
    #[kaleyra(cards)]
    cards: Vec<SeasonalCard>,
}

// A card missing its header field, with a body field the cards lack.
#[derive(Card)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct HeaderlessCard {
    caption: String,
}

// A card of a template that is not a carousel.
#[derive(Card)]
#[kaleyra(template = "order_update", dir = "templates/meta")]
struct NotACarousel {
    #[kaleyra(header)]
    photo: MediaUrl,
}

// Cards on a template without a carousel.
#[derive(Template)]
#[kaleyra(template = "store_menu", dir = "templates/meta")]
struct StoreMenu {
    #[kaleyra(cards)]
    cards: [SeasonalCard; 2],
}

fn main() {}
