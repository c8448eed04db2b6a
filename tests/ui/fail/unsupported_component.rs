use kaleyra_runtime::Template;

#[derive(Template)]
#[kaleyra(template = "seasonal_carousel", dir = "templates/meta")]
struct SeasonalCarousel {
    name: String,
}

fn main() {}
