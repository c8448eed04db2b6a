//! Message ids in the style each API answers with: random, or drawn from a
//! seed ([`crate::EmulatorBuilder::seed`]) so that a run can be repeated.

use std::sync::{Mutex, PoisonError};

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

const WAMID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Where ids come from.
#[derive(Debug)]
pub(crate) struct Ids {
    /// With a seed, every id is drawn from it in the order asked for.
    seeded: Option<Mutex<ChaCha8Rng>>,
}

impl Ids {
    /// Random ids, or ids drawn from `seed`.
    pub(crate) fn new(seed: Option<u64>) -> Self {
        Ids {
            seeded: seed.map(|seed| Mutex::new(ChaCha8Rng::seed_from_u64(seed))),
        }
    }

    /// A v2 message id in Meta's style: `wamid.` and 48 characters.
    pub(crate) fn wamid(&self) -> String {
        let pick = |draw: &mut dyn FnMut() -> usize| -> String {
            (0..48)
                .map(|_| char::from(WAMID_ALPHABET[draw()]))
                .collect()
        };
        let random = match &self.seeded {
            Some(draws) => {
                let mut draws = draws.lock().unwrap_or_else(PoisonError::into_inner);
                pick(&mut || draws.random_range(..WAMID_ALPHABET.len()))
            }
            None => pick(&mut || fastrand::usize(..WAMID_ALPHABET.len())),
        };
        format!("wamid.{random}")
    }

    /// A v1 request id: a version 4 UUID (its messages are `<id>:<n>`).
    pub(crate) fn request_id(&self) -> String {
        match &self.seeded {
            Some(draws) => {
                let mut bytes = [0u8; 16];
                draws
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .fill(&mut bytes);
                uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string()
            }
            None => uuid::Uuid::new_v4().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_ids_in_the_same_order() {
        let ids = |seed| {
            let ids = Ids::new(Some(seed));
            [ids.wamid(), ids.request_id(), ids.wamid()]
        };
        assert_eq!(ids(5), ids(5));
        assert_ne!(ids(5), ids(6));
        let [wamid, request, _] = ids(5);
        assert!(wamid.starts_with("wamid.") && wamid.len() == 54, "{wamid}");
        let parsed = uuid::Uuid::parse_str(&request).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }

    #[test]
    fn without_a_seed_ids_differ() {
        let ids = Ids::new(None);
        assert_ne!(ids.wamid(), ids.wamid());
        assert_ne!(ids.request_id(), ids.request_id());
    }
}
