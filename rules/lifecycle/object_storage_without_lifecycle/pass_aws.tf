resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
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

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

# The lifecycle configuration names the bucket literally.
resource "aws_s3_bucket" "exports" {
  bucket = "shop-exports"
}

resource "aws_s3_bucket_lifecycle_configuration" "exports" {
  bucket = "shop-exports"

  rule {
    id     = "uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 3
    }
  }
}

# Legacy inline rules.
resource "aws_s3_bucket" "legacy" {
  bucket = "shop-legacy"

  lifecycle_rule {
    id                                     = "expire"
    enabled                                = true
    abort_incomplete_multipart_upload_days = 7

    expiration {
      days = 365
    }
  }
}

# One configuration per tenant bucket, through `for_each`.
resource "aws_s3_bucket" "tenants" {
  for_each = toset(["acme", "globex"])
  bucket   = "shop-tenant-${each.key}"
}

resource "aws_s3_bucket_lifecycle_configuration" "tenants" {
  for_each = aws_s3_bucket.tenants
  bucket   = each.value.id

  rule {
    id     = "uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
