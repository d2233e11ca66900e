//! The deterministic corpus: realistic Terraform and Kubernetes trees of a
//! requested size, and the fixtures of the scaling checks. Only the
//! standard library, so one seed gives the same bytes everywhere.
//!
//! A tree is a set of organisations, each with shared local modules
//! (`terraform/org-NN/modules/`) and root modules calling them
//! (`terraform/org-NN/live/<provider>/<app>-<env>/`: providers with
//! `default_tags`/`default_labels`, variables, locals, `for_each`, tfvars,
//! sometimes a replica-region provider, a `.tf.json` file or a second
//! cloud), plus Kubernetes manifests (`kubernetes/cluster-NN/<app>-<env>/`:
//! a Namespace and multi-document files with every workload kind). Most
//! resources are fine; a few per stack carry the mistakes the rules look
//! for, at the rates below, so a run reports something, not everything.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::rng::Rng;
use crate::templates as t;

/// Bumped whenever the output for a given seed changes.
pub const VERSION: u32 = 2;

/// Share of the corpus, in bytes, that is Kubernetes YAML.
const YAML_SHARE_PERCENT: u64 = 35;
const STACKS_PER_ORG: u64 = 24;
const NAMESPACES_PER_CLUSTER: u64 = 30;

// Rates of the mistakes, in percent.
const PREVIOUS_GENERATION: usize = 4;
const OVERSIZED_OUTSIDE_PROD: usize = 4;
const GP2_ROOT_VOLUME: usize = 4;
const GP2_DATA_VOLUME: usize = 6;
const CROSS_REGION_READ: usize = 40;
const CONTAINER_WITHOUT_RESOURCES: usize = 4;
const CONTAINER_WITHOUT_MEMORY_LIMIT: usize = 4;
const CONTAINER_OVER_CAP: usize = 3;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub tf_files: u64,
    pub yaml_files: u64,
    /// `resource` blocks (not instances).
    pub resource_blocks: u64,
    /// Kubernetes documents.
    pub documents: u64,
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.tf_files += other.tf_files;
        self.yaml_files += other.yaml_files;
        self.resource_blocks += other.resource_blocks;
        self.documents += other.documents;
    }
}

/// Writes files under a root and counts them.
pub struct Out {
    root: PathBuf,
    pub stats: Stats,
}

impl Out {
    pub fn new(root: &Path) -> Out {
        Out {
            root: root.to_path_buf(),
            stats: Stats::default(),
        }
    }

    pub fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Never overwrite: every file counted is a file on disk.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        io::Write::write_all(&mut file, text.as_bytes())?;
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        if rel.ends_with(".yaml") || rel.ends_with(".yml") {
            self.stats.yaml_files += 1;
            self.stats.documents += 1 + text.matches("\n---\n").count() as u64;
        } else {
            self.stats.tf_files += 1;
            self.stats.resource_blocks += count_resources(text);
        }
        Ok(())
    }
}

fn count_resources(text: &str) -> u64 {
    let blocks =
        text.matches("\nresource \"").count() + usize::from(text.starts_with("resource \""));
    // `.tf.json`: one resource per name under a type.
    let json = if text.starts_with('{') {
        text.matches("\n      \"").count()
    } else {
        0
    };
    (blocks + json) as u64
}

/// Replaces every `@name@` by its value.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find('@') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('@') {
            Some(end) if vars.iter().any(|(k, _)| *k == &after[..end]) => {
                let key = &after[..end];
                if let Some((_, v)) = vars.iter().find(|(k, _)| *k == key) {
                    out.push_str(v);
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const APPS: &[&str] = &[
    "checkout",
    "payments",
    "search",
    "catalog",
    "inventory",
    "billing",
    "ledger",
    "orders",
    "reviews",
    "shipping",
    "notify",
    "auth",
    "profile",
    "reports",
    "media",
    "pricing",
    "fraud",
    "ingest",
    "gateway",
    "recommend",
    "loyalty",
    "support",
    "warehouse",
    "returns",
];
const COMPONENTS: &[&str] = &[
    "api",
    "web",
    "worker",
    "scheduler",
    "indexer",
    "consumer",
    "exporter",
    "admin",
    "grpc",
    "events",
];
const TEAMS: &[&str] = &[
    "platform", "data", "shop", "growth", "core", "risk", "mobile", "ml", "finance", "identity",
];
const ENVS: &[(usize, &str)] = &[
    (30, "dev"),
    (22, "staging"),
    (30, "prod"),
    (6, "qa"),
    (6, "preview"),
    (6, "sandbox"),
];
const AWS_REGIONS: &[&str] = &["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"];
const GCP_REGIONS: &[&str] = &["europe-west1", "europe-west4", "us-central1", "us-east1"];
const AZURE_LOCATIONS: &[&str] = &["westeurope", "northeurope", "eastus2"];

const EC2_CURRENT: &[&str] = &[
    "t3.medium",
    "t3.large",
    "t2.medium",
    "m5.large",
    "m6i.large",
    "m6i.xlarge",
    "c6i.large",
    "r6i.large",
    "m7g.large",
    "c7g.xlarge",
];
const EC2_PREVIOUS: &[&str] = &["m3.large", "c3.large", "r3.large", "m1.large"];
const EC2_LARGE: &[&str] = &["m5.4xlarge", "r5.4xlarge", "c5.9xlarge"];
const RDS_CURRENT: &[&str] = &["db.t4g.medium", "db.m6g.large", "db.r6g.large"];
const RDS_PREVIOUS: &[&str] = &["db.m4.large", "db.t2.medium"];
const RDS_LARGE: &[&str] = &["db.r5.4xlarge"];
const CACHE_CURRENT: &[&str] = &["cache.t4g.small", "cache.m6g.large"];
const CACHE_PREVIOUS: &[&str] = &["cache.m3.medium"];
const GCE_CURRENT: &[&str] = &[
    "e2-standard-2",
    "e2-standard-4",
    "n2-standard-4",
    "c3-standard-4",
];
const GCE_PREVIOUS: &[&str] = &["n1-standard-4"];
const GCE_LARGE: &[&str] = &["n2-standard-32"];
const AZURE_CURRENT: &[&str] = &[
    "Standard_D2s_v5",
    "Standard_D4s_v5",
    "Standard_E4s_v5",
    "Standard_B2ms",
];
const AZURE_LARGE: &[&str] = &["Standard_D16s_v5"];

fn is_prod(env: &str) -> bool {
    env == "prod"
}

/// A machine type: mostly current, sometimes a previous generation, and
/// outside production sometimes one copied from production's size.
fn machine<'a>(
    rng: &mut Rng,
    env: &str,
    current: &'a [&'a str],
    previous: &'a [&'a str],
    large: &'a [&'a str],
) -> &'a str {
    if !previous.is_empty() && rng.percent(PREVIOUS_GENERATION) {
        return rng.pick(previous);
    }
    if !is_prod(env) && !large.is_empty() && rng.percent(OVERSIZED_OUTSIDE_PROD) {
        return rng.pick(large);
    }
    rng.pick(current)
}

