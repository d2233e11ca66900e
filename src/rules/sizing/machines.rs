//! The cap check CL101 and CL102 share, and the properties sizing
//! findings carry. Which machines a resource runs comes from the cost
//! model, so caps and estimates agree.

use crate::catalog::InstanceSpec;
use crate::check::format_usd;
use crate::finding::Diagnostic;
use crate::model::terraform::{Module, Resource};
use crate::rules::Cx;

use super::caps::{EnvState, MachineCap, MachineCaps, cents, describe_spec, monthly};

pub use crate::cost::machines::{
    AsgFleet, Catalog, Count, Known, Machine, absent_or, absent_or_false, asg_fleet, compute,
    databases, gce_on_demand, known, whole,
};

/// CL101 and CL102: every machine over the cap of its environment.
pub fn check_caps<'a>(
    module: &Module<'a>,
    options: &MachineCaps,
    cx: &mut Cx<'_>,
    extract: fn(&Resource<'a>) -> Vec<Machine<'a>>,
) {
    for r in module.resources() {
        let machines = extract(r);
        if machines.is_empty() {
            continue;
        }
        let env = EnvState::of_resource(r, cx.environments);
        let cap = options.cap_for(&env, cx.environments);
        for m in &machines {
            let Some(spec) = m.spec.as_deref() else {
                continue;
            };
            if cap.allows(spec) || cap.excess(spec).is_empty() {
                continue;
            }
            cx.report(over_cap(r, m, spec, &cap, &env));
        }
    }
}

fn over_cap(
    r: &Resource<'_>,
    m: &Machine<'_>,
    spec: &InstanceSpec,
    cap: &MachineCap,
    env: &EnvState,
) -> Diagnostic {
    let over = cap.excess(spec);
    let excess: Vec<String> = over
        .iter()
        .map(|e| match e.what {
            "GPU" => format!(
                "{} > {}",
                super::caps::plural(e.actual as u64, "GPU"),
                e.cap
            ),
            what => format!(
                "{} {what} > {}",
                crate::kubernetes::quantity::trim_number(e.actual),
                e.cap
            ),
        })
        .collect();
    let message = format!(
        "`{}` uses {} ({}{}), over the cap of {} {}",
        r.block_address,
        spec.name,
        describe_spec(spec),
        m.count_phrase()
            .map(|p| format!(", {p}"))
            .unwrap_or_default(),
        cap.describe_for(spec),
        env.scope()
    );
    // The largest size of the same family within the cap.
    let suggestion = m
        .catalog
        .family(spec)
        .into_iter()
        .filter(|s| s.name != spec.name && cap.fits(s))
        .max_by(|a, b| {
            let key = |s: &InstanceSpec| (s.vcpu.unwrap_or(0.0), s.memory_gib.unwrap_or(0.0));
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then_with(|| b.name.cmp(&a.name))
        });
    let suggested_hourly = suggestion.and_then(|s| s.hourly_usd).filter(|_| m.priced);
    let only_attached_gpus = m.attached_gpus > 0 && over.iter().all(|e| e.what == "GPU");
    let help = match suggestion {
        _ if only_attached_gpus => format!(
            "remove the attached GPUs (`guest_accelerator`), or {}",
            env.raise()
        ),
        Some(s) => {
            let price = suggested_hourly
                .map(|h| format!(", ~{}/month", format_usd(monthly(h, 1))))
                .unwrap_or_default();
            format!(
                "use {} ({}{price}), or {}",
                s.name,
                describe_spec(s),
                env.raise()
            )
        }
        None if cap.max_gpus == Some(0) && spec.gpus.is_some_and(|g| g > 0) => format!(
            "use {} without GPUs within the cap, or {}",
            m.catalog.a_noun(),
            env.raise()
        ),
        None => format!(
            "use a smaller {} within the cap, or {}",
            m.catalog.noun(),
            env.raise()
        ),
    };
    let mut d = Diagnostic::new("", m.at, message)
        .label(format!("over the cap: {}", excess.join(", ")))
        .help(help)
        .resource(r.address.clone())
        .attribute(m.attribute.clone())
        .property(size_key(m.catalog), spec.name.as_str());
    d = with_machine_cost(d, m);
    d = size_properties(d, spec);
    for (key, value) in [
        ("cap_vcpu", cap.max_vcpu),
        ("cap_memory_gib", cap.max_memory_gib),
        ("cap_gpus", cap.max_gpus),
    ] {
        if let Some(value) = value {
            d = d.property(key, value);
        }
    }
    d = price_properties(d, m);
    if let Some(s) = suggestion {
        d = d.property("suggested_type", s.name.as_str());
        if let Some(h) = suggested_hourly {
            // For as many machines as the cost, else for one.
            let machines = m.count.filter(|c| c.n > 0).map_or(1, |c| c.n);
            d = d.property("cap_monthly_usd", cents(monthly(h, machines)));
            if let (Some(hourly), Some(count)) = (m.hourly(), m.count.filter(|c| c.n > 0)) {
                d = d.property("monthly_saving_usd", cents(monthly(hourly - h, count.n)));
            }
        }
    }
    d = env.annotate(d);
    m.with_origin(d, r)
}

/// The property naming the size: `instance_type`, `instance_class`, ...
pub fn size_key(catalog: Catalog) -> &'static str {
    match catalog {
        Catalog::Ec2 | Catalog::GcpMachine => "instance_type",
        Catalog::Rds => "instance_class",
        Catalog::ElastiCache => "node_type",
        Catalog::GcpSqlTier => "tier",
        Catalog::AzureVm => "vm_size",
        Catalog::AzureDbSku => "sku",
    }
}

/// `vcpu`, `memory_gib`, `gpus`, where known.
pub fn size_properties(mut d: Diagnostic, spec: &InstanceSpec) -> Diagnostic {
    if let Some(v) = spec.vcpu {
        d = d.property("vcpu", v);
    }
    if let Some(m) = spec.memory_gib {
        d = d.property("memory_gib", m);
    }
    if let Some(g) = spec.gpus {
        d = d.property("gpus", g);
    }
    d
}

/// The monthly cost of a resource's machines and how it is made (the
/// cost model's figure for them).
pub fn with_machine_cost(d: Diagnostic, m: &Machine<'_>) -> Diagnostic {
    let d = d.monthly_cost(m.monthly_cost().map(cents));
    match m.basis() {
        Some(basis) => d.property("monthly_cost_basis", basis),
        None => d,
    }
}

/// `hourly_usd`, `instance_monthly_usd`, `price_data_date` and `machines`.
pub fn price_properties(mut d: Diagnostic, m: &Machine<'_>) -> Diagnostic {
    if let Some(hourly) = m.hourly() {
        d = d
            .property("hourly_usd", hourly)
            .property("instance_monthly_usd", cents(monthly(hourly, 1)));
        if let Some(date) = m.catalog.price_date() {
            d = d.property("price_data_date", date);
        }
    }
    if let Some(count) = m.count {
        d = d.property("machines", count.n);
    }
    d
}
