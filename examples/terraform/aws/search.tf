# The search tier was copied from the production stack; in staging it keeps
# production's size.
resource "aws_instance" "search" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "r5.4xlarge"

  root_block_device {
    volume_size = 100
    volume_type = "gp3"
  }

  tags = local.tags
}

resource "aws_db_instance" "reporting" {
  identifier          = "reporting"
  engine              = "postgres"
  instance_class      = "db.r5.4xlarge"
  allocated_storage   = 200
  storage_type        = "gp3"
  replicate_source_db = aws_db_instance.orders.identifier
  tags                = local.tags
}

resource "aws_elasticache_cluster" "sessions" {
  cluster_id      = "sessions"
  engine          = "memcached"
  node_type       = "cache.m3.large"
  num_cache_nodes = 2
  tags            = local.tags
}
