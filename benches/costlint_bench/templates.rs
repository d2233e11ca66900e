//! Text of the generated files. `@name@` marks a value filled in by the
//! generator; everything else is written as is.

pub const AWS_NETWORK_VARIABLES: &str = r#"variable "name" {
  description = "Name prefix for the network resources."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "azs" {
  description = "Availability zones to spread the subnets over."
  type        = list(string)
}

variable "enable_nat_gateway" {
  description = "One NAT gateway for the private subnets."
  type        = bool
  default     = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

pub const AWS_NETWORK_MAIN: &str = r#"resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(var.cidr_block, 4, count.index)

  tags = merge(var.tags, {
    Name = "${var.name}-private-${var.azs[count.index]}"
    tier = "private"
  })
}

resource "aws_subnet" "public" {
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.this.id
  availability_zone       = var.azs[count.index]
  cidr_block              = cidrsubnet(var.cidr_block, 4, count.index + 8)
  map_public_ip_on_launch = true

  tags = merge(var.tags, {
    Name = "${var.name}-public-${var.azs[count.index]}"
    tier = "public"
  })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_eip" "nat" {
  count  = var.enable_nat_gateway ? 1 : 0
  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat" })
}

resource "aws_nat_gateway" "this" {
  count         = var.enable_nat_gateway ? 1 : 0
  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id
  tags          = merge(var.tags, { Name = "${var.name}-nat" })
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route" "private_nat" {
  count                  = var.enable_nat_gateway ? 1 : 0
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

resource "aws_route_table_association" "private" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "REJECT"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
  iam_role_arn         = aws_iam_role.flow.arn
  tags                 = var.tags
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/vpc/${var.name}/flow"
  retention_in_days = 14
  tags              = var.tags
}

resource "aws_iam_role" "flow" {
  name = "${var.name}-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}
"#;

pub const AWS_NETWORK_OUTPUTS: &str = r#"output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets, one per availability zone."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets, one per availability zone."
  value       = aws_subnet.public[*].id
}
"#;

pub const AWS_SERVICE_VARIABLES: &str = r#"variable "name" {
  description = "Service name."
  type        = string
}

variable "environment" {
  type = string
}

variable "instance_type" {
  description = "EC2 instance type of the service's instances."
  type        = string
}

variable "instance_count" {
  type    = number
  default = 1
}

variable "volume_size" {
  description = "Root volume size in GiB."
  type        = number
  default     = 30
}

variable "volume_type" {
  type    = string
  default = "gp3"
}

variable "port" {
  type    = number
  default = 8080
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

pub const AWS_SERVICE_MAIN: &str = r#"locals {
  name = "${var.name}-${var.environment}"
  tags = merge(var.tags, {
    component = var.name
  })
}

data "aws_default_tags" "current" {}

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

resource "aws_security_group" "this" {
  name_prefix = "${local.name}-"
  description = "Traffic to ${var.name}"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTP from the load balancer"
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

resource "aws_launch_template" "this" {
  name_prefix            = "${local.name}-"
  image_id               = data.aws_ami.al2023.id
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.this.id]

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.volume_size
      volume_type           = var.volume_type
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.tags
  }

  tags = local.tags
}

resource "aws_autoscaling_group" "this" {
  name_prefix         = "${local.name}-"
  min_size            = var.instance_count
  max_size            = var.instance_count * 2
  desired_capacity    = var.instance_count
  vpc_zone_identifier = var.subnet_ids
  health_check_type   = "ELB"

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }

  # Provider default_tags do not reach autoscaling groups.
  dynamic "tag" {
    for_each = merge(data.aws_default_tags.current.tags, local.tags)
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu_high" {
  alarm_name          = "${local.name}-cpu-high"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  metric_name         = "CPUUtilization"
  namespace           = "AWS/EC2"
  period              = 300
  statistic           = "Average"
  threshold           = 80

  dimensions = {
    AutoScalingGroupName = aws_autoscaling_group.this.name
  }

  tags = local.tags
}
"#;

