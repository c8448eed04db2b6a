//! Message ids in the style each API answers with.

/// A v2 message id in Meta's style: `wamid.` and 48 random characters.
pub(crate) fn wamid() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let random: String = (0..48)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect();
    format!("wamid.{random}")
}
