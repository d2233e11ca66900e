# Two r5.2xlarge at $0.504/h: $735.84/month, with 2 × 100 GB gp3 ($16).
resource "aws_instance" "search" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "r5.2xlarge"

  root_block_device {
    volume_size = 100
    volume_type = "gp3"
  }
}

# db.m5.large PostgreSQL ($0.178/h, $129.94) with 100 GB gp2 ($11.50).
module "replica" {
  source         = "./modules/replica"
  instance_class = "db.m5.large"
}

# Billed at the spot price, which the catalog does not hold.
resource "aws_spot_instance_request" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "c5.4xlarge"
}

resource "aws_s3_bucket" "exports" {
  bucket = "search-exports"
}