pub const AWS_SERVICE_OUTPUTS: &str = r#"output "security_group_id" {
  value = aws_security_group.this.id
}

output "autoscaling_group_name" {
  value = aws_autoscaling_group.this.name
}
"#;

pub const AWS_BUCKET_VARIABLES: &str = r#"variable "bucket_name" {
  type = string
}

variable "retention_days" {
  description = "Days noncurrent object versions are kept."
  type        = number
  default     = 30
}

variable "versioning" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

pub const AWS_BUCKET_MAIN: &str = r#"resource "aws_s3_bucket" "this" {
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"#;

pub const AWS_BUCKET_OUTPUTS: &str = r#"output "bucket_name" {
  value = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}
"#;

pub const AWS_PROVIDERS: &str = r#"terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }

  backend "s3" {
    bucket = "@team@-terraform-state"
    key    = "@app@/@env@/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      owner       = "@team@"
      cost-center = "cc-@cc@"
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
"#;

pub const AWS_REPLICA_PROVIDER: &str = r#"
provider "aws" {
  alias  = "replica"
  region = "@replica_region@"

  default_tags {
    tags = {
      owner       = "@team@"
      cost-center = "cc-@cc@"
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
"#;

pub const AWS_VARIABLES: &str = r#"variable "region" {
  description = "AWS region of the stack."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name: dev, staging, prod, ..."
  type        = string
}

variable "services" {
  description = "Services of the stack and how they are sized."
  type = map(object({
    instance_type  = string
    instance_count = number
    volume_size    = number
    volume_type    = string
    port           = number
  }))
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_allocated_storage" {
  type    = number
  default = 100
}

variable "enable_cache" {
  type    = bool
  default = false
}

variable "cache_node_type" {
  type    = string
  default = "cache.t4g.small"
}

variable "data_volumes" {
  description = "Extra EBS volumes by name."
  type = map(object({
    size = number
    type = string
    az   = string
  }))
  default = {}
}

variable "lambda_memory" {
  type    = number
  default = 512
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}
"#;

pub const AWS_LOCALS: &str = r#"locals {
  name_prefix = "@app@-${var.environment}"

  common_tags = merge(var.extra_tags, {
    service    = "@app@"
    repository = "@team@-infrastructure"
  })

  azs = ["${var.region}a", "${var.region}b", "${var.region}c"]

  service_names = sort(keys(var.services))
  is_production = var.environment == "prod"
}
"#;

pub const AWS_MAIN_HEAD: &str = r#"module "network" {
  source = "../../../modules/aws-network"

  name               = local.name_prefix
  cidr_block         = "10.@net@.0.0/16"
  azs                = local.azs
  enable_nat_gateway = local.is_production
  tags               = local.common_tags
}

module "service" {
  source   = "../../../modules/aws-service"
  for_each = var.services

  name           = each.key
  environment    = var.environment
  instance_type  = each.value.instance_type
  instance_count = each.value.instance_count
  volume_size    = each.value.volume_size
  volume_type    = each.value.volume_type
  port           = each.value.port
  vpc_id         = module.network.vpc_id
  subnet_ids     = module.network.private_subnet_ids
  tags           = local.common_tags
}

module "assets" {
  source = "../../../modules/aws-bucket"

  bucket_name    = "${local.name_prefix}-assets-@suffix@"
  retention_days = @retention@
  tags           = local.common_tags
}
"#;

pub const AWS_BASTION: &str = r#"
resource "aws_security_group" "bastion" {
  name_prefix = "${local.name_prefix}-bastion-"
  description = "SSH from the office"
  vpc_id      = module.network.vpc_id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.common_tags
}

resource "aws_instance" "bastion" {
  ami                    = "ami-0@hex@"
  instance_type          = "@bastion_type@"
  subnet_id              = module.network.public_subnet_ids[0]
  vpc_security_group_ids = [aws_security_group.bastion.id]

  root_block_device {
    volume_size = 20
    volume_type = "@bastion_volume@"
    encrypted   = true
  }

  tags = merge(local.common_tags, { Name = "${local.name_prefix}-bastion" })
}
"#;

pub const AWS_DATA_VOLUMES: &str = r#"
@suppress@resource "aws_ebs_volume" "data" {
  for_each = var.data_volumes

  availability_zone = each.value.az
  size              = each.value.size
  type              = each.value.type
  encrypted         = true

  tags = merge(local.common_tags, { Name = "${local.name_prefix}-${each.key}" })
}
"#;

pub const AWS_DATABASE: &str = r#"resource "aws_db_subnet_group" "main" {
  name       = "${local.name_prefix}-db"
  subnet_ids = module.network.private_subnet_ids
  tags       = local.common_tags
}

