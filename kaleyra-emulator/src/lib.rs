#![doc = include_str!("../README.md")]

mod account;
mod account_events;
mod callback_profile;
mod callbacks;
mod clock;
mod connection;
mod customer;
mod emulator;
mod errors;
mod faults;
mod ids;
mod inbox;
mod inbox_view;
mod incoming;
mod interactive;
mod loopback;
mod message;
mod offers;
mod params;
mod products;
mod recording;
mod requests;
mod server;
mod state;
mod store;
mod template_admin;
mod template_list;
mod template_store;
mod template_watch;
mod templates;
mod uploads;
mod v1;
mod v2;
mod written;

pub use account_events::{
    AccountEvent, EventError, OtherInfo, PhoneNumberQualityEvent, RejectionInfo,
    TemplateCategoryEvent, TemplateComponentsEvent, TemplateQualityEvent, TemplateStatusEvent,
    UpdatedButton,
};
pub use callback_profile::{AdvancedAuth, AuthMethod, ClientCredentialsIn};
pub use customer::{CustomerMessage, ReportedStatus, StatusError, TapError, WriteError};
pub use emulator::{
    DEFAULT_API_KEY, DEFAULT_CALLBACK_DELAY, DEFAULT_SID, DEFAULT_V1_NUMBER, DEFAULT_V2_NUMBER,
    Emulator, EmulatorBuilder, RunningEmulator, StartError,
};
pub use faults::{ActiveFault, AppliedFault, FaultAction, FaultError, FaultRule, MAX_HANG};
pub use message::{
    ApiVersion, CallbackOutcome, CallbackRecord, DeliveryStatus, MessageKind, Refs, StoredButton,
    StoredCard, StoredHeader, StoredMessage, StoredOffer, StoredProduct, StoredProducts,
    StoredSection,
};
pub use params::decode_params;
pub use requests::{FieldProblem, RawRequest, RefusedRequest};
pub use template_store::DEFAULT_TEMPLATE_REVIEW_DELAY;
pub use written::{CustomerContent, WrittenMessage};
