//! The model of a business's approved WhatsApp templates, as kept in
//! `templates/<name>.json`: the types, the parser, and every rule from
//! WhatsApp and Kaleyra that can be checked on a definition.
//!
//! The derive macro, the runtime and the emulator all read definitions through
//! this crate, so a definition means the same thing to each of them.
//!
//! ```
//! use std::path::Path;
//! use kaleyra_definitions::{TemplateDefinition, TemplateKind};
//!
//! let json = br#"{
//!     "name": "imt_dynamic",
//!     "kind": "mediatemplate",
//!     "header": { "type": "document" },
//!     "body": "Hi {{1}} {{2}}, your ticket is attached.",
//!     "buttons": [{ "index": 1, "type": "url", "text": "Login", "url": "https://example.com/login/{{1}}" }]
//! }"#;
//! let definition = TemplateDefinition::from_slice(json, Path::new("templates/imt_dynamic.json"))?;
//! assert_eq!(definition.kind, TemplateKind::MediaTemplate);
//! assert_eq!(definition.param_count(), 2);
//! assert!(definition.button(1).unwrap().has_dynamic_url());
//! # Ok::<(), kaleyra_definitions::DefinitionError>(())
//! ```

pub mod build;
pub mod carousel;
pub mod codes;
mod directory;
mod drift;
mod error;
pub mod failures;
pub mod limits;
mod listing;
mod load;
pub mod management;
pub mod media;
mod meta;
mod model;
pub mod offer;
pub mod placeholder;
pub mod products;
pub mod review;
mod rules;
#[cfg(feature = "schema")]
mod schema;
mod status;
mod suggest;
pub mod values;

pub use carousel::{Carousel, CarouselCard};
pub use directory::{
    LookupError, SCHEMA_FILE_NAME, TemplateSet, definition_files, template_files, values_difference,
};
pub use drift::{Drift, DriftKind, diff};
pub use error::{DefinitionError, Problem};
pub use listing::{LIST_SUCCESS_CODE, ListedTemplate, PageError, Paging, TemplatePage};
pub use load::MAX_FILE_BYTES;
pub use model::{
    Authentication, Button, ButtonParameter, ButtonType, Category, DefinitionFormat, Header,
    HeaderType, OtpApp, OtpType, ParameterFormat, TemplateDefinition, TemplateKind, Unsupported,
};
pub use offer::LimitedTimeOffer;
#[cfg(feature = "schema")]
pub use schema::json_schema;
pub use status::{Sendability, TemplateStatus};
pub use suggest::{did_you_mean, did_you_mean_sentence};
