//! The fake's data and its most basic services, with no I/O: the [`State`] struct (sessions,
//! prices, objects, events), the fake clock, and Stripe-looking ids. The operations on it live beside
//! their concern: [`crate::sessions`], [`crate::catalogue`], [`crate::lifecycle`],
//! [`crate::events`].

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};

use serde_json::Value;

use crate::catalogue::Catalogue;
use crate::events::StoredEvent;
use crate::lifecycle::recovery::Recoveries;
use crate::objects::Objects;
use crate::sessions::Session;

/// 24 hours: the latest (and default) `expires_at` of a session, and how long idempotency keys
/// live (<https://docs.stripe.com/api/idempotent_requests>).
pub const DAY: i64 = 24 * 60 * 60;

/// Who made a request, for the events it causes.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The `Request-Id` the fake answered with.
    pub request_id: Option<String>,
    /// The `Idempotency-Key` it was sent with.
    pub idempotency_key: Option<String>,
}

/// The fake's data.
#[derive(Debug)]
pub(crate) struct State {
    /// Seconds the fake clock is ahead of the real one.
    pub clock_offset: i64,
    /// Creation order of sessions (lists are newest first).
    pub seq: u64,
    rng: u64,
    pub sessions: HashMap<String, Session>,
    /// Products, prices, coupons, promotion codes, shipping rates and tax rates.
    pub catalogue: Catalogue,
    /// The fake's stand-in for Stripe Tax: a percentage per country (upper-case ISO code),
    /// used by sessions with `automatic_tax[enabled]=true`.
    pub automatic_tax_rates: HashMap<String, f64>,
    /// What completed sessions made: customers, payment intents, subscriptions, invoices, …
    pub objects: Objects,
    /// Subscriptions whose next renewal fails ([`crate::FakeStripe::fail_next_renewal`]).
    pub failing_renewals: HashSet<String>,
    /// Events emitted, oldest first.
    pub events: Vec<StoredEvent>,
    /// Events emitted since the last `take_pending`.
    pub pending: Vec<Value>,
    /// Abandoned-cart recovery links ([`crate::lifecycle::recovery`]).
    pub recoveries: Recoveries,
}

impl Default for State {
    fn default() -> Self {
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        State {
            clock_offset: 0,
            seq: 0,
            rng: seed | 1,
            sessions: HashMap::new(),
            catalogue: Catalogue::default(),
            automatic_tax_rates: HashMap::new(),
            objects: Objects::default(),
            failing_renewals: HashSet::new(),
            events: Vec::new(),
            pending: Vec::new(),
            recoveries: Recoveries::default(),
        }
    }
}

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl State {
    /// Unix seconds on the fake's clock.
    pub fn now(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        real.saturating_add(self.clock_offset)
    }

    fn next_u64(&mut self) -> u64 {
        // xorshift64*: ids need to be unique and look random, not be secret.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `prefix` + 24 random characters.
    pub fn id(&mut self, prefix: &str) -> String {
        let mut id = String::with_capacity(prefix.len() + 24);
        id.push_str(prefix);
        for _ in 0..4 {
            let mut bits = self.next_u64();
            for _ in 0..6 {
                id.push(ALPHABET[(bits % 62) as usize] as char);
                bits /= 62;
            }
        }
        id
    }
}
