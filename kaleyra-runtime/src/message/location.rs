//! A place on a map, for a template's location header.

use kaleyra_definitions::values::{self, LocationPart, Slot};

use crate::error::Error;

/// The place a location-header template shows (Meta's `LOCATION` header):
/// a latitude and a longitude in degrees, and optionally a name and an
/// address.
///
/// The coordinates are checked when it is made (a latitude is -90 to 90, a
/// longitude -180 to 180, neither NaN nor infinite); the name and address
/// when the message is prepared. Kaleyra v2 sends it in Meta's shape, as
/// numbers; no Kaleyra v1 page documents a location header, so v1 refuses
/// it by name (see DECISIONS.md).
///
/// ```
/// use kaleyra_runtime::Location;
///
/// let shop = Location::new(37.483307, -122.148981)?
///     .name("Pablo Morales")
///     .address("1 Hacker Way, Menlo Park, CA 94025");
/// assert_eq!(shop.latitude(), 37.483307);
/// assert!(Location::new(91.0, 0.0).is_err());
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

// The coordinates are never NaN (`new` refuses it), so equality is total.
impl Eq for Location {}

impl Location {
    /// The place at `latitude` and `longitude`, in degrees; an error names
    /// the coordinate out of range.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, Error> {
        for (part, degrees) in [
            (LocationPart::Latitude, latitude),
            (LocationPart::Longitude, longitude),
        ] {
            if let Some(problem) = values::coordinate_problem(part, degrees) {
                return Err(Error::invalid(Slot::Location(part).to_string(), problem));
            }
        }
        Ok(Location {
            latitude,
            longitude,
            name: None,
            address: None,
        })
    }

    /// The place's name, shown above its address.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The place's address.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// The latitude, in degrees north (negative: south).
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// The longitude, in degrees east (negative: west).
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// The place's name, if given.
    pub fn place_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The place's address, if given.
    pub fn place_address(&self) -> Option<&str> {
        self.address.as_deref()
    }

    /// Checks every part by the rule book: the error names the part, such as
    /// `location name`.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let coordinates = [
            (LocationPart::Latitude, self.latitude),
            (LocationPart::Longitude, self.longitude),
        ];
        for (part, degrees) in coordinates {
            if let Some(problem) = values::coordinate_problem(part, degrees) {
                return Err(Error::invalid(Slot::Location(part).to_string(), problem));
            }
        }
        let texts = [
            (LocationPart::Name, &self.name),
            (LocationPart::Address, &self.address),
        ];
        for (part, text) in texts {
            if let Some(text) = text
                && let Some(problem) = values::value_problem(Slot::Location(part), text)
            {
                return Err(Error::invalid(Slot::Location(part).to_string(), problem));
            }
        }
        Ok(())
    }
}
