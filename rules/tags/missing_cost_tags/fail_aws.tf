provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner = "platform"
    }
  }
}

locals {
  common = {
    environment = "prod"
  }
}

# `owner` comes from default_tags; `cost-center` is missing.
resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  tags = {
    Name        = "api"
    environment = "prod"
  }
}

# No tags at all: only the provider default reaches it.
resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
}

# One finding for both instances.
resource "aws_ebs_volume" "data" {
  count             = 2
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
  tags              = { Name = "data-${count.index}" }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  tags = merge(local.common, {
    Name = "orders"
  })
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = {}
}

# Auto Scaling groups take `tag` blocks, and provider default_tags do not
# reach them.
resource "aws_autoscaling_group" "workers" {
  min_size = 1
  max_size = 3

  tag {
    key                 = "owner"
    value               = "platform"
    propagate_at_launch = true
  }
}
