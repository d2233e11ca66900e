variable "volume_type" {
  type = string
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
}

# The type comes from a variable without a default: unknown, so silent.
resource "aws_ebs_volume" "unknown" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = var.volume_type
}

# No type: the provider default is gp3 since AWS provider 6.
resource "aws_ebs_volume" "default" {
  availability_zone = "eu-west-1a"
  size              = 100
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  root_block_device {
    volume_type = "gp3"
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_type = "io2"
  }
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_type      = "gp3"
}

# Suppressed with a reason, above the block.
# costlint:ignore CL501 -- restored from a snapshot that needs gp2 until OPS-42
resource "aws_ebs_volume" "legacy" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp2"
}

# Not a volume type.
resource "aws_s3_bucket" "gp2" {
  bucket = "gp2"
}
