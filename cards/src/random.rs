//! Unbiased shuffling with an rng the caller passes in, so the core never reaches for global
//! randomness and tests can replay a game from a seed.

use rand_core::RngCore;

/// A uniform number in `0..n` (rejection sampling, no modulo bias). `n` must be positive.
pub fn below(rng: &mut dyn RngCore, n: u32) -> u32 {
    assert!(n > 0, "below(0) has no answer");
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let value = rng.next_u32();
        if value < zone {
            return value % n;
        }
    }
}

/// Fisher–Yates.
pub fn shuffle<T>(items: &mut [T], rng: &mut dyn RngCore) {
    for i in (1..items.len()).rev() {
        let bound = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let j = below(rng, bound) as usize;
        items.swap(i, j);
    }
}
