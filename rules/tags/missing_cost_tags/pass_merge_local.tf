variable "environment" {
  type    = string
  default = "staging"
}

locals {
  tags = {
    owner       = "checkout"
    cost-center = "cc-1042"
    environment = var.environment
  }
}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = merge(local.tags, { Name = "api" })
}

resource "aws_ebs_volume" "data" {
  for_each          = toset(["a", "b"])
  availability_zone = "eu-west-1${each.key}"
  size              = 100
  type              = "gp3"
  tags              = merge(local.tags, { Name = "data-${each.key}" })
}
