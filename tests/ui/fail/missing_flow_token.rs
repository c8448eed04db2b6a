use kaleyra_runtime::{FlowActionData, Template};

// A flow template: its flow button takes a token each message gives.
#[derive(Template)]
#[kaleyra(template = "appointment_booking", dir = "templates/meta")]
struct AppointmentBooking {
    name: String,
    service: String,
    #[kaleyra(flow_data)]
    data: Option<FlowActionData>,
}

fn main() {}
