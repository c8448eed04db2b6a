//! The statements of an SQLite journal that touch many rows at once.
//!
//! sqlx runs each SQLite statement on the connection's own thread and hands
//! the answer back through a channel, so one statement per row costs two
//! thread switches per row: more than sending the row's request. These
//! statements take a batch of rows at once (as bound values, or as one JSON
//! value read with `json_each`), so a batch of any size costs one statement.

use sqlx::{QueryBuilder, Sqlite, SqliteExecutor, SqlitePool, Transaction};

use crate::journal::now;
use crate::state::RowRecord;

/// Inserts `rows` (line, recipient, payload) as `pending`. When a line is
/// already in the journal, or given twice, nothing is inserted and the
/// smallest such line is returned.
pub(crate) async fn insert_rows(
    transaction: &mut Transaction<'static, Sqlite>,
    rows: &[(i64, String, String)],
) -> Result<Option<i64>, sqlx::Error> {
    // Bound values: SQLite copies them as they are, where a JSON array
    // would be written and parsed again. Chunks of one size share one
    // prepared statement.
    let now = now();
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO journal_rows (line, recipient, payload, state, updated_at) ",
    );
    insert.push_values(rows, |mut values, (line, recipient, payload)| {
        values
            .push_bind(*line)
            .push_bind(recipient.as_str())
            .push_bind(payload.as_str())
            .push("'pending'")
            .push_bind(now);
    });
    let inserted = insert.build().execute(&mut **transaction).await;
    match inserted {
        Ok(_) => Ok(None),
        // SQLite undid the statement; the transaction goes on.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            let mut lines = rows.iter().map(|row| row.0).collect::<Vec<_>>();
            lines.sort_unstable();
            let twice = lines.windows(2).find(|pair| pair[0] == pair[1]);
            let already: Option<i64> = sqlx::query_scalar(
                "SELECT MIN(r.line) FROM json_each(?1) AS v JOIN journal_rows r ON r.line = v.value",
            )
            .bind(json(&lines)?)
            .fetch_one(&mut **transaction)
            .await?;
            match twice.map(|pair| pair[0]).into_iter().chain(already).min() {
                Some(line) => Ok(Some(line)),
                // No line to blame: the refusal stands as it came.
                None => Err(sqlx::Error::Database(error)),
            }
        }
        Err(error) => Err(error),
    }
}

/// Records each row's result; only rows still `sending` change.
///
/// Rows sent go as one JSON object of message ids by line, whose values
/// SQLite reads as they are: reading a field of a nested value parses it
/// again, which for the usual batch (every row sent) cost more than the
/// update itself. Rows that failed, or whose fate is unknown, go as arrays.
pub(crate) async fn record(
    pool: &SqlitePool,
    results: &[(u64, RowRecord)],
) -> Result<(), sqlx::Error> {
    let mut sent = serde_json::Map::new();
    let mut others = Vec::new();
    for (line, record) in results {
        let (message_id, kind, error) = record.columns();
        match record {
            RowRecord::Sent { .. } => {
                sent.insert(line.to_string(), message_id.into());
            }
            RowRecord::Failed { .. } | RowRecord::Unknown { .. } => {
                others.push((as_i64(*line), record.state().as_str(), kind, error));
            }
        }
    }
    if !sent.is_empty() {
        sqlx::query(
            "UPDATE journal_rows SET state = 'sent', message_id = v.value, error_kind = NULL, \
                 error = NULL, updated_at = ?2 \
             FROM json_each(?1) AS v \
             WHERE journal_rows.line = CAST(v.key AS INTEGER) AND journal_rows.state = 'sending'",
        )
        .bind(json(&sent)?)
        .bind(now())
        .execute(pool)
        .await?;
    }
    if !others.is_empty() {
        sqlx::query(
            "UPDATE journal_rows SET state = v.value ->> 1, message_id = NULL, \
                 error_kind = v.value ->> 2, error = v.value ->> 3, updated_at = ?2 \
             FROM json_each(?1) AS v \
             WHERE journal_rows.line = v.value ->> 0 AND journal_rows.state = 'sending'",
        )
        .bind(json(&others)?)
        .bind(now())
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Puts rows claimed but never sent back to `pending`, in one statement.
pub(crate) async fn release(
    executor: impl SqliteExecutor<'_>,
    lines: &[u64],
) -> Result<(), sqlx::Error> {
    let lines = lines.iter().copied().map(as_i64).collect::<Vec<_>>();
    sqlx::query(
        "UPDATE journal_rows SET state = 'pending', attempts = attempts - 1, updated_at = ?2 \
         FROM json_each(?1) AS v \
         WHERE journal_rows.line = v.value AND journal_rows.state = 'sending'",
    )
    .bind(json(&lines)?)
    .bind(now())
    .execute(executor)
    .await
    .map(drop)
}

/// Rows of plain data (numbers, strings, options) as one JSON array.
fn json(rows: &(impl serde::Serialize + ?Sized)) -> Result<String, sqlx::Error> {
    serde_json::to_string(rows).map_err(|error| sqlx::Error::Encode(Box::new(error)))
}

fn as_i64(line: u64) -> i64 {
    i64::try_from(line).unwrap_or(i64::MAX)
}