struct StackNames {
    app: String,
    app_id: String,
    team: &'static str,
    env: String,
    cc: String,
    suffix: String,
}

impl StackNames {
    fn new(rng: &mut Rng, index: u64) -> StackNames {
        // Unique in the whole corpus: a name, then a round number.
        let base = APPS[(index % APPS.len() as u64) as usize];
        let round = index / APPS.len() as u64;
        let app = if round == 0 {
            base.to_owned()
        } else {
            format!("{base}-{round}")
        };
        let mut env = rng.weighted(ENVS).to_string();
        if env == "preview" {
            env = format!("pr-{}", rng.range(100, 9999));
        }
        StackNames {
            app_id: app.replace('-', ""),
            app,
            team: rng.pick(TEAMS),
            env,
            cc: format!("{}", rng.range(1000, 1999)),
            suffix: format!("{:06x}", rng.next_u64() & 0xff_ffff),
        }
    }

    fn vars<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut v = vec![
            ("app", self.app.as_str()),
            ("app_id", self.app_id.as_str()),
            ("team", self.team),
            ("env", self.env.as_str()),
            ("cc", self.cc.as_str()),
            ("suffix", self.suffix.as_str()),
        ];
        v.extend_from_slice(extra);
        v
    }
}

/// A corpus of about `target` bytes.
pub fn corpus(root: &Path, target: u64, seed: u64) -> io::Result<Stats> {
    let mut out = Out::new(root);
    let base = Rng::new(seed);
    let (mut stacks, mut namespaces, mut yaml_bytes) = (0u64, 0u64, 0u64);
    while out.stats.bytes < target {
        if yaml_bytes * 100 < out.stats.bytes * YAML_SHARE_PERCENT {
            let before = out.stats.bytes;
            namespace_set(
                &mut out,
                &mut base.fork("namespace", namespaces),
                namespaces,
            )?;
            yaml_bytes += out.stats.bytes - before;
            namespaces += 1;
        } else {
            let org = stacks / STACKS_PER_ORG;
            if stacks % STACKS_PER_ORG == 0 {
                shared_modules(&mut out, org)?;
            }
            stack(&mut out, &mut base.fork("stack", stacks), org, stacks)?;
            stacks += 1;
        }
    }
    Ok(out.stats)
}

fn shared_modules(out: &mut Out, org: u64) -> io::Result<()> {
    let m = format!("terraform/org-{org:02}/modules");
    let files: [(&str, &str, &str); 5] = [
        ("aws-network", t::AWS_NETWORK_VARIABLES, t::AWS_NETWORK_MAIN),
        ("aws-service", t::AWS_SERVICE_VARIABLES, t::AWS_SERVICE_MAIN),
        ("aws-bucket", t::AWS_BUCKET_VARIABLES, t::AWS_BUCKET_MAIN),
        (
            "gcp-instance-group",
            t::GCP_GROUP_VARIABLES,
            t::GCP_GROUP_MAIN,
        ),
        ("azure-vm", t::AZURE_VM_VARIABLES, t::AZURE_VM_MAIN),
    ];
    let outputs = [
        t::AWS_NETWORK_OUTPUTS,
        t::AWS_SERVICE_OUTPUTS,
        t::AWS_BUCKET_OUTPUTS,
        t::GCP_GROUP_OUTPUTS,
        t::AZURE_VM_OUTPUTS,
    ];
    for ((name, variables, main), outputs) in files.iter().zip(outputs) {
        out.write(&format!("{m}/{name}/variables.tf"), variables)?;
        out.write(&format!("{m}/{name}/main.tf"), main)?;
        out.write(&format!("{m}/{name}/outputs.tf"), outputs)?;
    }
    Ok(())
}

fn stack(out: &mut Out, rng: &mut Rng, org: u64, index: u64) -> io::Result<()> {
    let names = StackNames::new(rng, index);
    // The first stacks of an organisation cover every cloud.
    let cloud = match index % STACKS_PER_ORG {
        0 => "aws",
        1 => "gcp",
        2 => "azure",
        _ => *rng.weighted(&[(60, "aws"), (25, "gcp"), (15, "azure")]),
    };
    let dir = format!(
        "terraform/org-{org:02}/live/{cloud}/{}-{}",
        names.app, names.env
    );
    match cloud {
        "aws" => aws_stack(out, rng, &dir, &names, index),
        "gcp" => gcp_stack(out, rng, &dir, &names, index),
        _ => azure_stack(out, rng, &dir, &names, index),
    }
}

