use crate::declare_rule;
use crate::model::terraform::Module;
use crate::rules::{Cx, Rule, RuleMeta};

use super::caps::MachineCaps;
use super::machines;

declare_rule! {
    /// ## What it does
    /// Reports a managed database or cache node over the cap of its
    /// environment. It reads `aws_db_instance` and `aws_rds_cluster_instance`
    /// `instance_class`, `aws_elasticache_cluster` and
    /// `aws_elasticache_replication_group` `node_type`,
    /// `google_sql_database_instance` `settings.tier` (`db-custom-N-M`,
    /// `db-n1-standard-N`, `db-perf-optimized-N-N`, … sized from the machine
    /// they run on) and the `sku_name` of `azurerm_*_flexible_server`
    /// (`GP_Standard_D4s_v3`, sized from its VM size).
    ///
    /// The caps work like those of `instance-size-cap` and are configured
    /// separately: by default 32 vCPU / 256 GiB, and 8 vCPU / 32 GiB in
    /// non-production environments. Unknown classes and values not known
    /// before `terraform apply` are never reported.
    ///
    /// ## Why is this bad?
    /// A database is the one server nobody turns off at night. A
    /// db.r5.24xlarge costs about $8,760 a month (PostgreSQL, Single-AZ,
    /// us-east-1, 2022 list price), twelve times a db.r5.2xlarge, and
    /// Multi-AZ doubles it. Staging and preview databases copied from the
    /// production module keep the production class and bill it around the
    /// clock for a fraction of the load.
    ///
    /// Monthly costs are given for RDS instances of the open-source engines
    /// (the catalog's PostgreSQL price, the higher of the two) and
    /// ElastiCache clusters whose node count is fixed; Aurora, Cloud SQL and
    /// Azure prices are not in the catalog.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine         = "postgres"
    ///   instance_class = "db.r5.24xlarge"
    ///   tags = {
    ///     environment = "staging"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine         = "postgres"
    ///   instance_class = "db.r5.large"
    ///   tags = {
    ///     environment = "staging"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `max-vcpu` (default `32`), `max-memory-gib` (default `256`),
    ///   `max-gpus` (default: no limit): the cap wherever no entry of
    ///   `environments` sets a limit.
    /// - `allow` (default `[]`): classes (`db.x2iedn.*`) or families (`r6g`)
    ///   that are never reported.
    /// - `environments` (default: `non-production` = 8 vCPU / 32 GiB / 0
    ///   GPUs): caps per environment name (or `*` pattern) or class
    ///   (`production`, `non-production`, `ephemeral`), each with
    ///   `max-vcpu`, `max-memory-gib`, `max-gpus` and `allow`, layered as in
    ///   `instance-size-cap`.
    ///
    /// ```toml
    /// [rules.database-size-cap.environments.staging]
    /// max-vcpu = 16
    /// max-memory-gib = 128
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS DB instance classes](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html)
    /// - [Amazon ElastiCache supported node types](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html)
    /// - [Cloud SQL machine series](https://cloud.google.com/sql/docs/mysql/machine-series-overview)
    /// - [Azure Database for PostgreSQL flexible server compute](https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-compute)
    pub struct DatabaseSizeCap {
        code: "CL102",
        name: "database-size-cap",
        category: Sizing,
        severity: Warning,
    }
}

impl Rule for DatabaseSizeCap {
    type Options = MachineCaps;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &MachineCaps, cx: &mut Cx<'_>) {
        machines::check_caps(module, options, cx, machines::databases);
    }
}
