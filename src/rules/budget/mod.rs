//! CL9xx: budgets over a whole module.

pub mod budget_exceeded;
