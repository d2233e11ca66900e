use crate::declare_rule;
use crate::model::terraform::Module;
use crate::rules::{Cx, Rule, RuleMeta};

use super::caps::MachineCaps;
use super::machines;

declare_rule! {
    /// ## What it does
    /// Reports a virtual machine size over the cap of its environment: more
    /// vCPUs, memory or GPUs than allowed. It reads the instance type of
    /// `aws_instance`, `aws_spot_instance_request`, `aws_launch_template`
    /// and `aws_launch_configuration`, each of `aws_eks_node_group.instance_types`
    /// and each `mixed_instances_policy` override of `aws_autoscaling_group`;
    /// the machine type of `google_compute_instance`,
    /// `google_compute_instance_template` and the `node_config` of
    /// `google_container_node_pool` and `google_container_cluster` (its
    /// default pool unless `remove_default_node_pool`, and its `node_pool`
    /// blocks); the size of `azurerm_linux_virtual_machine`,
    /// `azurerm_windows_virtual_machine`, `azurerm_virtual_machine`, their
    /// scale sets, the AKS `default_node_pool` and
    /// `azurerm_kubernetes_cluster_node_pool`.
    ///
    /// The environment is the resource's first `environment`, `env` or
    /// `stage` tag or label (after provider `default_tags` and
    /// `default_labels`). By default the cap is 32 vCPU / 256 GiB, and
    /// 8 vCPU / 32 GiB with no GPU in non-production environments. Sizes
    /// the catalog does not know, and values not known before `terraform
    /// apply`, are never reported; when only the environment is unknown,
    /// the loosest cap of all environments applies.
    ///
    /// ## Why is this bad?
    /// Compute is billed by size whether it is used or not. An m5.24xlarge
    /// costs about $3,364 a month on demand (us-east-1), twelve times an
    /// m5.2xlarge (~$280); one p3.2xlarge GPU instance left running in a
    /// development account costs ~$2,234 a month. Development and preview
    /// environments sized like production are among the largest line items
    /// of avoidable cloud spend, and nobody notices them until the invoice.
    ///
    /// The message gives the size, the cap and, where the catalog has a
    /// list price and the resource runs a fixed number of on-demand
    /// machines, the monthly cost; the help line names the largest size of
    /// the same family within the cap.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "build" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m5.24xlarge"
    ///   tags = {
    ///     environment = "dev"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "build" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m5.2xlarge"
    ///   tags = {
    ///     environment = "dev"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `max-vcpu` (default `32`), `max-memory-gib` (default `256`),
    ///   `max-gpus` (default: no limit): the cap wherever no entry of
    ///   `environments` sets a limit.
    /// - `allow` (default `[]`): instance types (`p4d.24xlarge`, with `*`
    ///   patterns: `Standard_NC*`) or families (`x2idn`, `n2`,
    ///   `standardNCADSA100v4Family`) that are never reported.
    /// - `environments` (default: `non-production` = 8 vCPU / 32 GiB / 0
    ///   GPUs): caps per environment name (or `*` pattern) or class
    ///   (`production`, `non-production`, `ephemeral`), each with
    ///   `max-vcpu`, `max-memory-gib`, `max-gpus` and its own `allow`. A
    ///   limit an entry leaves out comes from the environment's class, then
    ///   from the rule-wide limits; the built-in `non-production` entry stays
    ///   under whatever is configured.
    ///
    /// ```toml
    /// [rules.instance-size-cap]
    /// max-vcpu = 64
    /// allow = ["x2idn"]
    ///
    /// [rules.instance-size-cap.environments.non-production]
    /// max-vcpu = 16
    ///
    /// [rules.instance-size-cap.environments.ml-dev]
    /// max-gpus = 1
    /// ```
    ///
    /// ## References
    /// - [Amazon EC2 On-Demand pricing](https://aws.amazon.com/ec2/pricing/on-demand/)
    /// - [Compute Engine machine families](https://cloud.google.com/compute/docs/machine-resource)
    /// - [Azure virtual machine sizes](https://learn.microsoft.com/azure/virtual-machines/sizes/overview)
    /// - [FinOps Foundation: rightsizing](https://www.finops.org/wg/cloud-cost-optimization/)
    pub struct InstanceSizeCap {
        code: "CL101",
        name: "instance-size-cap",
        category: Sizing,
        severity: Warning,
    }
}

impl Rule for InstanceSizeCap {
    type Options = MachineCaps;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &MachineCaps, cx: &mut Cx<'_>) {
        machines::check_caps(module, options, cx, machines::compute);
    }
}