fn aws_stack(
    out: &mut Out,
    rng: &mut Rng,
    dir: &str,
    n: &StackNames,
    index: u64,
) -> io::Result<()> {
    let region = rng.pick(AWS_REGIONS);
    let replica_region = loop {
        let r = rng.pick(AWS_REGIONS);
        if r != region {
            break r;
        }
    };
    let has_replica = rng.percent(25);
    let mut providers = fill(t::AWS_PROVIDERS, &n.vars(&[]));
    if has_replica {
        providers.push_str(&fill(
            t::AWS_REPLICA_PROVIDER,
            &n.vars(&[("replica_region", replica_region)]),
        ));
    }
    out.write(&format!("{dir}/providers.tf"), &providers)?;
    out.write(&format!("{dir}/variables.tf"), t::AWS_VARIABLES)?;
    out.write(
        &format!("{dir}/locals.tf"),
        &fill(t::AWS_LOCALS, &n.vars(&[])),
    )?;

    let net = format!("{}", index % 250);
    let retention = rng.pick(&["14", "30", "90"]).to_string();
    let mut main = fill(
        t::AWS_MAIN_HEAD,
        &n.vars(&[("net", &net), ("retention", &retention)]),
    );
    if rng.percent(40) {
        let bastion_type = machine(
            rng,
            &n.env,
            &["t3.micro", "t3.small", "t4g.small"],
            &["m3.medium", "t1.micro"],
            &[],
        );
        let volume = if rng.percent(GP2_ROOT_VOLUME * 2) {
            "gp2"
        } else {
            "gp3"
        };
        let hex = format!("{:016x}", rng.next_u64());
        main.push_str(&fill(
            t::AWS_BASTION,
            &n.vars(&[
                ("hex", &hex),
                ("bastion_type", bastion_type),
                ("volume", volume),
                ("bastion_volume", volume),
            ]),
        ));
    }
    // Data volumes: a map in tfvars, so a gp2 type is found through it.
    let mut volumes = String::new();
    let mut any_gp2 = false;
    for i in 0..rng.range(0, 3) {
        let gp2 = rng.percent(GP2_DATA_VOLUME * 3);
        any_gp2 |= gp2;
        let _ = write!(
            volumes,
            "  {} = {{\n    size = {}\n    type = \"{}\"\n    az   = \"{region}{}\"\n  }}\n",
            ["scratch", "cache", "archive"][i],
            rng.pick(&[50, 100, 200, 500]),
            if gp2 { "gp2" } else { "gp3" },
            ["a", "b", "c"][i],
        );
    }
    let suppress = if any_gp2 && rng.percent(50) {
        format!(
            "# costlint:ignore CL501 -- restored from gp2 snapshots; migration tracked in OPS-{}\n",
            rng.range(100, 999)
        )
    } else {
        String::new()
    };
    main.push_str(&fill(t::AWS_DATA_VOLUMES, &[("suppress", &suppress)]));
    out.write(&format!("{dir}/main.tf"), &main)?;

    let has_db = rng.percent(70);
    if has_db {
        let storage = if rng.percent(GP2_ROOT_VOLUME) {
            "gp2"
        } else {
            "gp3"
        };
        let backup = if is_prod(&n.env) { "14" } else { "1" };
        out.write(
            &format!("{dir}/database.tf"),
            &fill(
                t::AWS_DATABASE,
                &[("db_storage", storage), ("backup", backup)],
            ),
        )?;
    }
    let cross_region = has_replica && rng.percent(CROSS_REGION_READ);
    let archive_ref = if cross_region {
        "\n      ARCHIVE_BUCKET = aws_s3_bucket.archive.bucket"
    } else {
        ""
    };
    out.write(
        &format!("{dir}/worker.tf"),
        &fill(
            t::AWS_WORKER,
            &[("archive_ref", archive_ref), ("retention", &retention)],
        ),
    )?;
    if has_replica {
        out.write(
            &format!("{dir}/archive.tf"),
            &fill(t::AWS_ARCHIVE, &n.vars(&[])),
        )?;
    }
    out.write(&format!("{dir}/dns.tf"), &fill(t::AWS_DNS, &n.vars(&[])))?;
    out.write(&format!("{dir}/outputs.tf"), t::AWS_OUTPUTS)?;
    let first = index % STACKS_PER_ORG == 0;
    if rng.percent(10) || first {
        out.write(
            &format!("{dir}/monitoring.tf.json"),
            &fill(t::AWS_MONITORING_JSON, &n.vars(&[])),
        )?;
    }
    if rng.percent(6) || first {
        out.write(
            &format!("{dir}/export.tf"),
            &fill(t::MULTI_CLOUD_EXPORT, &n.vars(&[])),
        )?;
    }

    // terraform.tfvars: the sizes.
    let mut tfvars = format!(
        "environment = \"{}\"\nregion      = \"{region}\"\n\nservices = {{\n",
        n.env
    );
    let components = rng.sample_between(COMPONENTS, 1, 4);
    for c in components {
        let _ = write!(
            tfvars,
            "  {c} = {{\n    instance_type  = \"{}\"\n    instance_count = {}\n    volume_size    = {}\n    volume_type    = \"{}\"\n    port           = {}\n  }}\n",
            machine(rng, &n.env, EC2_CURRENT, EC2_PREVIOUS, EC2_LARGE),
            if is_prod(&n.env) { rng.range(2, 6) } else { 1 },
            rng.pick(&[30, 50, 100]),
            if rng.percent(GP2_ROOT_VOLUME) {
                "gp2"
            } else {
                "gp3"
            },
            rng.pick(&[8080, 8443, 9000, 3000]),
        );
    }
    tfvars.push_str("}\n");
    if has_db {
        let _ = write!(
            tfvars,
            "\ndb_instance_class    = \"{}\"\ndb_allocated_storage = {}\n",
            machine(rng, &n.env, RDS_CURRENT, RDS_PREVIOUS, RDS_LARGE),
            rng.pick(&[50, 100, 200, 500]),
        );
        if rng.percent(40) {
            let _ = write!(
                tfvars,
                "enable_cache         = true\ncache_node_type      = \"{}\"\n",
                machine(rng, &n.env, CACHE_CURRENT, CACHE_PREVIOUS, &[]),
            );
        }
    }
    if !volumes.is_empty() {
        let _ = write!(tfvars, "\ndata_volumes = {{\n{volumes}}}\n");
    }
    let _ = write!(
        tfvars,
        "\nlambda_memory = {}\n",
        rng.pick(&[256, 512, 1024])
    );
    out.write(&format!("{dir}/terraform.tfvars"), &tfvars)?;
    if rng.percent(15) || first {
        out.write(
            &format!("{dir}/override.auto.tfvars"),
            &format!("extra_tags = {{\n  on-call = \"{}-oncall\"\n}}\n", n.team),
        )?;
    }
    Ok(())
}

