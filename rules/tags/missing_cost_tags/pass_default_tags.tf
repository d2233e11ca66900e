provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner       = "platform"
      cost-center = "cc-1042"
      environment = "prod"
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"

  default_tags {
    tags = {
      owner       = "platform"
      cost-center = "cc-1042"
    }
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
}

resource "aws_s3_bucket" "replica" {
  provider = aws.us
  bucket   = "shop-logs-replica"
  tags = {
    environment = "prod"
  }
}
