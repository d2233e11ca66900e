provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner       = "platform"
      cost-center = "1042"
    }
  }
}

locals {
  tags = {
    environment = "Prod"
  }
}

# `Prod` is written once in locals and shared: one finding there.
resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = merge(local.tags, { Name = "api" })
}

resource "aws_ebs_volume" "data" {
  count             = 2
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
  tags              = local.tags
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  tags = {
    environment = "prdo"
    cost-center = "cc-1042"
  }
}
