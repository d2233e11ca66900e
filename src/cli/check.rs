use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{CheckArgs, CliError, CommonArgs, DebugCommand, InputArgs, io_err};
use crate::check::{CheckOptions, Report, check};
use crate::config::{FailOn, Selection, Settings, find_config};
use crate::emit::{EmitContext, Format, emitter};
use crate::source::discover::{DiscoverOptions, discover};
use crate::source::fs::RealFs;
use crate::suppress::baseline::Baseline;

fn cli_selection(common: &CommonArgs) -> Result<Selection, CliError> {
    Selection::from_config(
        common.select.as_deref(),
        &common.extend_select,
        &common.ignore,
    )
    .map_err(|e| CliError::Usage(e.to_string()))
}

/// The directory of the git repository containing `dir`, if any: local
/// module sources are not followed out of it.
fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// One configuration's share of a run.
pub(super) struct Group {
    pub settings: Settings,
    pub files: Vec<PathBuf>,
    pub opts: CheckOptions,
}

/// Groups paths by the configuration that governs them and discovers each
/// group's files; returns the groups (in order) and the thread pool to run
/// them on.
pub(super) fn prepare(
    paths: &[PathBuf],
    inputs: &InputArgs,
    selection: &Selection,
    keep_sources: bool,
) -> Result<(Vec<Group>, rayon::ThreadPool), CliError> {
    let cwd = std::env::current_dir().map_err(io_err("cannot read the working directory"))?;
    let default_paths = [PathBuf::from(".")];
    let paths = if paths.is_empty() && inputs.plan.is_none() {
        &default_paths[..]
    } else {
        paths
    };
    let plan = match &inputs.plan {
        Some(p) => {
            let abs = crate::terraform::module::normalize(&cwd.join(p));
            if !abs.is_file() {
                return Err(CliError::Discover(
                    crate::source::discover::DiscoverError::Missing(p.display().to_string()),
                ));
            }
            Some(abs)
        }
        None => None,
    };
    let mut stdin = None;
    let mut plan = plan;
    let mut groups: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            io::Read::read_to_string(&mut io::stdin(), &mut text)
                .map_err(io_err("cannot read stdin"))?;
            stdin = Some(text);
            continue;
        }
        let abs = cwd.join(path);
        if !abs.exists() {
            return Err(CliError::Discover(
                crate::source::discover::DiscoverError::Missing(path.display().to_string()),
            ));
        }
        let config = match &inputs.config {
            Some(c) => Some(c.clone()),
            None => find_config(&abs),
        };
        match groups.iter_mut().find(|(c, _)| *c == config) {
            Some((_, list)) => list.push(path.clone()),
            None => groups.push((config, vec![path.clone()])),
        }
    }
    if groups.is_empty() {
        let start = plan.clone().unwrap_or_else(|| cwd.clone());
        let config = inputs.config.clone().or_else(|| find_config(&start));
        groups.push((config, Vec::new()));
    }
    let threads = inputs.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // Deep but bounded recursion in parsers and evaluation.
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {threads} threads: {e}")))?;
    let mut out = Vec::new();
    for (i, (config, group_paths)) in groups.into_iter().enumerate() {
        let settings = match &config {
            Some(path) => Settings::load(path, selection)?,
            None => {
                let mut s = Settings::new(&cwd);
                s.apply_selection(&{
                    let mut base = Selection::default();
                    base.merge(selection);
                    base
                });
                s
            }
        };
        let mut settings = settings;
        if let Some(w) = &inputs.workspace {
            settings.workspace = Some(w.clone());
        }
        let discovered = discover(
            &group_paths,
            &DiscoverOptions {
                cwd: &cwd,
                base_dir: &settings.base_dir,
                include: settings.include.as_ref(),
                exclude: settings.exclude.as_ref(),
                threads: pool.current_num_threads(),
            },
        )?;
        for w in &discovered.warnings {
            eprintln!("costlint: warning: {w}");
        }
        let opts = CheckOptions {
            cwd: cwd.clone(),
            boundary: repository_root(&cwd),
            stdin: if i == 0 { stdin.take() } else { None },
            keep_sources,
            keep_files: false,
            var_files: inputs.var_files.iter().map(|p| cwd.join(p)).collect(),
            plan: if i == 0 { plan.take() } else { None },
            blocks: None,
            manifest_context: discovered.context,
        };
        out.push(Group {
            settings,
            files: discovered.files,
            opts,
        });
    }
    Ok((out, pool))
}

