//! `costlint-bench`: the benchmark corpus generator and the language-server
//! latency driver. Built only with `--features bench`; `benches/run.sh`
//! drives it.

mod corpus;
mod lsp;
mod rng;
mod run;
mod templates;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "costlint-bench",
    about = "Benchmark corpus generator and LSP latency driver"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the benchmark corpus: sized trees, scaling fixtures and the long file
    Generate {
        /// Directory to write into (emptied first)
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Sized trees to write
        #[arg(long, value_delimiter = ',', default_value = "1mb,10mb,100mb")]
        sizes: Vec<String>,
    },
    /// Print a hash of every file's path and bytes under a directory
    Hash { dir: PathBuf },
    /// Run every benchmark and judge the targets (what `benches/run.sh` calls)
    Run {
        /// The costlint binary to measure
        #[arg(long, default_value = "target/release/costlint")]
        costlint: PathBuf,
        /// Where the corpus and results go
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, value_delimiter = ',', default_value = "1mb,10mb,100mb")]
        sizes: Vec<String>,
        /// Multiply the number of timed runs (0.2 for a quick look)
        #[arg(long, default_value_t = 1.0)]
        runs: f64,
        #[arg(long)]
        skip_lsp: bool,
    },
    /// Time diagnostics after `didChange` in `costlint lsp`
    Lsp {
        /// The costlint binary
        #[arg(long)]
        server: PathBuf,
        /// The file to open and edit
        #[arg(long)]
        file: PathBuf,
        #[arg(long, default_value_t = 30)]
        iterations: usize,
        /// Pause between edits, so a debouncing server sees each one alone
        #[arg(long, default_value_t = 300)]
        pause_ms: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { out, seed, sizes } => generate(&out, seed, &sizes),
        Command::Hash { dir } => corpus::hash_dir(&dir).map(|h| println!("{h:016x}")),
        Command::Lsp {
            server,
            file,
            iterations,
            pause_ms,
        } => lsp::run(&server, &file, iterations, pause_ms),
        Command::Run {
            costlint,
            work,
            seed,
            sizes,
            runs,
            skip_lsp,
        } => run::run(&run::Options {
            costlint,
            bench_bin: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("costlint-bench")),
            work,
            seed,
            sizes,
            runs_scale: runs,
            skip_lsp,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("costlint-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(out: &std::path::Path, seed: u64, sizes: &[String]) -> Result<(), String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let sizes: Vec<&str> = sizes.iter().map(String::as_str).collect();
    let all = corpus::generate(out, seed, &sizes).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut summary = format!(
        "costlint-bench corpus version {} seed {seed}\n{:<24} {:>7} {:>11} {:>7} {:>7} {:>10} {:>9}\n",
        corpus::VERSION,
        "part",
        "files",
        "bytes",
        "tf",
        "yaml",
        "resources",
        "yaml docs"
    );
    for (name, s) in &all {
        summary.push_str(&format!(
            "{name:<24} {:>7} {:>11} {:>7} {:>7} {:>10} {:>9}\n",
            s.files, s.bytes, s.tf_files, s.yaml_files, s.resource_blocks, s.documents
        ));
    }
    print!("{summary}");
    std::fs::write(out.join("corpus.txt"), summary).map_err(|e| e.to_string())
}