fn gcp_stack(
    out: &mut Out,
    rng: &mut Rng,
    dir: &str,
    n: &StackNames,
    index: u64,
) -> io::Result<()> {
    let region = rng.pick(GCP_REGIONS);
    out.write(
        &format!("{dir}/providers.tf"),
        &fill(t::GCP_PROVIDERS, &n.vars(&[])),
    )?;
    out.write(&format!("{dir}/variables.tf"), t::GCP_VARIABLES)?;
    let net = format!("{}", index % 250);
    let net2 = format!("{}", (index + 100) % 250);
    out.write(
        &format!("{dir}/main.tf"),
        &fill(t::GCP_MAIN, &n.vars(&[("net", &net), ("net2", &net2)])),
    )?;
    let minor = format!("{}", rng.range(0, 40));
    out.write(
        &format!("{dir}/data.tf"),
        &fill(t::GCP_DATA, &n.vars(&[("minor", &minor)])),
    )?;

    let mut tfvars = format!(
        "project_id = \"{}-{}\"\nregion     = \"{region}\"\nenvironment = \"{}\"\n\nnode_pools = {{\n",
        n.team, n.env, n.env
    );
    for pool in rng.sample_between(&["general", "highmem", "batch", "spot"], 1, 3) {
        let _ = write!(
            tfvars,
            "  {pool} = {{\n    machine_type = \"{}\"\n    min_nodes    = 1\n    max_nodes    = {}\n  }}\n",
            machine(rng, &n.env, GCE_CURRENT, GCE_PREVIOUS, GCE_LARGE),
            rng.range(3, 12),
        );
    }
    tfvars.push_str("}\n");
    if rng.percent(50) {
        tfvars.push_str("\nworkers = {\n");
        for w in rng.sample_between(&["etl", "backfill", "render"], 1, 2) {
            let _ = write!(
                tfvars,
                "  {w} = {{\n    machine_type = \"{}\"\n    disk_size    = {}\n  }}\n",
                machine(rng, &n.env, GCE_CURRENT, GCE_PREVIOUS, GCE_LARGE),
                rng.pick(&[20, 50, 100]),
            );
        }
        tfvars.push_str("}\n");
    }
    let _ = write!(
        tfvars,
        "\nbatch_machine_type = \"{}\"\n",
        machine(rng, &n.env, GCE_CURRENT, GCE_PREVIOUS, GCE_LARGE)
    );
    // A multi-region bucket read from the service's region is allowed; a
    // bucket in another continent is not.
    let location = if rng.percent(8) {
        if region.starts_with("europe") {
            "US"
        } else {
            "EU"
        }
    } else if region.starts_with("europe") {
        "EU"
    } else {
        "US"
    };
    let _ = writeln!(tfvars, "bucket_location    = \"{location}\"");
    out.write(&format!("{dir}/terraform.tfvars"), &tfvars)
}

fn azure_stack(
    out: &mut Out,
    rng: &mut Rng,
    dir: &str,
    n: &StackNames,
    index: u64,
) -> io::Result<()> {
    let location = rng.pick(AZURE_LOCATIONS);
    out.write(&format!("{dir}/providers.tf"), t::AZURE_PROVIDERS)?;
    out.write(&format!("{dir}/variables.tf"), t::AZURE_VARIABLES)?;
    let net = format!("{}", index % 250);
    out.write(
        &format!("{dir}/main.tf"),
        &fill(t::AZURE_MAIN, &n.vars(&[("net", &net)])),
    )?;
    let mut tfvars = format!(
        "subscription_id = \"00000000-0000-4000-8000-{:012x}\"\nlocation        = \"{location}\"\nenvironment     = \"{}\"\n\nvms = {{\n",
        rng.next_u64() & 0xffff_ffff_ffff,
        n.env
    );
    for vm in rng.sample_between(&["jump", "build", "legacy", "ftp"], 1, 3) {
        let _ = write!(
            tfvars,
            "  {vm} = {{\n    size = \"{}\"\n  }}\n",
            machine(rng, &n.env, AZURE_CURRENT, &[], AZURE_LARGE)
        );
    }
    tfvars.push_str("}\n\nnode_pools = {\n");
    for pool in rng.sample_between(&["apps", "batch"], 1, 2) {
        let _ = write!(
            tfvars,
            "  {pool} = {{\n    vm_size    = \"{}\"\n    node_count = {}\n  }}\n",
            machine(rng, &n.env, AZURE_CURRENT, &[], AZURE_LARGE),
            rng.range(1, 6)
        );
    }
    tfvars.push_str("}\n");
    out.write(&format!("{dir}/terraform.tfvars"), &tfvars)
}

