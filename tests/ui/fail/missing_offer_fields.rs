use kaleyra_runtime::{MediaUrl, Template};

// Meta's limited-time offer (reference object 013): the offer shows its
// expiry, which each message gives.
#[derive(Template)]
#[kaleyra(template = "limited_time_offer_caribbean_pkg_2023", dir = "templates/meta")]
struct CaribbeanOffer {
    #[kaleyra(header)]
    banner: MediaUrl,
    name: String,
    code: String,
    #[kaleyra(button = 0)]
    coupon: String,
    #[kaleyra(button = 1)]
    book_now: String,
}

// An expiry on a template without an offer.
#[derive(Template)]
#[kaleyra(template = "festive_coupon", dir = "templates/meta")]
struct FestiveCoupon {
    #[kaleyra(header)]
    banner: MediaUrl,
    discount: String,
    #[kaleyra(button = 0)]
    coupon: String,
    #[kaleyra(offer_expiry)]
    expires_at: std::time::SystemTime,
}

fn main() {}
