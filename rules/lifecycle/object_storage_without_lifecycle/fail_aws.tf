# No lifecycle configuration at all.
resource "aws_s3_bucket" "exports" {
  bucket = "shop-exports"
}

# Rules that expire objects, but leave incomplete multipart uploads.
resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire"
    status = "Enabled"
    filter {}

    expiration {
      days = 90
    }
  }
}

# Versioned, and no rule expires non-current versions; the rule that
# aborts uploads is disabled.
resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets"
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "assets" {
  bucket = aws_s3_bucket.assets.bucket

  rule {
    id     = "transition"
    status = "Enabled"
    filter {}

    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
  }

  rule {
    id     = "uploads"
    status = "Disabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

# Legacy inline rules without an abort rule, on a versioned bucket.
resource "aws_s3_bucket" "legacy" {
  bucket = "shop-legacy"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    id      = "expire"
    enabled = true

    expiration {
      days = 365
    }
  }
}

# One finding for all instances of a `for_each` bucket without rules.
resource "aws_s3_bucket" "tenants" {
  for_each = toset(["acme", "globex"])
  bucket   = "shop-tenant-${each.key}"
}
