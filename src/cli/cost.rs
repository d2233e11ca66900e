//! `costlint cost`: prints what the root modules cost per month. The
//! estimate itself is [`crate::cost::report::CostReport`].

use std::io::{self, Write};

use super::{CliError, CostArgs, CostFormat, io_err};
use crate::config::Selection;
use crate::cost::report::CostReport;
use crate::source::fs::RealFs;

pub fn run(args: &CostArgs) -> Result<i32, CliError> {
    let (groups, pool) =
        super::check::prepare(&args.paths, &args.inputs, &Selection::default(), false)?;
    let mut report = CostReport::default();
    for group in groups {
        let part =
            pool.install(|| CostReport::new(&group.files, &group.settings, &RealFs, &group.opts));
        report.modules.extend(part.modules);
        report.manifests += part.manifests;
    }
    report.modules.sort_by(|a, b| a.path.cmp(&b.path));
    let text = match args.format {
        CostFormat::Table => report.text(),
        CostFormat::Json => serde_json::to_string_pretty(&report.json()).unwrap_or_default() + "\n",
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(io_err("stdout"))?;
    Ok(0)
}
