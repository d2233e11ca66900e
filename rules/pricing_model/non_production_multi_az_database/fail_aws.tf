resource "aws_db_instance" "orders" {
  identifier        = "orders-staging"
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 100
  multi_az          = true

  tags = {
    environment = "staging"
  }
}

locals {
  ha = true
}

# Through a local; Oracle is not priced by the catalog.
resource "aws_db_instance" "billing" {
  identifier        = "billing-dev"
  engine            = "oracle-se2"
  instance_class    = "db.m5.large"
  allocated_storage = 100
  multi_az          = local.ha

  tags = {
    environment = "dev"
  }
}
