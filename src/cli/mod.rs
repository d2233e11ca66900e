//! Command-line interface: argument parsing and the commands. Everything
//! here is a thin layer over the library; `main` maps the result to an
//! exit code.

mod check;
mod cost;
mod rules;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::config::FailOn;
use crate::emit::Format;

#[derive(Debug, Parser)]
#[command(
    name = "costlint",
    version,
    about = "A fast cost-policy linter for Terraform and Kubernetes",
    long_about = None,
    propagate_version = true,
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Terraform and Kubernetes files for cost problems
    Check(CheckArgs),
    /// Write a baseline of today's findings, to report only new ones later
    Baseline(BaselineArgs),
    /// Estimate what each Terraform root module and resource costs per month, from list prices
    Cost(CostArgs),
    /// Show the documentation of one rule
    Rule {
        /// Rule code (CL501) or name (ebs-gp2-volume)
        rule: String,
    },
    /// List every rule
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run the language server over stdio (for editors)
    Lsp,
    /// Write a commented starter costlint.toml
    Init {
        /// Overwrite an existing costlint.toml
        #[arg(long)]
        force: bool,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Internal commands for debugging and benchmarks
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print the resolved Terraform model of a root module (or of a plan with --plan)
    Model {
        path: PathBuf,
        /// Read `path` as a plan in JSON
        #[arg(long)]
        plan: bool,
        #[arg(long = "var-file")]
        var_files: Vec<PathBuf>,
    },
    /// Parse files without modelling or checking them (for benchmarks)
    Parse {
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[arg(short = 'j', long)]
        threads: Option<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Files or directories to check (default: `.` unless --plan is given); `-` reads Kubernetes manifests from stdin
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to a file instead of stdout
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Also write the findings in another format to a file, from the same
    /// run (repeatable): `--also-write sarif=costlint.sarif`
    #[arg(long = "also-write", value_name = "FORMAT=FILE", value_parser = parse_also_write)]
    pub also_write: Vec<(Format, PathBuf)>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Ignore findings recorded in this baseline file
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Never colour the output (also: NO_COLOR)
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary line (text format)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_also_write(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, got `{s}`"))?;
    let format = <Format as clap::ValueEnum>::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}` (expected text, json, sarif, github or markdown)")
    })?;
    if file.is_empty() {
        return Err(format!("no file after `{s}`"));
    }
    Ok((format, PathBuf::from(file)))
}

/// Where the configuration and the Terraform inputs come from: shared by
/// `check`, `baseline` and `cost`.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Configuration file (default: the nearest costlint.toml upward)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Terraform variables file, applied after the automatic ones (repeatable)
    #[arg(long = "var-file")]
    pub var_files: Vec<PathBuf>,
    /// A Terraform plan in JSON (`terraform show -json plan.out > plan.json`)
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Value of `terraform.workspace` (unknown otherwise)
    #[arg(long)]
    pub workspace: Option<String>,
    /// Number of threads (default: all cores)
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
}

/// Options shared by `check` and `baseline`.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Rules to run, replacing the configuration's selection (codes, prefixes, names, categories, ALL)
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules to skip
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CostFormat {
    Table,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct CostArgs {
    /// Files or directories with Terraform root modules (default: `.` unless --plan is given)
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    #[command(flatten)]
    pub inputs: InputArgs,
}

#[derive(Debug, Args, Clone)]
pub struct BaselineArgs {
    /// Files or directories to check (default: `.` unless --plan is given)
    pub paths: Vec<PathBuf>,
    /// Where to write the baseline
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// An error the CLI reports on one line and exits 2 for.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("{0}")]
    Discover(#[from] crate::source::discover::DiscoverError),
    #[error("{0}")]
    Baseline(#[from] crate::suppress::baseline::BaselineError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Lsp(#[from] crate::lsp::LspError),
}

impl CliError {
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// The outcome: an exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Baseline(args) => check::baseline(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Rule { rule } => rules::show(&rule),
        Command::Rules { format } => rules::list(format),
        Command::Lsp => Ok(crate::lsp::run()?),
        Command::Init { force } => init(force),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "costlint", &mut out);
            Ok(0)
        }
        Command::Debug(cmd) => check::debug(cmd),
    }
}

fn init(force: bool) -> Result<i32, CliError> {
    let path = PathBuf::from(crate::config::CONFIG_NAMES[0]);
    if path.exists() && !force {
        return Err(CliError::Usage(format!(
            "{} already exists; use --force to overwrite it",
            path.display()
        )));
    }
    std::fs::write(&path, crate::config::STARTER)
        .map_err(io_err(&format!("cannot write {}", path.display())))?;
    let mut out = io::stdout().lock();
    writeln!(out, "Wrote {}", path.display()).map_err(io_err("stdout"))?;
    Ok(0)
}

pub(crate) fn io_err(context: &str) -> impl FnOnce(io::Error) -> CliError + '_ {
    move |source| CliError::Io {
        context: context.to_owned(),
        source,
    }
}