resource "aws_db_parameter_group" "main" {
  name   = "${local.name_prefix}-pg16"
  family = "postgres16"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }

  tags = local.common_tags
}

resource "aws_db_instance" "main" {
  identifier                  = "${local.name_prefix}-db"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = var.db_instance_class
  allocated_storage           = var.db_allocated_storage
  storage_type                = "@db_storage@"
  db_subnet_group_name        = aws_db_subnet_group.main.name
  parameter_group_name        = aws_db_parameter_group.main.name
  backup_retention_period     = @backup@
  multi_az                    = local.is_production
  deletion_protection         = local.is_production
  skip_final_snapshot         = !local.is_production
  username                    = "app"
  manage_master_user_password = true

  tags = local.common_tags
}

resource "aws_elasticache_subnet_group" "cache" {
  count      = var.enable_cache ? 1 : 0
  name       = "${local.name_prefix}-cache"
  subnet_ids = module.network.private_subnet_ids
}

resource "aws_elasticache_cluster" "cache" {
  count              = var.enable_cache ? 1 : 0
  cluster_id         = "${local.name_prefix}-cache"
  engine             = "redis"
  node_type          = var.cache_node_type
  num_cache_nodes    = 1
  subnet_group_name  = aws_elasticache_subnet_group.cache[0].name
  tags               = local.common_tags
}
"#;

pub const AWS_WORKER: &str = r#"resource "aws_sqs_queue" "jobs" {
  name                       = "${local.name_prefix}-jobs"
  visibility_timeout_seconds = 120
  message_retention_seconds  = 345600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.jobs_dlq.arn
    maxReceiveCount     = 5
  })
  tags = local.common_tags
}

resource "aws_sqs_queue" "jobs_dlq" {
  name                      = "${local.name_prefix}-jobs-dlq"
  message_retention_seconds = 1209600
  tags                      = local.common_tags
}

resource "aws_iam_role" "worker" {
  name = "${local.name_prefix}-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.common_tags
}

resource "aws_iam_role_policy" "worker" {
  name = "worker"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = aws_sqs_queue.jobs.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${module.assets.bucket_arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.worker.arn}:*"
      },
    ]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "${local.name_prefix}-worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "worker.handler"
  filename      = "build/worker.zip"
  memory_size   = var.lambda_memory
  timeout       = 60

  environment {
    variables = {
      QUEUE_URL     = aws_sqs_queue.jobs.url
      ASSETS_BUCKET = module.assets.bucket_name
      LOG_LEVEL     = local.is_production ? "info" : "debug"@archive_ref@
    }
  }

  tags = local.common_tags
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
  batch_size       = 10
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/aws/lambda/${local.name_prefix}-worker"
  retention_in_days = @retention@
  tags              = local.common_tags
}
"#;

pub const AWS_ARCHIVE: &str = r#"# Archived exports live in the replica region.
resource "aws_s3_bucket" "archive" {
  provider = aws.replica
  bucket   = "${local.name_prefix}-archive-@suffix@"
  tags     = local.common_tags
}

