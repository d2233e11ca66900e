variable "expiry" {
  type = string
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      environment = "preview"
      ttl         = "14d"
    }
  }
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
}

# Unknown values are never judged.
resource "aws_s3_bucket" "assets" {
  bucket = "shop-preview-assets"
  tags = {
    expires-at = var.expiry
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "preview-jobs"
  tags = {
    cloud-nuke-after = "2026-06-01T00:00:00Z"
  }
}

# A tag named `ttl` outside an ephemeral environment may mean anything.
resource "azurerm_resource_group" "dns" {
  name     = "rg-dns"
  location = "westeurope"
  tags = {
    environment = "prod"
    ttl         = "300"
  }
}

resource "google_storage_bucket" "scratch" {
  name     = "scratch"
  location = "EU"
  labels = {
    environment = "sandbox"
    expires     = "2026-06-01t00-00-00z"
  }
}
