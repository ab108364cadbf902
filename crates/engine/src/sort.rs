//! Stable sorting through one copy of the standard library's sort.
//!
//! `slice::sort_by` is generic: each call site with its own element type or comparison gets its
//! own copy of the sort (a merge sort with a quicksort and sorting networks inside, 5–15 KB of
//! wasm each), and the app's wasm had 29 of them. The sorts here sort the positions of the
//! elements instead (one copy, which calls the comparison through a reference), then move the
//! elements into that order. The result is the same as `slice::sort_by`'s (stable: equal
//! elements keep their order); the comparison is an indirect call, so the hot sorts (the
//! GroupMember rows, the decisions, the maps built from the exports, the set-up screen's
//! candidates) keep the standard sort.
//!
//! Collecting a `BTreeMap` or a `BTreeSet` sorts too, with a copy of the sort of its own: a
//! small one is made empty and extended instead (an insert per entry, the last of equal keys
//! kept, as collecting keeps it).

use std::cmp::Ordering;

/// `v.sort_by(cmp)`, through the one shared sort.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        sort_positions(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        });
    }
    permute(v, &mut order);
}

/// `v.sort_by_key(key)`, through the one shared sort.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`, through the one shared sort.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The one copy of the standard sort: positions, by the elements they stand for.
#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Put `v` in `order` (`order[k]`: the position in `v` of the element that goes to `k`), one
/// cycle of the permutation after the other, by swaps; `order` is used up.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for i in 0..order.len() {
        let mut k = i;
        while let Some(&next) = order.get(k) {
            if next == i {
                break;
            }
            if next >= v.len() || k >= v.len() {
                return;
            }
            v.swap(k, next);
            if let Some(o) = order.get_mut(k) {
                *o = k;
            }
            k = next;
        }
        if let Some(o) = order.get_mut(k) {
            *o = k;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard stable sort, ties included.
        #[test]
        fn sorts_as_the_standard_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            prop_assert_eq!(&ours, &expected);
            let mut by_key = v.clone();
            sort_by_key(&mut by_key, |p| std::cmp::Reverse(p.1));
            let mut std_key = v.clone();
            std_key.sort_by_key(|p| std::cmp::Reverse(p.1));
            prop_assert_eq!(by_key, std_key);
            let mut whole = v.clone();
            sort(&mut whole);
            let mut std_whole = v;
            std_whole.sort();
            prop_assert_eq!(whole, std_whole);
        }
    }

    #[test]
    fn moves_elements_that_cannot_be_copied() {
        let mut v: Vec<String> = ["d", "a", "c", "b", "a"].map(String::from).to_vec();
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c", "d"]);
    }
}
