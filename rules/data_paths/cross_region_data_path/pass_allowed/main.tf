provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

resource "aws_s3_bucket" "source" {
  bucket = "shop-source"
}

resource "aws_s3_bucket" "copy" {
  provider = aws.dr
  bucket   = "shop-copy"
}

# A deliberate disaster-recovery copy, allowed in costlint.toml.
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