/// Checks every group; returns the merged report and the settings of the
/// first group.
fn run_check(
    paths: &[PathBuf],
    common: &CommonArgs,
    keep_sources: bool,
) -> Result<(Report, Settings), CliError> {
    let (groups, pool) = prepare(paths, &common.inputs, &cli_selection(common)?, keep_sources)?;
    let mut merged = Report::default();
    let mut first_settings = None;
    for group in groups {
        let report = pool.install(|| check(&group.files, &group.settings, &RealFs, &group.opts));
        merged.files_checked += report.files_checked;
        merged.findings.extend(report.findings);
        for e in report.excerpts.into_values() {
            merged.add_excerpt(e);
        }
        first_settings.get_or_insert(group.settings);
    }
    merged.findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.resource.cmp(&b.resource))
    });
    let cwd = std::env::current_dir().map_err(io_err("cannot read the working directory"))?;
    let settings = first_settings.unwrap_or_else(|| Settings::new(&cwd));
    Ok((merged, settings))
}

pub fn run(args: &CheckArgs) -> Result<i32, CliError> {
    let keep_sources =
        args.format == Format::Text || args.also_write.iter().any(|(f, _)| *f == Format::Text);
    let (mut report, settings) = run_check(&args.paths, &args.common, keep_sources)?;
    if let Some(path) = &args.baseline {
        let baseline = Baseline::load(path)?;
        report.findings = baseline.filter(std::mem::take(&mut report.findings));
    }
    let cwd = std::env::current_dir().map_err(io_err("cannot read the working directory"))?;
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color =
        to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let cx = EmitContext {
        report: &report,
        color,
        cwd: &cwd,
        quiet: args.quiet,
    };
    // Streamed: the report of a large tree need not fit in memory twice.
    match &args.output {
        Some(path) => {
            let context = format!("cannot write {}", path.display());
            let file = std::fs::File::create(path).map_err(io_err(&context))?;
            let mut out = io::BufWriter::new(file);
            emitter(args.format)
                .emit(&cx, &mut out)
                .and_then(|()| out.flush())
                .map_err(io_err(&context))?;
        }
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            emitter(args.format)
                .emit(&cx, &mut out)
                .and_then(|()| out.flush())
                .map_err(io_err("stdout"))?;
        }
    }
    for (format, path) in &args.also_write {
        let mut buf: Vec<u8> = Vec::new();
        emitter(*format)
            .emit(
                &EmitContext {
                    color: false,
                    quiet: false,
                    ..cx
                },
                &mut buf,
            )
            .map_err(io_err("cannot render the output"))?;
        std::fs::write(path, &buf).map_err(io_err(&format!("cannot write {}", path.display())))?;
    }
    let fail_on = args.fail_on.or(settings.fail_on).unwrap_or(FailOn::Warning);
    let failed = fail_on
        .threshold()
        .is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    // The process ends next: freeing every finding and excerpt one by one
    // would only delay the exit code.
    std::mem::forget(report);
    Ok(i32::from(failed))
}

pub fn baseline(args: &super::BaselineArgs) -> Result<i32, CliError> {
    let (report, _) = run_check(&args.paths, &args.common, false)?;
    let baseline = Baseline::from_findings(&report.findings);
    std::fs::write(&args.output, baseline.to_json())
        .map_err(io_err(&format!("cannot write {}", args.output.display())))?;
    eprintln!(
        "costlint: wrote {} findings to {}",
        report.findings.len(),
        args.output.display()
    );
    Ok(0)
}

pub fn debug(cmd: DebugCommand) -> Result<i32, CliError> {
    let cwd = std::env::current_dir().map_err(io_err("cannot read the working directory"))?;
    let mut out = io::stdout().lock();
    match cmd {
        DebugCommand::Model {
            path,
            plan,
            var_files,
        } => {
            let var_files: Vec<PathBuf> = var_files.iter().map(|p| cwd.join(p)).collect();
            let text = if plan {
                crate::model::dump::dump_plan(&cwd.join(&path), &cwd, &RealFs)
            } else {
                crate::model::dump::dump_dir(&cwd.join(&path), &cwd, &var_files, &RealFs)
            };
            out.write_all(text.as_bytes()).map_err(io_err("stdout"))?;
        }
        DebugCommand::Parse { paths, threads } => {
            let settings = Settings::new(&cwd);
            let discovered = discover(
                &paths,
                &DiscoverOptions {
                    cwd: &cwd,
                    base_dir: &cwd,
                    include: None,
                    exclude: None,
                    threads: threads.unwrap_or(0),
                },
            )?;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .stack_size(16 * 1024 * 1024)
                .build()
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let (files, bytes, errors) =
                pool.install(|| crate::check::parse_only(&discovered.files, &settings, &RealFs));
            writeln!(
                out,
                "parsed {files} files, {bytes} bytes, {errors} with errors"
            )
            .map_err(io_err("stdout"))?;
        }
    }
    Ok(0)
}
