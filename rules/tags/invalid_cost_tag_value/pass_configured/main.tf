provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner       = "team-platform"
      cost-center = "cc-1042"
    }
  }
}

variable "environment" {
  type = string
}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags = {
    environment = "prod"
  }
}

# Unknown values are never judged.
resource "aws_instance" "worker" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags = {
    environment = var.environment
  }
}

# Not taggable, or ignored: no finding whatever the value.
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
  tags = {
    environment = "whatever"
  }
}
