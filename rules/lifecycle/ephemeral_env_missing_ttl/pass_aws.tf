provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      environment = "preview"
      Expires-At  = "2026-12-31"
    }
  }
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
}

# An invalid TTL is ephemeral-env-ttl-invalid's, not this rule's.
resource "aws_s3_bucket" "assets" {
  bucket = "shop-preview-assets"
  tags = {
    environment = "pr-17"
    ttl         = "soon"
  }
}

# Not ephemeral.
resource "aws_s3_bucket" "logs" {
  provider = aws.prod
  bucket   = "shop-logs"
}

provider "aws" {
  alias  = "prod"
  region = "eu-west-1"

  default_tags {
    tags = {
      environment = "prod"
    }
  }
}
