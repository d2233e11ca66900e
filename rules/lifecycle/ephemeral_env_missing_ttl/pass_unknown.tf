# Tags that may hold a TTL in a part costlint cannot know: no finding.
variable "extra_tags" {
  type = map(string)
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
  tags          = merge({ environment = "preview" }, var.extra_tags)
}

# The environment itself is unknown.
variable "environment" {
  type = string
}

resource "google_storage_bucket" "assets" {
  name     = "preview-assets"
  location = "EU"
  labels = {
    environment = var.environment
  }
}
