resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m3.large"
}

resource "aws_db_instance" "legacy" {
  identifier        = "legacy"
  engine            = "mysql"
  instance_class    = "db.t2.micro"
  allocated_storage = 20
}

resource "aws_elasticache_cluster" "tiny" {
  cluster_id      = "tiny"
  engine          = "memcached"
  node_type       = "cache.t1.micro"
  num_cache_nodes = 1
}
