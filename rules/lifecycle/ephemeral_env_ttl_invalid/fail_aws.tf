provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      environment = "preview"
      ttl         = "soon"
    }
  }
}

# Both inherit the unreadable TTL: one finding where it is written.
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-preview-assets"
}

resource "aws_sqs_queue" "jobs" {
  name = "preview-jobs"
  tags = {
    ttl = "8w"
  }
}

resource "aws_db_instance" "db" {
  identifier        = "shop-preview"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  tags = {
    expires-at = "forever"
  }
}

# cloud-nuke reads this tag in every environment.
resource "aws_s3_bucket" "logs" {
  provider = aws.prod
  bucket   = "shop-logs"
  tags = {
    cloud-nuke-after = "2026-06-01"
  }
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
