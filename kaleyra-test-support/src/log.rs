//! What `tracing` logs during a test, as text, to check what it must not show.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use tracing::subscriber::DefaultGuard;

/// Everything logged on this thread, at every level, without colours, from
/// [`CapturedLog::start`] until the value is dropped. Run the test on a
/// current-thread runtime (`#[tokio::test(flavor = "current_thread")]`) so
/// every event of a send, the client's and its HTTP stack's, is captured.
#[must_use = "capturing stops when the CapturedLog is dropped"]
pub struct CapturedLog {
    bytes: Arc<Mutex<Vec<u8>>>,
    _guard: DefaultGuard,
}

impl CapturedLog {
    /// Starts capturing what this thread logs.
    pub fn start() -> CapturedLog {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink(Arc::clone(&bytes));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        CapturedLog {
            bytes,
            _guard: guard,
        }
    }

    /// What was logged so far.
    pub fn text(&self) -> String {
        let bytes = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The writer the subscriber formats each event into.
#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
