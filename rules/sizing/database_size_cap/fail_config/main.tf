locals {
  environment = "staging"
}

# Staging allows 16 vCPU / 128 GiB: this one fits.
resource "aws_db_instance" "staging_small" {
  identifier        = "staging-small"
  engine            = "postgres"
  instance_class    = "db.r5.4xlarge"
  allocated_storage = 50
  tags              = { environment = local.environment }
}

resource "aws_db_instance" "staging_big" {
  identifier        = "staging-big"
  engine            = "postgres"
  instance_class    = "db.r5.8xlarge"
  allocated_storage = 50
  tags              = { environment = local.environment }
}

resource "aws_db_instance" "prod" {
  identifier        = "prod"
  engine            = "postgres"
  instance_class    = "db.r5.24xlarge"
  allocated_storage = 500
  tags              = { environment = "prod" }
}

# The x2g classes are allowed.
resource "aws_db_instance" "prod_memory" {
  identifier        = "prod-memory"
  engine            = "postgres"
  instance_class    = "db.x2g.16xlarge"
  allocated_storage = 500
  tags              = { environment = "prod" }
}
