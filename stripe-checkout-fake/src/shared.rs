//! What every request handler shares: the fake's [`State`], the control records beside it
//! (idempotency keys, armed faults), the webhook hub, the base URL and the `Request-Id`
//! counter. One `Arc<Shared>` is held by [`crate::FakeStripe`] and by every connection.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use crate::faults::Fault;
use crate::idempotency::IdempotencyStore;
use crate::state::State;
use crate::webhooks::Hub;

/// Everything a request handler needs.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub control: Mutex<Control>,
    /// The hosted page's business name and payments waiting for 3D Secure.
    pub hosted: Mutex<crate::hosted::HostedState>,
    pub hooks: Hub,
    pub base_url: String,
    pub runtime: tokio::runtime::Handle,
    requests: AtomicU64,
    request_prefix: String,
}

/// Idempotency records and armed faults.
#[derive(Default)]
pub(crate) struct Control {
    pub idempotency: IdempotencyStore,
    pub faults: Vec<Fault>,
}

/// Locks a mutex, carrying on after a panic elsewhere (the data stays usable).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(
        base_url: String,
        shutdown: watch::Receiver<bool>,
        runtime: tokio::runtime::Handle,
    ) -> Shared {
        let mut state = State::default();
        let prefix = state.id("req_");
        Shared {
            state: Mutex::new(state),
            control: Mutex::new(Control::default()),
            hosted: Mutex::new(crate::hosted::HostedState::default()),
            hooks: Hub::new(shutdown),
            base_url,
            runtime,
            requests: AtomicU64::new(0),
            request_prefix: prefix[..12].to_owned(),
        }
    }

    /// Runs `f` on the state, then queues the events it emitted for delivery.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let (out, events) = {
            let mut state = lock(&self.state);
            let out = f(&mut state);
            (out, state.take_pending())
        };
        self.hooks.dispatch(events);
        out
    }

    /// A fresh `Request-Id` (<https://docs.stripe.com/api/request_ids>): a random prefix per
    /// fake and a counter.
    pub fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        format!("{}{n:08}", self.request_prefix)
    }
}
