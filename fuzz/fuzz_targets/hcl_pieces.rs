//! Parsing a Terraform file in pieces against parsing it whole: two
//! texts separated by a NUL byte, parsed one after the other with one
//! block cache (as an editor's edit), must each give exactly what the
//! whole-file parser gives, errors included.
#![no_main]

use costlint::terraform::hcl;
use costlint::terraform::segments::BlockCache;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cache = BlockCache::new(1 << 20);
    for part in data.splitn(2, |&b| b == 0) {
        let text = String::from_utf8_lossy(part);
        assert_eq!(cache.parse(&text), hcl::parse(&text));
        cache.end_round();
    }
});
