terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      owner       = "platform"
      cost-center = "cc-1042"
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
