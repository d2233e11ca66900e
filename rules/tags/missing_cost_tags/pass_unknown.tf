# Tags that cannot be known statically may hold any key: no finding.
variable "extra_tags" {
  type = map(string)
}

data "aws_default_tags" "current" {}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = merge(var.extra_tags, { Name = "api" })
}

resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
  tags   = data.aws_default_tags.current.tags
}

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"
  labels   = { for k, v in var.extra_tags : lower(k) => v }
}