resource "aws_s3_bucket_lifecycle_configuration" "archive" {
  provider = aws.replica
  bucket   = aws_s3_bucket.archive.id

  rule {
    id     = "glacier"
    status = "Enabled"

    filter {}

    transition {
      days          = 30
      storage_class = "GLACIER"
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
"#;

pub const AWS_DNS: &str = r#"data "aws_route53_zone" "main" {
  name = "@team@.example.com"
}

resource "aws_route53_record" "service" {
  for_each = var.services

  zone_id = data.aws_route53_zone.main.zone_id
  name    = "${each.key}.${var.environment}.@team@.example.com"
  type    = "CNAME"
  ttl     = 300
  records = ["${each.key}-${var.environment}.internal.example.com"]
}
"#;

pub const AWS_OUTPUTS: &str = r#"output "vpc_id" {
  value = module.network.vpc_id
}

output "service_security_groups" {
  value = { for name, svc in module.service : name => svc.security_group_id }
}

output "assets_bucket" {
  value = module.assets.bucket_name
}

output "queue_url" {
  value = aws_sqs_queue.jobs.url
}
"#;

pub const AWS_MONITORING_JSON: &str = r#"{
  "resource": {
    "aws_sns_topic": {
      "alerts": {
        "name": "@app@-@env@-alerts",
        "tags": {
          "service": "@app@"
        }
      }
    },
    "aws_cloudwatch_metric_alarm": {
      "queue_age": {
        "alarm_name": "@app@-@env@-queue-age",
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": 2,
        "metric_name": "ApproximateAgeOfOldestMessage",
        "namespace": "AWS/SQS",
        "period": 300,
        "statistic": "Maximum",
        "threshold": 900,
        "alarm_actions": ["${aws_sns_topic.alerts.arn}"],
        "dimensions": {
          "QueueName": "${aws_sqs_queue.jobs.name}"
        }
      }
    }
  }
}
"#;

pub const MULTI_CLOUD_EXPORT: &str = r#"# Nightly exports for the analytics team, who run on Google Cloud.
provider "google" {
  project = "@team@-analytics"
  region  = "europe-west1"

  default_labels = {
    owner       = "@team@"
    cost-center = "cc-@cc@"
    environment = var.environment
  }
}

resource "google_bigquery_dataset" "export" {
  dataset_id                 = "@app_id@_${var.environment}"
  location                   = "EU"
  delete_contents_on_destroy = !local.is_production
}

resource "google_storage_bucket" "export" {
  name                        = "${local.name_prefix}-export-@suffix@"
  location                    = "EU"
  uniform_bucket_level_access = true

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  labels = {
    service = "@app@"
  }
}
"#;

pub const GCP_GROUP_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "machine_type" {
  type = string
}

variable "size" {
  type    = number
  default = 2
}

variable "subnetwork" {
  type = string
}

variable "labels" {
  type    = map(string)
  default = {}
}
"#;

pub const GCP_GROUP_MAIN: &str = r#"resource "google_compute_instance_template" "this" {
  name_prefix  = "${var.name}-"
  machine_type = var.machine_type
  region       = var.region

  disk {
    source_image = "debian-cloud/debian-12"
    auto_delete  = true
    boot         = true
    disk_size_gb = 50
  }

  network_interface {
    subnetwork = var.subnetwork
  }

  labels = var.labels

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_health_check" "this" {
  name = "${var.name}-hc"

  http_health_check {
    port         = 8080
    request_path = "/healthz"
  }
}

resource "google_compute_region_instance_group_manager" "this" {
  name               = "${var.name}-mig"
  region             = var.region
  base_instance_name = var.name
  target_size        = var.size

  version {
    instance_template = google_compute_instance_template.this.id
  }

  auto_healing_policies {
    health_check      = google_compute_health_check.this.id
    initial_delay_sec = 120
  }
}
"#;

pub const GCP_GROUP_OUTPUTS: &str = r#"output "instance_group" {
  value = google_compute_region_instance_group_manager.this.instance_group
}
"#;

pub const GCP_PROVIDERS: &str = r#"terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
  }

  backend "gcs" {
    bucket = "@team@-tfstate"
    prefix = "@app@/@env@"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    owner       = "@team@"
    cost-center = "cc-@cc@"
    environment = var.environment
  }
}
"#;

