# The lifecycle configuration's bucket comes from a variable without a
# value: it may be this bucket's, so nothing is reported.
variable "bucket_name" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "shop-data"
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = var.bucket_name

  rule {
    id     = "uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
