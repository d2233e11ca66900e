provider "aws" {
  region = "eu-west-1"
}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  # Keys match ignoring case, `-`, `_` and spaces.
  tags = {
    Owner       = "checkout"
    CostCenter  = "cc-1042"
    Environment = "prod"
  }
}

resource "aws_autoscaling_group" "workers" {
  min_size = 1
  max_size = 3

  dynamic "tag" {
    for_each = {
      owner       = "platform"
      cost_center = "cc-1042"
      environment = "prod"
    }
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

# Data sources are never reported.
data "aws_ami" "base" {
  most_recent = true
  owners      = ["amazon"]
}
