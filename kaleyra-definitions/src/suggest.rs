//! "Did you mean" suggestions for misspelled names and keys.

/// The candidates closest to `input`, best first, at most three; none when
/// nothing is close enough to be a likely typo.
///
/// ```
/// let known = ["params", "name", "body"];
/// assert_eq!(kaleyra_definitions::did_you_mean("parms", known), ["params"]);
/// assert!(kaleyra_definitions::did_you_mean("zzz", known).is_empty());
/// ```
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    const THRESHOLD: f64 = 0.6;
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::normalized_damerau_levenshtein(input, candidate),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, candidate)| candidate)
        .collect()
}

/// `did you mean `a` or `b`?`, or nothing when there is no suggestion.
pub fn did_you_mean_sentence(suggestions: &[&str]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}
