variable "cache_node" {
  default = "r3.xlarge"
}

# m7i.large is cheaper: the finding carries the cost and the saving.
resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m3.large"
}

resource "aws_instance" "bastion" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "t1.micro"
}

# The type comes from a variable default.
resource "aws_instance" "memcached" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.cache_node
}

# Not in the catalog, but its family is previous generation.
resource "aws_instance" "render" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "cg1.4xlarge"
}

# The catalog marks the whole a1 family previous generation.
resource "aws_instance" "arm" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "a1.large"
}

# There is no m7i.medium: the help names the family.
resource "aws_launch_template" "small" {
  name_prefix   = "small-"
  instance_type = "m3.medium"
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = "prod"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = ["m5.large", "c3.large"]

  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 3
  }
}

# db.m5.large is a little cheaper than db.m4.large.
resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m4.large"
  allocated_storage = 100
}

# Same price, newer hardware: no saving to claim.
resource "aws_db_instance" "legacy" {
  identifier        = "legacy"
  engine            = "mysql"
  instance_class    = "db.t2.micro"
  allocated_storage = 20
}

resource "aws_rds_cluster_instance" "aurora" {
  identifier         = "aurora-1"
  cluster_identifier = "aurora"
  engine             = "aurora-mysql"
  instance_class     = "db.r4.large"
}

resource "aws_elasticache_cluster" "sessions" {
  cluster_id      = "sessions"
  engine          = "memcached"
  node_type       = "cache.m3.large"
  num_cache_nodes = 2
}

resource "aws_elasticache_replication_group" "tiny" {
  replication_group_id = "tiny"
  description          = "tiny"
  node_type            = "cache.t1.micro"
  num_cache_clusters   = 1
}
