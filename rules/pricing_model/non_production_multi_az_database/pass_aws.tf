variable "environment" {
  type = string
}

variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "prod" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 100
  multi_az          = true

  tags = {
    environment = "prod"
  }
}

resource "aws_db_instance" "dev" {
  identifier        = "orders-dev"
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
  multi_az          = false

  tags = {
    environment = "dev"
  }
}

# The environment is not known statically.
resource "aws_db_instance" "shared" {
  identifier        = "shared"
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 100
  multi_az          = true

  tags = {
    environment = var.environment
  }
}

# Multi-AZ is decided at apply time.
resource "aws_db_instance" "later" {
  identifier        = "later"
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 100
  multi_az          = var.multi_az

  tags = {
    environment = "qa"
  }
}
