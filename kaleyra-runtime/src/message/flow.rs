//! What a template's flow button gives its WhatsApp Flow when a message is
//! sent: the initial data for the flow's first screen.

use std::fmt;

use serde_json::{Map, Value};

/// The data a flow button hands its flow's first screen (Meta's
/// `flow_action_data`): a JSON object, given per message with
/// [`TemplateMessage::flow_action_data`](crate::TemplateMessage::flow_action_data)
/// or a derived struct's `#[kaleyra(flow_data)]` field.
///
/// An empty object is refused when the message is prepared: Meta asks for
/// either data or none.
///
/// ```
/// use kaleyra_runtime::FlowActionData;
///
/// let data = FlowActionData::new().insert("customer_id", "C-4711").insert("visits", 3);
/// assert_eq!(data.to_string(), r#"{"customer_id":"C-4711","visits":3}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowActionData(Map<String, Value>);

impl FlowActionData {
    /// No data yet.
    pub fn new() -> Self {
        FlowActionData(Map::new())
    }

    /// The data with `key` set to `value` (any JSON value: text, a number,
    /// a list, an object).
    pub fn insert(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// The data as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Whether there is no data.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Map<String, Value>> for FlowActionData {
    fn from(map: Map<String, Value>) -> Self {
        FlowActionData(map)
    }
}

/// The data as the JSON object it is sent as.
impl fmt::Display for FlowActionData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A map with string keys always serializes.
        f.write_str(&serde_json::to_string(&self.0).map_err(|_| fmt::Error)?)
    }
}

/// The flow data in a derived struct's `#[kaleyra(flow_data)]` field, which
/// holds a [`FlowActionData`] or an `Option` of one.
#[doc(hidden)]
pub trait AsFlowActionData {
    fn as_flow_action_data(&self) -> Option<&FlowActionData>;
}

impl AsFlowActionData for FlowActionData {
    fn as_flow_action_data(&self) -> Option<&FlowActionData> {
        Some(self)
    }
}

impl AsFlowActionData for Option<FlowActionData> {
    fn as_flow_action_data(&self) -> Option<&FlowActionData> {
        self.as_ref()
    }
}

impl<T: AsFlowActionData + ?Sized> AsFlowActionData for &T {
    fn as_flow_action_data(&self) -> Option<&FlowActionData> {
        (**self).as_flow_action_data()
    }
}
