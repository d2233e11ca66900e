provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

resource "aws_vpc_peering_connection" "to_tokyo" {
  vpc_id      = "vpc-1"
  peer_vpc_id = "vpc-2"
  peer_region = "ap-northeast-1"
}

resource "aws_ec2_transit_gateway_peering_attachment" "to_us" {
  transit_gateway_id      = "tgw-1"
  peer_transit_gateway_id = "tgw-2"
  peer_region             = "us-west-2"
  peer_account_id         = "123456789012"
}

resource "aws_dynamodb_table" "global" {
  name             = "sessions"
  hash_key         = "id"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "us-east-1"
  }
  replica {
    region_name = "eu-central-1"
  }
}

resource "aws_db_instance" "primary" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
}

resource "aws_db_instance" "replica" {
  provider            = aws.dr
  identifier          = "orders-dr"
  instance_class      = "db.m6g.large"
  replicate_source_db = aws_db_instance.primary.arn
}

resource "aws_s3_bucket" "source" {
  bucket = "shop-source"
}

resource "aws_s3_bucket" "copy" {
  provider = aws.dr
  bucket   = "shop-copy"
}

resource "aws_s3_bucket_replication_configuration" "copy" {
  role   = "arn:aws:iam::123456789012:role/replication"
  bucket = aws_s3_bucket.source.id
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.copy.arn
    }
  }
}