// --- Kubernetes -----------------------------------------------------------

struct Workload<'a> {
    kind: &'a str,
    name: String,
    namespace: &'a str,
    app: &'a str,
    team: &'a str,
    env: &'a str,
}

fn namespace_set(out: &mut Out, rng: &mut Rng, index: u64) -> io::Result<()> {
    let cluster = index / NAMESPACES_PER_CLUSTER;
    let names = StackNames::new(rng, index);
    let ns = format!("{}-{}", names.app, names.env);
    let dir = format!("kubernetes/cluster-{cluster:02}/{ns}");
    let ephemeral = names.env.starts_with("pr-") || names.env == "sandbox";
    // The first namespace of a cluster has every workload kind.
    let all = index % NAMESPACES_PER_CLUSTER == 0;
    let mut namespace = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels:\n    environment: {}\n    owner: {}\n    cost-center: cc-{}\n",
        names.env, names.team, names.cc
    );
    if ephemeral && rng.percent(90) {
        namespace.push_str("  annotations:\n    janitor/ttl: 7d\n");
    }
    namespace.push_str(&format!(
        "---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: {ns}\nspec:\n  hard:\n    requests.cpu: \"{}\"\n    requests.memory: {}Gi\n    limits.memory: {}Gi\n",
        rng.pick(&[8, 16, 32, 64]),
        rng.pick(&[16, 32, 64, 128]),
        rng.pick(&[32, 64, 128, 256]),
    ));
    out.write(&format!("{dir}/namespace.yaml"), &namespace)?;

    let components = rng.sample_between(COMPONENTS, 2, 5);
    for c in components {
        let w = Workload {
            kind: "Deployment",
            name: (*c).to_owned(),
            namespace: &ns,
            app: &names.app,
            team: names.team,
            env: &names.env,
        };
        let mut docs = vec![service_account(&w), config_map(rng, &w), workload(rng, &w)];
        docs.push(service(&w));
        if rng.percent(50) {
            docs.push(autoscaler(rng, &w));
        }
        if rng.percent(30) {
            docs.push(disruption_budget(&w));
        }
        out.write(&format!("{dir}/{c}.yaml"), &docs.join("---\n"))?;
    }
    let mut jobs = Vec::new();
    for kind in ["CronJob", "Job"] {
        if rng.percent(60) || all {
            let w = Workload {
                kind,
                name: format!(
                    "{}-{}",
                    names.app_id,
                    if kind == "Job" { "migrate" } else { "nightly" }
                ),
                namespace: &ns,
                app: &names.app,
                team: names.team,
                env: &names.env,
            };
            jobs.push(workload(rng, &w));
        }
    }
    if !jobs.is_empty() {
        out.write(&format!("{dir}/jobs.yaml"), &jobs.join("---\n"))?;
    }
    if rng.percent(35) || all {
        let w = Workload {
            kind: "StatefulSet",
            name: format!("{}-store", names.app_id),
            namespace: &ns,
            app: &names.app,
            team: names.team,
            env: &names.env,
        };
        let docs = [workload(rng, &w), headless_service(&w)];
        out.write(&format!("{dir}/store.yaml"), &docs.join("---\n"))?;
    }
    if rng.percent(15) || all {
        let w = Workload {
            kind: "DaemonSet",
            name: "log-shipper".to_owned(),
            namespace: &ns,
            app: &names.app,
            team: names.team,
            env: &names.env,
        };
        out.write(&format!("{dir}/log-shipper.yaml"), &workload(rng, &w))?;
    }
    if rng.percent(15) || all {
        // What older tooling leaves behind: a bare ReplicaSet, a Pod and a List.
        let mut docs = Vec::new();
        for kind in ["ReplicaSet", "Pod"] {
            let w = Workload {
                kind,
                name: format!("legacy-{}", kind.to_lowercase()),
                namespace: &ns,
                app: &names.app,
                team: names.team,
                env: &names.env,
            };
            docs.push(workload(rng, &w));
        }
        let w = Workload {
            kind: "Deployment",
            name: "legacy-list".to_owned(),
            namespace: &ns,
            app: &names.app,
            team: names.team,
            env: &names.env,
        };
        let item = indent(&workload(rng, &w), 4);
        docs.push(format!(
            "apiVersion: v1\nkind: List\nitems:\n  - {}",
            item.trim_start()
        ));
        out.write(&format!("{dir}/legacy.yaml"), &docs.join("---\n"))?;
    }
    Ok(())
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    out
}

fn metadata(w: &Workload<'_>, name: &str) -> String {
    format!(
        "metadata:\n  name: {name}\n  namespace: {}\n  labels:\n    app.kubernetes.io/name: {}\n    app.kubernetes.io/part-of: {}\n    team: {}\n",
        w.namespace, w.name, w.app, w.team
    )
}

fn service_account(w: &Workload<'_>) -> String {
    format!(
        "apiVersion: v1\nkind: ServiceAccount\n{}",
        metadata(w, &w.name)
    )
}

