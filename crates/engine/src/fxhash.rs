//! A small, fixed (unseeded) hasher for the engine's hash lookups on ids: the FxHash of rustc,
//! several times faster than the standard SipHash on short keys, and deterministic. Only for
//! lookups: no output ever depends on a hash map's iteration order.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// rustc's FxHasher: a multiply-rotate hash, a word at a time.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the ones a hash table's bucket index uses) depending
        // only on the low bits of the last words, and Salesforce ids differ in their middle
        // bytes: without this finaliser (murmur3's fmix64) 100k user ids fell into a few
        // thousand buckets and lookups became long probes of 18-byte compares.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// The hasher of [`FxHashMap`] and [`FxHashSet`], to hash a value on its own too.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
/// A `HashSet` with [`FxHasher`].
pub type FxHashSet<K> = HashSet<K, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_hash_and_maps_work() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let b = BuildHasherDefault::<FxHasher>::default();
        assert_eq!(
            b.hash_one("0055g00000AbCdEAAV"),
            b.hash_one("0055g00000AbCdEAAV")
        );
        assert_ne!(
            b.hash_one("0055g00000AbCdEAAV"),
            b.hash_one("0055g00000AbCdFAAV")
        );
        let mut m: FxHashMap<String, usize> = FxHashMap::default();
        m.insert("a".into(), 1);
        m.insert("abcdefghijk".into(), 2);
        assert_eq!(m.get("a"), Some(&1));
        assert_eq!(m.get("abcdefghijk"), Some(&2));
        assert_eq!(m.get("b"), None);
    }
}
