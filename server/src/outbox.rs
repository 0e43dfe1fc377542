//! A connection's queue of frames, from its room (and its own replies) to its writer.
//!
//! tokio's mpsc channel keeps its slots in blocks of 32, and a channel that has carried 32
//! messages holds two blocks for good: some 2 KB a connection for a queue that is empty nearly
//! always (heaptrack, BENCHMARKS.md "Memory per room"). This queue holds what is in it and a few
//! words more. Like the channel it replaces: bounded (a full queue means the client does not
//! keep up), `None` once every sender is gone, and a send fails once the writer is gone.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// The sending end; cloned for the room and the connection's own replies.
pub struct Outbox(Arc<Shared>);

/// The writer's end.
pub struct Frames(Arc<Shared>);

struct Shared {
    queue: Mutex<Queue>,
    ready: Notify,
    capacity: usize,
}

struct Queue {
    frames: VecDeque<Utf8Bytes>,
    senders: usize,
    writer_gone: bool,
}

/// The frame was not queued: the queue is full, or the writer has gone.
#[derive(Debug)]
pub struct NotQueued;

/// A queue of at most `capacity` frames.
pub fn channel(capacity: usize) -> (Outbox, Frames) {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue { frames: VecDeque::new(), senders: 1, writer_gone: false }),
        ready: Notify::new(),
        capacity,
    });
    (Outbox(shared.clone()), Frames(shared))
}

impl Shared {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Outbox {
    /// Queues `frame` unless the queue is full or the writer has gone.
    pub fn try_send(&self, frame: Utf8Bytes) -> Result<(), NotQueued> {
        let mut queue = self.0.queue();
        if queue.writer_gone || queue.frames.len() >= self.0.capacity {
            return Err(NotQueued);
        }
        queue.frames.push_back(frame);
        drop(queue);
        self.0.ready.notify_one();
        Ok(())
    }
}

impl Clone for Outbox {
    fn clone(&self) -> Outbox {
        self.0.queue().senders += 1;
        Outbox(self.0.clone())
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        let mut queue = self.0.queue();
        queue.senders -= 1;
        let last = queue.senders == 0;
        drop(queue);
        if last {
            self.0.ready.notify_one();
        }
    }
}

impl Frames {
    /// The next frame; `None` once the queue is empty and every sender has gone. Cancel-safe: a
    /// frame is taken only when it is returned.
    pub async fn recv(&mut self) -> Option<Utf8Bytes> {
        loop {
            {
                let mut queue = self.0.queue();
                if let Some(frame) = queue.frames.pop_front() {
                    if queue.frames.is_empty() && queue.frames.capacity() > 8 {
                        // A burst made it long; an idle connection keeps a short one.
                        queue.frames.shrink_to(8);
                    }
                    return Some(frame);
                }
                if queue.senders == 0 {
                    return None;
                }
            }
            // A send since the check left a permit, so this wait cannot miss it.
            self.0.ready.notified().await;
        }
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        let mut queue = self.0.queue();
        queue.writer_gone = true;
        queue.frames.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_come_out_in_order_and_a_full_queue_refuses_the_next() {
        let (outbox, mut frames) = channel(2);
        outbox.try_send(Utf8Bytes::from_static("een")).expect("room for one");
        outbox.try_send(Utf8Bytes::from_static("twee")).expect("room for two");
        assert!(outbox.try_send(Utf8Bytes::from_static("drie")).is_err(), "a client that does not keep up");
        assert_eq!(frames.recv().await.as_deref(), Some("een"));
        outbox.try_send(Utf8Bytes::from_static("drie")).expect("room again");
        assert_eq!(frames.recv().await.as_deref(), Some("twee"));
        assert_eq!(frames.recv().await.as_deref(), Some("drie"));
    }

    #[tokio::test]
    async fn the_writer_hears_the_end_once_every_sender_is_gone_and_what_was_queued_first() {
        let (outbox, mut frames) = channel(4);
        let reply = outbox.clone();
        outbox.try_send(Utf8Bytes::from_static("laatste")).expect("queued");
        drop(outbox);
        let waiting = tokio::spawn(async move {
            let first = frames.recv().await;
            (first, frames.recv().await)
        });
        tokio::task::yield_now().await;
        drop(reply);
        let (first, end) = waiting.await.expect("the writer ran");
        assert_eq!(first.as_deref(), Some("laatste"));
        assert_eq!(end, None);
    }

    #[test]
    fn nothing_is_queued_for_a_writer_that_has_gone() {
        let (outbox, frames) = channel(4);
        drop(frames);
        assert!(outbox.try_send(Utf8Bytes::from_static("niemand")).is_err());
    }
}
