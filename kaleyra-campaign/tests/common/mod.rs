//! What the journal's tests share on either database.

use kaleyra_campaign::Journal;

/// Loads rows on lines 2..=`rows + 1` through `journal`: recipient
/// `+91980000<line>`, values `values of <line>`.
pub async fn load(journal: &Journal, rows: u64) {
    let mut loader = journal.loader().await.unwrap();
    for line in 2..rows + 2 {
        loader
            .add(
                line,
                &format!("+91980000{line:04}"),
                &format!("values of {line}"),
            )
            .await
            .unwrap();
    }
    loader.commit().await.unwrap();
}
