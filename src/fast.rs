//! Hash maps for the hot paths. Their keys are paths, names and addresses
//! from the files being checked; foldhash (randomly seeded per process, as
//! SipHash is) hashes them several times faster than the standard SipHash.
//! Nothing may depend on their iteration order, as with the standard ones.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
