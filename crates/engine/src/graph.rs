//! Cycles in a directed graph: the one cycle finder, used for the role hierarchy and for group
//! nesting, when the exports are checked (`ingest::refs`) and when memberships are resolved.

use std::collections::{BTreeMap, BTreeSet};

/// Every elementary cycle found by a depth-first walk (back edges), each starting from its
/// smallest node, without repeats.
pub fn find_cycles<K: Ord + Clone>(edges: &BTreeMap<K, Vec<K>>) -> Vec<Vec<K>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        Grey,
        Black,
    }
    let mut color: BTreeMap<K, Color> = BTreeMap::new();
    let mut found: BTreeSet<Vec<K>> = BTreeSet::new();
    let empty: Vec<K> = Vec::new();
    for start in edges.keys() {
        if color.contains_key(start) {
            continue;
        }
        // Stack of (node, index of next successor to visit).
        let mut stack: Vec<(K, usize)> = vec![(start.clone(), 0)];
        color.insert(start.clone(), Color::Grey);
        while let Some((node, next)) = stack.last().cloned() {
            let succ = edges.get(&node).unwrap_or(&empty);
            if let Some(s) = succ.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match color.get(s) {
                    None => {
                        color.insert(s.clone(), Color::Grey);
                        stack.push((s.clone(), 0));
                    }
                    Some(Color::Grey) => {
                        // A back edge: the stack from `s` to `node` is a cycle.
                        if let Some(pos) = stack.iter().position(|(n, _)| n == s) {
                            let mut cycle: Vec<K> =
                                stack.iter().skip(pos).map(|(n, _)| n.clone()).collect();
                            if let Some(min_pos) = cycle
                                .iter()
                                .enumerate()
                                .min_by(|a, b| a.1.cmp(b.1))
                                .map(|(i, _)| i)
                            {
                                cycle.rotate_left(min_pos);
                            }
                            found.insert(cycle);
                        }
                    }
                    Some(Color::Black) => {}
                }
            } else {
                color.insert(node, Color::Black);
                stack.pop();
            }
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles() {
        let mut e: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        e.insert(3, vec![1]);
        e.insert(1, vec![2]);
        e.insert(2, vec![3]);
        e.insert(4, vec![4]);
        e.insert(5, vec![1]);
        assert_eq!(find_cycles(&e), vec![vec![1, 2, 3], vec![4]]);
    }
}
