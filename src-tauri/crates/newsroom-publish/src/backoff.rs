//! How long a failed attempt waits before the next: for the attempts of one publish and
//! for the outbox's retries alike.

use std::time::Duration;

/// Exponential backoff with jitter: attempt `n` (1-based) waits between half and all of
/// `base · 2^(n-1)`, capped at `max`. The jitter spreads retries of many clients.
pub fn backoff(n: u32, base: Duration, max: Duration) -> Duration {
    use rand::Rng;
    let exp = base.saturating_mul(1u32 << n.saturating_sub(1).min(20));
    let full = exp.min(max);
    let half = full / 2;
    let jitter = rand::rng().random_range(0..=half.as_millis().max(1) as u64);
    (half + Duration::from_millis(jitter)).min(max)
}
