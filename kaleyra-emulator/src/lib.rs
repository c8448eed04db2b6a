//! A local Kaleyra WhatsApp API for development and tests.
//!
//! The emulator answers Kaleyra's v1 (form fields) and v2 (JSON) message
//! endpoints, checks each request the way Kaleyra documents it (credentials,
//! the business number's API version, mandatory fields, WhatsApp's limits,
//! the approved templates in `templates/`), and answers with Kaleyra's own
//! success and error bodies. Accepted messages are stored, shown on an inbox
//! page drawn like WhatsApp, and reported to their `callback_url` as status
//! callbacks (`sent`, `delivered`, `read`), to loopback hosts only.
//!
//! It is an independent checker: it reads the template definitions through
//! `kaleyra-definitions`, never through the client it checks.
//!
//! ```no_run
//! use kaleyra_emulator::Emulator;
//!
//! # async fn run() -> Result<(), kaleyra_emulator::StartError> {
//! let emulator = Emulator::builder().templates_dir("templates").start().await?;
//! println!("send to {} with SID {}", emulator.base_url(), emulator.sid());
//! println!("watch the inbox at {}", emulator.inbox_url());
//! for message in emulator.messages() {
//!     println!("{} to {}: {}", message.id, message.to, message.body);
//! }
//! # Ok(()) }
//! ```
//!
//! # Routes
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/{sid}/messages` | v1 send: form fields (urlencoded, multipart or a flat JSON object) |
//! | `GET /v1/{sid}/messages` | v1 send of `type=text` with the fields in the query string |
//! | `POST /v2/{sid}/whatsapp/{phone_number}/messages` | v2 send; the path number is the business (sender) number |
//! | `GET /emulator/messages` | the stored messages as JSON, newest first; `?to=+91...` filters by recipient |
//! | `DELETE /emulator/messages` | forgets every stored message |
//! | `GET /emulator/refused` | the refused requests (code, every field's reason, the redacted request), newest first; the last 1,000 are kept |
//! | `DELETE /emulator/refused` | forgets every refused request |
//! | `POST /emulator/messages/{id}/tap` | the customer taps button `{"button": N}` of message `id`; the incoming message goes to its `callback_url` |
//! | `GET /` | the inbox page |

mod account;
mod callbacks;
mod clock;
mod customer;
mod emulator;
mod errors;
mod ids;
mod inbox;
mod interactive;
mod message;
mod offers;
mod params;
mod recording;
mod requests;
mod server;
mod state;
mod store;
mod template_list;
mod templates;
mod v1;
mod v2;

pub use customer::TapError;
pub use emulator::{
    DEFAULT_API_KEY, DEFAULT_CALLBACK_DELAY, DEFAULT_SID, DEFAULT_V1_NUMBER, DEFAULT_V2_NUMBER,
    Emulator, EmulatorBuilder, RunningEmulator, StartError,
};
pub use message::{
    ApiVersion, CallbackOutcome, CallbackRecord, DeliveryStatus, MessageKind, Refs, StoredButton,
    StoredHeader, StoredMessage, StoredOffer,
};
pub use params::decode_params;
pub use requests::{FieldProblem, RawRequest, RefusedRequest};
