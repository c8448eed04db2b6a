//! Typed messages for the templates in this repository's `templates/`
//! directory, used by the examples and the integration tests.
