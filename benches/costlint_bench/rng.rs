//! A tiny deterministic generator (SplitMix64). Written out here rather
//! than taken from a crate so that a seed gives the same corpus on every
//! machine, toolchain and dependency version.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for item `index` of `stream`, so adding items
    /// at the end never changes the earlier ones: a smaller corpus is a
    /// prefix of a larger one with the same seed.
    pub fn fork(&self, stream: &str, index: u64) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in stream.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(self.0 ^ h ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Picks by weight: `(weight, item)`.
    pub fn weighted<'a, T>(&mut self, items: &'a [(usize, T)]) -> &'a T {
        let total: usize = items.iter().map(|(w, _)| w).sum();
        let mut x = self.below(total);
        for (w, item) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].1
    }

    /// Between `lo` and `hi` distinct items, in their original order.
    pub fn sample_between<'a, T>(&mut self, items: &'a [T], lo: usize, hi: usize) -> Vec<&'a T> {
        let k = self.range(lo, hi);
        self.sample(items, k)
    }

    /// `k` distinct items, in their original order.
    pub fn sample<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn streams_are_stable() {
        let mut a = Rng::new(7).fork("stack", 3);
        let mut b = Rng::new(7).fork("stack", 3);
        let mut c = Rng::new(7).fork("stack", 4);
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert!((0..1000).all(|_| a.below(10) < 10));
    }
}