fn config_map(rng: &mut Rng, w: &Workload<'_>) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\n{}data:\n  LOG_LEVEL: {}\n  HTTP_PORT: \"8080\"\n  FEATURE_FLAGS: \"new-checkout,fast-search\"\n  UPSTREAM_TIMEOUT: {}s\n",
        metadata(w, &format!("{}-config", w.name)),
        if w.env == "prod" { "info" } else { "debug" },
        rng.pick(&[5, 10, 30]),
    )
}

fn service(w: &Workload<'_>) -> String {
    format!(
        "apiVersion: v1\nkind: Service\n{}spec:\n  selector:\n    app.kubernetes.io/name: {}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n",
        metadata(w, &w.name),
        w.name
    )
}

fn headless_service(w: &Workload<'_>) -> String {
    format!(
        "apiVersion: v1\nkind: Service\n{}spec:\n  clusterIP: None\n  selector:\n    app.kubernetes.io/name: {}\n  ports:\n    - name: peer\n      port: 7000\n",
        metadata(w, &w.name),
        w.name
    )
}

fn autoscaler(rng: &mut Rng, w: &Workload<'_>) -> String {
    format!(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n{}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {}\n  minReplicas: 2\n  maxReplicas: {}\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 70\n",
        metadata(w, &w.name),
        w.name,
        rng.range(4, 20)
    )
}

fn disruption_budget(w: &Workload<'_>) -> String {
    format!(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\n{}spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {}\n",
        metadata(w, &w.name),
        w.name
    )
}

/// A container's resources: usually all set, sometimes missing, and
/// outside production sometimes over the cap.
fn resources(rng: &mut Rng, env: &str, pad: &str) -> (String, bool) {
    if rng.percent(CONTAINER_WITHOUT_RESOURCES) {
        return (String::new(), true);
    }
    let (cpu, memory) = if env != "prod" && rng.percent(CONTAINER_OVER_CAP) {
        (rng.pick(&["6", "8"]).to_string(), 24 * 1024)
    } else {
        (
            rng.pick(&["50m", "100m", "250m", "500m", "1"]).to_string(),
            rng.pick(&[128, 256, 512, 1024, 2048]),
        )
    };
    let mut s = format!(
        "{pad}resources:\n{pad}  requests:\n{pad}    cpu: {cpu}\n{pad}    memory: {memory}Mi\n"
    );
    let missing_limit = rng.percent(CONTAINER_WITHOUT_MEMORY_LIMIT);
    if !missing_limit {
        let _ = write!(s, "{pad}  limits:\n{pad}    memory: {}Mi\n", memory * 2);
    }
    (s, missing_limit)
}

fn container(
    rng: &mut Rng,
    w: &Workload<'_>,
    name: &str,
    pad: &str,
    probes: bool,
) -> (String, bool) {
    let (res, missing) = resources(rng, w.env, &format!("{pad}  "));
    let mut s = format!(
        "{pad}- name: {name}\n{pad}  image: registry.example.com/{}/{}:{}.{}.{}\n",
        w.team,
        w.name,
        rng.range(1, 4),
        rng.range(0, 30),
        rng.range(0, 9)
    );
    if probes {
        let _ = write!(
            s,
            "{pad}  ports:\n{pad}    - name: http\n{pad}      containerPort: 8080\n{pad}  envFrom:\n{pad}    - configMapRef:\n{pad}        name: {}-config\n{pad}  env:\n{pad}    - name: DATABASE_URL\n{pad}      valueFrom:\n{pad}        secretKeyRef:\n{pad}          name: {}-db\n{pad}          key: url\n{pad}    - name: OTEL_EXPORTER_OTLP_ENDPOINT\n{pad}      value: http://otel-collector.observability:4317\n{pad}  readinessProbe:\n{pad}    httpGet:\n{pad}      path: /ready\n{pad}      port: http\n{pad}    periodSeconds: 10\n{pad}  livenessProbe:\n{pad}    httpGet:\n{pad}      path: /healthz\n{pad}      port: http\n{pad}    initialDelaySeconds: 15\n",
            w.name, w.app
        );
    }
    s.push_str(&res);
    (s, missing)
}

fn workload(rng: &mut Rng, w: &Workload<'_>) -> String {
    let api = match w.kind {
        "Pod" => "v1",
        "Job" | "CronJob" => "batch/v1",
        _ => "apps/v1",
    };
    // Where the pod spec sits.
    let depth = match w.kind {
        "Pod" => 0,
        "CronJob" => 3,
        _ => 1,
    };
    let spec_pad = "  ".repeat(1 + depth * 2);
    let pad = format!("{spec_pad}  ");
    let mut pod_spec = String::new();
    if w.kind != "DaemonSet" && rng.percent(40) {
        let (c, _) = container(rng, w, "migrate", &pad, false);
        let _ = write!(pod_spec, "{spec_pad}initContainers:\n{c}");
    }
    let (main, missing) = container(
        rng,
        w,
        &w.name,
        &pad,
        w.kind != "Job" && w.kind != "CronJob",
    );
    let _ = write!(pod_spec, "{spec_pad}containers:\n{main}");
    if rng.percent(20) {
        let (c, _) = container(rng, w, "envoy", &pad, false);
        pod_spec.push_str(&c);
    }
    let _ = writeln!(pod_spec, "{spec_pad}serviceAccountName: {}", w.name);
    if matches!(w.kind, "Job" | "CronJob") {
        let _ = writeln!(pod_spec, "{spec_pad}restartPolicy: OnFailure");
    }
    let mut annotations = String::new();
    if missing && rng.percent(30) {
        annotations = format!(
            "  annotations:\n    costlint.dev/ignore: \"CL104 -- vendor image, sized by its chart; tracked in PLAT-{}\"\n",
            rng.range(100, 999)
        );
    }
    let mut s = format!(
        "apiVersion: {api}\nkind: {}\n{}{annotations}",
        w.kind,
        metadata(w, &w.name)
    );
    let labels = format!(
        "labels:\n{0}  app.kubernetes.io/name: {1}\n{0}  environment: {2}\n",
        "  ".repeat(depth * 2 + 1),
        w.name,
        w.env
    );
    match w.kind {
        "Pod" => {
            let _ = write!(s, "spec:\n{pod_spec}");
        }
        "CronJob" => {
            let _ = write!(
                s,
                "spec:\n  schedule: \"{} {} * * *\"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n        metadata:\n          {labels}        spec:\n{pod_spec}",
                rng.range(0, 59),
                rng.range(0, 23),
            );
        }
        "Job" => {
            let _ = write!(
                s,
                "spec:\n  backoffLimit: 3\n  ttlSecondsAfterFinished: 3600\n  template:\n    metadata:\n      {labels}    spec:\n{pod_spec}"
            );
        }
        _ => {
            let replicas = match w.kind {
                "DaemonSet" => String::new(),
                _ => format!(
                    "  replicas: {}\n",
                    if w.env == "prod" { rng.range(2, 6) } else { 1 }
                ),
            };
            let extra = if w.kind == "StatefulSet" {
                format!(
                    "  serviceName: {0}\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [\"ReadWriteOnce\"]\n        resources:\n          requests:\n            storage: {1}Gi\n",
                    w.name,
                    rng.pick(&[10, 50, 100])
                )
            } else {
                String::new()
            };
            let _ = write!(
                s,
                "spec:\n{replicas}  selector:\n    matchLabels:\n      app.kubernetes.io/name: {}\n{extra}  template:\n    metadata:\n      {labels}    spec:\n{pod_spec}",
                w.name
            );
        }
    }
    s
}

