//! One `Client`, shared by 64 tasks sending at once: every request gets its
//! own, correct receipt.

use std::collections::HashSet;

use kaleyra_emulator::Emulator;
use kaleyra_examples::BookingConfirm;
use kaleyra_runtime::{Api, Pod};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_sharing_one_client_each_get_their_own_receipt() {
    let emulator = Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .start()
        .await
        .unwrap();
    for api in [Api::V1, Api::V2(Pod::In)] {
        let client = emulator.client(api).unwrap();
        let tasks: Vec<_> = (0..64u32)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    let to = format!("+9198765{i:05}");
                    let receipt = BookingConfirm {
                        name: "Ada",
                        booking_id: i,
                    }
                    .send(&client, &to)
                    .await
                    .unwrap();
                    (i, to, receipt)
                })
            })
            .collect();
        let mut ids = HashSet::new();
        for task in tasks {
            let (i, to, receipt) = task.await.unwrap();
            let id = receipt.message_id().unwrap();
            assert!(ids.insert(id.to_owned()), "message ids are unique");
            let stored = emulator
                .message(id)
                .expect("the emulator stored the message under that id");
            assert_eq!(
                stored.to, to,
                "{api:?}: the receipt for input {i} names its own recipient"
            );
            assert_eq!(
                stored.params,
                ["Ada".to_owned(), i.to_string()],
                "{api:?}: and its own values"
            );
        }
        assert_eq!(ids.len(), 64);
    }
    assert_eq!(emulator.messages().len(), 128);
}
