//! The language server's message loop fed arbitrary bytes: framing,
//! JSON-RPC, document sync with incremental edits, lints of the open
//! buffers, hover and code actions, shutdown and exit.
//!
//! An input starting with `{` is a list of message bodies separated by NUL
//! bytes, each framed with its right `Content-Length`, so mutations reach
//! the server's logic; any other input is fed as it is.
#![no_main]

use std::sync::Arc;

use costlint::source::fs::MemoryFs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let framed;
    let input = if data.first() == Some(&b'{') {
        let mut out = Vec::new();
        for body in data.split(|&b| b == 0) {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend_from_slice(body);
        }
        framed = out;
        &framed[..]
    } else {
        data
    };
    let _ = costlint::lsp::session(input, Arc::new(MemoryFs::new()));
});