// --- Scaling fixtures -----------------------------------------------------

const SCALE_PROVIDERS: &str = r#"provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner       = "platform"
      cost-center = "cc-1000"
      environment = var.environment
    }
  }
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

locals {
  tags = {
    service = "scale"
  }
  subnet_ids = ["subnet-0a", "subnet-0b", "subnet-0c"]
}
"#;

/// One resource block of the scaling module, by index: instances,
/// volumes and their attachments, buckets read by functions, queues,
/// roles, security groups. Every block refers to others, so references
/// grow with resources.
fn scale_resource(i: usize, s: &mut String) {
    let kind = i % 8;
    let g = i / 8;
    let _ = match kind {
        0 => write!(
            s,
            "resource \"aws_security_group\" \"sg_{g}\" {{\n  name_prefix = \"sg-{g}-\"\n  vpc_id      = var.vpc_id\n  tags        = local.tags\n}}\n\n"
        ),
        1 => write!(
            s,
            "resource \"aws_instance\" \"vm_{g}\" {{\n  ami                    = \"ami-0123456789abcdef0\"\n  instance_type          = \"{}\"\n  subnet_id              = local.subnet_ids[{}]\n  vpc_security_group_ids = [aws_security_group.sg_{g}.id]\n\n  root_block_device {{\n    volume_size = 30\n    volume_type = \"gp3\"\n  }}\n\n  tags = merge(local.tags, {{ Name = \"vm-{g}\" }})\n}}\n\n",
            if g % 50 == 7 { "m4.large" } else { "m6i.large" },
            g % 3
        ),
        2 => write!(
            s,
            "resource \"aws_ebs_volume\" \"vol_{g}\" {{\n  availability_zone = \"eu-west-1a\"\n  size              = 100\n  type              = \"{}\"\n  tags              = local.tags\n}}\n\n",
            if g % 50 == 3 { "gp2" } else { "gp3" }
        ),
        3 => write!(
            s,
            "resource \"aws_volume_attachment\" \"att_{g}\" {{\n  device_name = \"/dev/sdf\"\n  volume_id   = aws_ebs_volume.vol_{g}.id\n  instance_id = aws_instance.vm_{g}.id\n}}\n\n"
        ),
        4 => write!(
            s,
            "resource \"aws_s3_bucket\" \"bucket_{g}\" {{\n  bucket = \"scale-bucket-{g}\"\n  tags   = local.tags\n}}\n\n"
        ),
        5 => write!(
            s,
            "resource \"aws_iam_role\" \"role_{g}\" {{\n  name               = \"role-{g}\"\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [] }})\n  tags               = local.tags\n}}\n\n"
        ),
        6 => write!(
            s,
            "resource \"aws_sqs_queue\" \"queue_{g}\" {{\n  name = \"queue-{g}\"\n  tags = local.tags\n}}\n\n"
        ),
        _ => write!(
            s,
            "resource \"aws_lambda_function\" \"fn_{g}\" {{\n  function_name = \"fn-{g}\"\n  role          = aws_iam_role.role_{g}.arn\n  runtime       = \"python3.12\"\n  handler       = \"main.handler\"\n  filename      = \"fn.zip\"\n\n  environment {{\n    variables = {{\n      BUCKET = aws_s3_bucket.bucket_{g}.bucket\n      QUEUE  = aws_sqs_queue.queue_{g}.url\n    }}\n  }}\n\n  tags = local.tags\n}}\n\n"
        ),
    };
}

/// A root module of `n` resource blocks, 100 per file.
pub fn resources_module(root: &Path, n: usize) -> io::Result<Stats> {
    let mut out = Out::new(root);
    out.write("providers.tf", SCALE_PROVIDERS)?;
    let mut i = 0;
    let mut file = 0;
    while i < n {
        let mut s = String::new();
        for j in i..(i + 100).min(n) {
            scale_resource(j, &mut s);
        }
        out.write(&format!("resources_{file:03}.tf"), &s)?;
        i += 100;
        file += 1;
    }
    Ok(out.stats)
}

