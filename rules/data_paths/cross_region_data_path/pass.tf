provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "google" {
  project = "shop"
  region  = "europe-west1"
}

# Same region, through a default provider.
resource "aws_s3_bucket" "local" {
  bucket = "shop-local"
}

resource "aws_lambda_function" "reader" {
  function_name = "reader"
  role          = aws_iam_role.fn.arn
  environment {
    variables = { BUCKET = aws_s3_bucket.local.id }
  }
}

# Global services never count.
resource "aws_iam_role" "fn" {
  provider           = aws.us
  name               = "fn"
  assume_role_policy = "{}"
}

resource "aws_route53_zone" "shop" {
  provider = aws.us
  name     = "shop.example"
}

resource "aws_instance" "dns" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  user_data     = aws_route53_zone.shop.zone_id
}

# A multi-region location contains its member regions.
resource "google_storage_bucket" "eu" {
  name     = "shop-eu"
  location = "EU"
}

resource "google_compute_instance" "vm" {
  name         = "vm"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
  metadata = { bucket = google_storage_bucket.eu.name }
}

# Unknown regions are no finding.
variable "other_region" {
  type = string
}

provider "aws" {
  alias  = "unknown"
  region = var.other_region
}

resource "aws_s3_bucket" "somewhere" {
  provider = aws.unknown
  bucket   = "shop-somewhere"
}

resource "aws_lambda_function" "unknown_reader" {
  function_name = "unknown-reader"
  role          = "arn:aws:iam::123456789012:role/r"
  environment {
    variables = { BUCKET = aws_s3_bucket.somewhere.id }
  }
}

# A peering in the same region.
resource "aws_vpc_peering_connection" "local" {
  vpc_id      = "vpc-1"
  peer_vpc_id = "vpc-2"
  peer_region = "eu-west-1"
}
