locals {
  tags = {
    environment = var.environment
    service     = "shop"
  }
}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  root_block_device {
    volume_size = 50
    volume_type = "gp2"
  }

  tags = local.tags
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 500
  type              = var.data_volume_type
  tags              = local.tags
}

# costlint:ignore CL501 -- restored from a gp2 snapshot; migration tracked in OPS-118
resource "aws_ebs_volume" "legacy" {
  availability_zone = "eu-west-1b"
  size              = 100
  type              = "gp2"
  tags              = local.tags
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 200
  storage_type      = "io1"
  iops              = 3000
  tags              = local.tags
}

module "web_app" {
  source = "../modules/web_app"

  name          = "storefront"
  instance_type = "t3.medium"
  tags          = local.tags
}