/// 1,000 buckets and 1,000 functions, each function reading `per` buckets:
/// the number of references grows while the resources stay the same.
pub fn references_module(root: &Path, per: usize) -> io::Result<Stats> {
    const N: usize = 1000;
    let mut out = Out::new(root);
    out.write("providers.tf", SCALE_PROVIDERS)?;
    for file in 0..10 {
        let mut s = String::new();
        for i in file * 100..(file + 1) * 100 {
            let _ = write!(
                s,
                "resource \"aws_s3_bucket\" \"b_{i}\" {{\n  bucket = \"refs-bucket-{i}\"\n  tags   = local.tags\n}}\n\nresource \"aws_lambda_function\" \"f_{i}\" {{\n  function_name = \"refs-fn-{i}\"\n  role          = \"arn:aws:iam::123456789012:role/refs\"\n  runtime       = \"python3.12\"\n  handler       = \"main.handler\"\n  filename      = \"fn.zip\"\n\n  environment {{\n    variables = {{\n"
            );
            for j in 0..per {
                let _ = writeln!(
                    s,
                    "      BUCKET_{j} = aws_s3_bucket.b_{}.bucket",
                    (i * 7 + j * 13) % N
                );
            }
            s.push_str("    }\n  }\n\n  tags = local.tags\n}\n\n");
        }
        out.write(&format!("refs_{file:02}.tf"), &s)?;
    }
    Ok(out.stats)
}

/// One file with `n` findings: `n` gp2 volumes.
pub fn findings_file(root: &Path, n: usize) -> io::Result<Stats> {
    let mut out = Out::new(root);
    let mut s = String::from(SCALE_PROVIDERS);
    for i in 0..n {
        let _ = write!(
            s,
            "\nresource \"aws_ebs_volume\" \"v_{i}\" {{\n  availability_zone = \"eu-west-1a\"\n  size              = {}\n  type              = \"gp2\"\n  tags              = local.tags\n}}\n",
            10 + i % 90
        );
    }
    out.write("main.tf", &s)?;
    Ok(out.stats)
}

/// `n` manifest files of one Deployment each, 100 per directory.
pub fn manifest_files(root: &Path, n: usize, seed: u64) -> io::Result<Stats> {
    let mut out = Out::new(root);
    let base = Rng::new(seed);
    for i in 0..n {
        let mut rng = base.fork("manifest", i as u64);
        let ns = format!("team-{}", i / 100);
        let w = Workload {
            kind: "Deployment",
            name: format!("svc-{i}"),
            namespace: &ns,
            app: "scale",
            team: "platform",
            env: "dev",
        };
        out.write(
            &format!("d{:03}/svc-{i:05}.yaml", i / 100),
            &workload(&mut rng, &w),
        )?;
    }
    Ok(out.stats)
}

/// A module whose `main.tf` is exactly `lines` lines long, written the way
/// large hand-maintained files are: many resources of a few kinds.
pub fn long_file_module(root: &Path, lines: usize) -> io::Result<Stats> {
    let mut out = Out::new(root);
    out.write("providers.tf", SCALE_PROVIDERS)?;
    let mut text = String::new();
    let mut count = 0;
    for i in 0.. {
        let mut block = String::new();
        scale_resource(i, &mut block);
        let n = block.lines().count();
        if count + n > lines {
            break;
        }
        text.push_str(&block);
        count += n;
    }
    for _ in count..lines {
        text.push_str("# end of the generated resources\n");
    }
    out.write("main.tf", &text)?;
    Ok(out.stats)
}

/// What `generate` writes: sizes in bytes by name.
pub const SIZES: &[(&str, u64)] = &[
    ("1mb", 1_000_000),
    ("10mb", 10_000_000),
    ("100mb", 100_000_000),
];

/// The whole benchmark tree under `root`, one directory per part.
/// `sizes` selects which of [`SIZES`] to write.
pub fn generate(root: &Path, seed: u64, sizes: &[&str]) -> io::Result<Vec<(String, Stats)>> {
    let mut all = Vec::new();
    for (name, bytes) in SIZES.iter().filter(|(n, _)| sizes.contains(n)) {
        all.push((name.to_string(), corpus(&root.join(name), *bytes, seed)?));
    }
    let scale = root.join("scale");
    for n in [1000, 5000, 10_000] {
        all.push((
            format!("scale/resources-{n}"),
            resources_module(&scale.join(format!("resources-{n}")), n)?,
        ));
    }
    for per in [1, 5, 10] {
        all.push((
            format!("scale/references-{per}"),
            references_module(&scale.join(format!("references-{per}")), per)?,
        ));
    }
    for n in [1000, 10_000] {
        all.push((
            format!("scale/findings-{n}"),
            findings_file(&scale.join(format!("findings-{n}")), n)?,
        ));
        all.push((
            format!("scale/files-{n}"),
            manifest_files(&scale.join(format!("files-{n}")), n, seed)?,
        ));
    }
    all.push((
        "single/long-file".to_owned(),
        long_file_module(&root.join("single/long-file"), 5000)?,
    ));
    let mut total = Stats::default();
    for (_, s) in &all {
        total.add(*s);
    }
    all.push(("total".to_owned(), total));
    Ok(all)
}

/// FNV-1a over sorted relative paths and contents: the same on every
/// platform and toolchain.
pub fn hash_dir(dir: &Path) -> Result<u64, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in files {
        let rel = f
            .strip_prefix(dir)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        eat(rel.as_bytes());
        eat(&[0]);
        eat(&std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?);
        eat(&[0]);
    }
    Ok(h)
}
