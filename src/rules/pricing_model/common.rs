//! What the non-production pricing rules share: which resources and
//! objects are known to be outside production, and how that is said.

use crate::finding::Diagnostic;
use crate::kubernetes::object::Object;
use crate::model::Environments;
use crate::model::kubernetes::Manifests;
use crate::model::terraform::Resource;
use crate::rules::sizing::caps::{EnvState, cents};
use crate::rules::sizing::machines::{Machine, price_properties};

/// The environment of a resource when it is known to be non-production
/// (ephemeral environments included). Unknown and missing environments
/// are never assumed to be.
pub fn non_production(r: &Resource<'_>, environments: &Environments) -> Option<EnvState> {
    known_non_production(EnvState::of_resource(r, environments))
}

/// The environment of a Kubernetes object when it is known to be
/// non-production.
pub fn non_production_object(manifests: &Manifests<'_>, object: &Object<'_>) -> Option<EnvState> {
    known_non_production(EnvState::of_object(manifests, object))
}

fn known_non_production(env: EnvState) -> Option<EnvState> {
    match &env {
        EnvState::Known { class, .. } if class.is_non_production() => Some(env),
        _ => None,
    }
}

/// "non-production environment `dev`", "non-production namespace `shop-dev`".
pub fn described(env: &EnvState) -> String {
    match env {
        EnvState::Known { described, .. } => format!("non-production {described}"),
        _ => "a non-production environment".to_owned(),
    }
}

/// The machine's monthly cost as the finding's cost, its price in the
/// properties, and what the change would save at `saving_share` of it.
pub fn with_cost(
    d: Diagnostic,
    machine: Option<&Machine<'_>>,
    saving_share: f64,
    saving_note: &str,
) -> Diagnostic {
    let Some(m) = machine else { return d };
    let mut d = price_properties(d, m).property(
        crate::rules::sizing::machines::size_key(m.catalog),
        m.name.as_str(),
    );
    if let Some(monthly) = m.monthly_cost() {
        d = d
            .monthly_cost(Some(cents(monthly)))
            .property("monthly_saving_usd", cents(monthly * saving_share))
            .property("saving_assumption", saving_note);
    }
    d
}