pub const GCP_VARIABLES: &str = r#"variable "project_id" {
  type = string
}

variable "region" {
  type    = string
  default = "europe-west1"
}

variable "environment" {
  type = string
}

variable "workers" {
  description = "Stand-alone worker VMs by name."
  type = map(object({
    machine_type = string
    disk_size    = number
  }))
  default = {}
}

variable "node_pools" {
  type = map(object({
    machine_type = string
    min_nodes    = number
    max_nodes    = number
  }))
}

variable "batch_machine_type" {
  type    = string
  default = "e2-standard-4"
}

variable "sql_tier" {
  type    = string
  default = "db-custom-2-7680"
}

variable "bucket_location" {
  type    = string
  default = "EU"
}
"#;

pub const GCP_MAIN: &str = r#"locals {
  name_prefix = "@app@-${var.environment}"
  labels = {
    service = "@app@"
    team    = "@team@"
  }
  # Provider default_labels do not reach node pool and Cloud SQL labels.
  cost_labels = merge(local.labels, {
    owner       = "@team@"
    cost-center = "cc-@cc@"
    environment = var.environment
  })
}

resource "google_compute_network" "main" {
  name                    = "${local.name_prefix}-vpc"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "main" {
  name          = "${local.name_prefix}-subnet"
  ip_cidr_range = "10.@net@.0.0/20"
  region        = var.region
  network       = google_compute_network.main.id

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = "10.@net2@.0.0/16"
  }
}

resource "google_compute_router" "main" {
  name    = "${local.name_prefix}-router"
  region  = var.region
  network = google_compute_network.main.id
}

resource "google_compute_router_nat" "main" {
  name                               = "${local.name_prefix}-nat"
  router                             = google_compute_router.main.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}

resource "google_service_account" "workload" {
  account_id   = "@app_id@-${var.environment}"
  display_name = "@app@ workloads"
}

resource "google_compute_instance" "worker" {
  for_each     = var.workers
  name         = "${local.name_prefix}-${each.key}"
  machine_type = each.value.machine_type
  zone         = "${var.region}-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = each.value.disk_size
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.main.id
  }

  service_account {
    email  = google_service_account.workload.email
    scopes = ["cloud-platform"]
  }

  labels = local.labels
}

resource "google_container_cluster" "main" {
  name                     = "${local.name_prefix}-gke"
  location                 = var.region
  remove_default_node_pool = true
  initial_node_count       = 1
  network                  = google_compute_network.main.id
  subnetwork               = google_compute_subnetwork.main.id
  resource_labels          = local.labels

  release_channel {
    channel = "REGULAR"
  }
}

resource "google_container_node_pool" "pool" {
  for_each = var.node_pools
  name     = each.key
  cluster  = google_container_cluster.main.id

  autoscaling {
    min_node_count = each.value.min_nodes
    max_node_count = each.value.max_nodes
  }

  node_config {
    machine_type    = each.value.machine_type
    disk_size_gb    = 100
    service_account = google_service_account.workload.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = local.labels
    resource_labels = local.cost_labels
  }
}

module "batch" {
  source = "../../../modules/gcp-instance-group"

  name         = "${local.name_prefix}-batch"
  region       = var.region
  machine_type = var.batch_machine_type
  size         = 2
  subnetwork   = google_compute_subnetwork.main.id
  labels       = local.labels
}
"#;

pub const GCP_DATA: &str = r#"resource "google_sql_database_instance" "main" {
  name             = "${local.name_prefix}-pg"
  database_version = "POSTGRES_16"
  region           = var.region

  settings {
    tier              = var.sql_tier
    availability_type = var.environment == "prod" ? "REGIONAL" : "ZONAL"
    user_labels       = local.cost_labels

    backup_configuration {
      enabled    = true
      start_time = "02:00"
    }
  }

  deletion_protection = var.environment == "prod"
}

