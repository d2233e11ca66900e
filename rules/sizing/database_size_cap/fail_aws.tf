variable "reporting_class" {
  default = "db.r5.4xlarge"
}

# Multi-AZ runs two instances: the cost is for both.
resource "aws_db_instance" "orders" {
  identifier        = "orders-staging"
  engine            = "postgres"
  instance_class    = "db.r5.24xlarge"
  allocated_storage = 100
  multi_az          = true
  tags = {
    environment = "staging"
  }
}

resource "aws_db_instance" "reporting" {
  identifier        = "reporting-dev"
  engine            = "mysql"
  instance_class    = var.reporting_class
  allocated_storage = 50
  tags = {
    environment = "dev"
  }
}

# Licence-included engines cost more than the catalog's price: no cost.
resource "aws_db_instance" "erp" {
  identifier        = "erp-dev"
  engine            = "oracle-se2"
  instance_class    = "db.m5.4xlarge"
  allocated_storage = 200
  tags = {
    environment = "dev"
  }
}

# Aurora has its own prices, not in the catalog.
resource "aws_rds_cluster_instance" "aurora" {
  count              = 2
  identifier         = "aurora-dev-${count.index}"
  cluster_identifier = "aurora-dev"
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.8xlarge"
  tags = {
    environment = "dev"
  }
}

# No environment tag: the rule-wide cap of 32 vCPU / 256 GiB.
resource "aws_db_instance" "warehouse" {
  identifier        = "warehouse"
  engine            = "postgres"
  instance_class    = "db.x2g.16xlarge"
  allocated_storage = 1000
}

# Three nodes: the cost is for all three.
resource "aws_elasticache_cluster" "sessions" {
  cluster_id      = "sessions-dev"
  engine          = "memcached"
  node_type       = "cache.r6g.4xlarge"
  num_cache_nodes = 3
  tags = {
    environment = "dev"
  }
}

# Two shards with one replica each: four nodes.
resource "aws_elasticache_replication_group" "cache" {
  replication_group_id    = "cache-staging"
  description             = "staging cache"
  node_type               = "cache.r6g.2xlarge"
  num_node_groups         = 2
  replicas_per_node_group = 1
  tags = {
    environment = "staging"
  }
}
