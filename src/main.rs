use std::process::ExitCode;

use clap::Parser;
use costlint::cli::{Cli, run};

// Parsing and modelling allocate many small nodes; mimalloc measured
// faster than the system allocator on them (docs/benchmarks.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            // Help and version go to stdout; a closed pipe is not an error.
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("costlint: error: {err}");
            ExitCode::from(2)
        }
    }
}
