provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner       = "checkout"
      environment = "preview"
    }
  }
}

# Both take their environment from default_tags: one finding there.
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-preview-assets"
}

# Has its own TTL: not reported.
resource "aws_sqs_queue" "jobs" {
  name = "preview-jobs"
  tags = {
    ttl = "3d"
  }
}

# Its own environment tag: reported on the resource.
resource "aws_db_instance" "db" {
  identifier        = "shop-pr-42"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  tags = {
    environment = "shop-pr-42"
  }
}

# IAM is global and free: not reported.
resource "aws_iam_role" "app" {
  name               = "preview-app"
  assume_role_policy = "{}"
}