resource "google_storage_bucket" "data" {
  name                        = "${local.name_prefix}-data-@suffix@"
  location                    = var.bucket_location
  uniform_bucket_level_access = true

  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }

  labels = local.labels
}

resource "google_pubsub_topic" "events" {
  name   = "${local.name_prefix}-events"
  labels = local.labels
}

resource "google_pubsub_subscription" "events" {
  name                 = "${local.name_prefix}-events-worker"
  topic                = google_pubsub_topic.events.id
  ack_deadline_seconds = 30
  labels               = local.labels
}

resource "google_cloud_run_v2_service" "api" {
  name     = "${local.name_prefix}-api"
  location = var.region

  template {
    service_account = google_service_account.workload.email

    containers {
      image = "europe-docker.pkg.dev/@team@-images/@app@/api:1.@minor@"

      env {
        name  = "DATA_BUCKET"
        value = google_storage_bucket.data.name
      }

      env {
        name  = "EVENTS_TOPIC"
        value = google_pubsub_topic.events.id
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
      }
    }
  }

  labels = local.labels
}
"#;

pub const AZURE_VM_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "size" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "disk_type" {
  type    = string
  default = "Premium_LRS"
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

pub const AZURE_VM_MAIN: &str = r#"resource "azurerm_network_interface" "this" {
  name                = "nic-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }

  tags = var.tags
}

resource "azurerm_linux_virtual_machine" "this" {
  name                  = "vm-${var.name}"
  resource_group_name   = var.resource_group_name
  location              = var.location
  size                  = var.size
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.this.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkCorpusKeyOnly"
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = var.disk_type
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  tags = var.tags
}
"#;

pub const AZURE_VM_OUTPUTS: &str = r#"output "private_ip" {
  value = azurerm_network_interface.this.private_ip_address
}
"#;

pub const AZURE_PROVIDERS: &str = r#"terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.5"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}
"#;

pub const AZURE_VARIABLES: &str = r#"variable "subscription_id" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "environment" {
  type = string
}

variable "vms" {
  type = map(object({
    size = string
  }))
  default = {}
}

variable "system_pool_size" {
  type    = string
  default = "Standard_D4s_v5"
}

variable "node_pools" {
  type = map(object({
    vm_size    = string
    node_count = number
  }))
  default = {}
}

variable "pg_sku" {
  type    = string
  default = "GP_Standard_D2s_v3"
}
"#;

pub const AZURE_MAIN: &str = r#"locals {
  name_prefix = "@app@-${var.environment}"
  tags = {
    owner       = "@team@"
    cost-center = "cc-@cc@"
    environment = var.environment
    service     = "@app@"
  }
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name_prefix}"
  location = var.location
  tags     = local.tags
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-${local.name_prefix}"
  address_space       = ["10.@net@.0.0/16"]
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.@net@.1.0/24"]
}

module "vm" {
  source   = "../../../modules/azure-vm"
  for_each = var.vms

  name                = "${local.name_prefix}-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  size                = each.value.size
  subnet_id           = azurerm_subnet.app.id
  tags                = local.tags
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-${local.name_prefix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  dns_prefix          = local.name_prefix

  default_node_pool {
    name       = "system"
    vm_size    = var.system_pool_size
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  for_each              = var.node_pools
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = each.value.vm_size
  node_count            = each.value.node_count
  tags                  = local.tags
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                   = "psql-${local.name_prefix}"
  resource_group_name    = azurerm_resource_group.main.name
  location               = azurerm_resource_group.main.location
  version                = "16"
  sku_name               = var.pg_sku
  storage_mb             = 65536
  backup_retention_days  = 7
  administrator_login    = "app"
  zone                   = "1"
  tags                   = local.tags
}

resource "azurerm_storage_account" "data" {
  name                     = "st@app_id@${substr(var.environment, 0, 4)}@suffix@"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  min_tls_version          = "TLS1_2"
  tags                     = local.tags
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-${local.name_prefix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}
"#;
