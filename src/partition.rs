//! `--partition K/N`: one of N deterministic pieces of the selected catalogue, so N CI jobs
//! can share a run and `report --merge` can join their reports into one.
//!
//! The convention is cargo-nextest's: `count:K/N` (or just `K/N`) deals the selected ids,
//! sorted, round-robin: the i-th id (from 0) goes to piece `i % N + 1`, so pieces differ in
//! size by at most one; `hash:K/N` puts an id in piece `hash(id) % N + 1`, so a piece keeps its
//! ids when others are added or removed (its size varies more). K counts from 1. The split
//! depends on the ids only, never on the machine, the order of the files or the time, and
//! the N pieces of one selection are disjoint and together are the whole selection.

use std::fmt;
use std::str::FromStr;

/// How ids are dealt to pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Round-robin over the sorted ids.
    Count,
    /// By a stable hash of the id.
    Hash,
}

/// One piece of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// How ids are dealt.
    pub scheme: Scheme,
    /// This piece, from 1.
    pub index: u32,
    /// How many pieces.
    pub total: u32,
}

/// A `--partition` value that is not `[count:|hash:]K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid partition `{value}`: {why} (expected K/N, count:K/N or hash:K/N with 1 <= K <= N, as cargo-nextest)"
)]
pub struct PartitionError {
    /// What was given.
    pub value: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl FromStr for Partition {
    type Err = PartitionError;

    fn from_str(s: &str) -> Result<Partition, PartitionError> {
        let err = |why| PartitionError {
            value: s.to_string(),
            why,
        };
        let (scheme, rest) = match s.split_once(':') {
            Some(("count", rest)) => (Scheme::Count, rest),
            Some(("hash", rest)) => (Scheme::Hash, rest),
            Some(_) => return Err(err("the scheme is `count` or `hash`")),
            None => (Scheme::Count, s),
        };
        let (k, n) = rest.split_once('/').ok_or_else(|| err("no `/`"))?;
        let index: u32 = k.trim().parse().map_err(|_| err("K is not a number"))?;
        let total: u32 = n.trim().parse().map_err(|_| err("N is not a number"))?;
        if total == 0 {
            return Err(err("N is 0"));
        }
        if index == 0 || index > total {
            return Err(err("K is not between 1 and N"));
        }
        Ok(Partition {
            scheme,
            index,
            total,
        })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Count => "count",
            Scheme::Hash => "hash",
        };
        write!(f, "{scheme}:{}/{}", self.index, self.total)
    }
}

impl Partition {
    /// The ids of `ids` this piece keeps, as positions into `ids` (any order in, ascending
    /// positions out).
    pub fn keep<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let ids: Vec<&str> = ids.into_iter().collect();
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|a, b| ids[*a].cmp(ids[*b]));
        let mut kept: Vec<usize> = order
            .into_iter()
            .enumerate()
            .filter(|(rank, at)| {
                let slot = match self.scheme {
                    Scheme::Count => *rank as u64,
                    Scheme::Hash => fnv1a(ids[*at]),
                };
                slot % u64::from(self.total) == u64::from(self.index - 1)
            })
            .map(|(_, at)| at)
            .collect();
        kept.sort_unstable();
        kept
    }
}

/// FNV-1a, 64 bits: stable across platforms and releases (std's hashers are not).
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_nextest_writes_them() {
        let p: Partition = "2/3".parse().unwrap();
        assert_eq!(
            p,
            Partition {
                scheme: Scheme::Count,
                index: 2,
                total: 3
            }
        );
        assert_eq!(p.to_string(), "count:2/3");
        assert_eq!(
            "hash:1/1".parse::<Partition>().unwrap().scheme,
            Scheme::Hash
        );
        for bad in ["0/2", "3/2", "1/0", "1", "x/2", "1/y", "slice:1/2", ""] {
            let e = bad.parse::<Partition>().unwrap_err();
            assert!(e.to_string().contains(&format!("`{bad}`")), "{e}");
        }
    }

    #[test]
    fn pieces_are_disjoint_cover_the_selection_and_ignore_input_order() {
        let ids: Vec<String> = (0..23).map(|i| format!("op/group/case-{i:02}")).collect();
        for scheme in ["count", "hash"] {
            let n = 4;
            let mut seen = vec![0; ids.len()];
            let mut sizes = Vec::new();
            for k in 1..=n {
                let p: Partition = format!("{scheme}:{k}/{n}").parse().unwrap();
                let kept = p.keep(ids.iter().map(String::as_str));
                // The same ids, shuffled, give the same piece.
                let mut reversed: Vec<&str> = ids.iter().map(String::as_str).collect();
                reversed.reverse();
                let mut again: Vec<&str> = p
                    .keep(reversed.iter().copied())
                    .iter()
                    .map(|i| reversed[*i])
                    .collect();
                again.sort_unstable();
                let names: Vec<&str> = kept.iter().map(|i| ids[*i].as_str()).collect();
                assert_eq!(names, again, "{scheme}");
                for i in kept {
                    seen[i] += 1;
                }
                sizes.push(names.len());
            }
            assert!(seen.iter().all(|n| *n == 1), "{scheme}: {seen:?}");
            if scheme == "count" {
                assert_eq!(sizes, [6, 6, 6, 5]);
            }
        }
    }
}
