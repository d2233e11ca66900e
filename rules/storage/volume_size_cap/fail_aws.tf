variable "data_size" {
  type    = number
  default = 500
}

# No environment tag: over the rule-wide cap of 1,024 GiB.
resource "aws_ebs_volume" "archive" {
  availability_zone = "eu-west-1a"
  size              = 2048
  type              = "gp3"
}

# Development: 500 GiB and 6,000 IOPS are over 100 GiB and 3,000 IOPS.
resource "aws_ebs_volume" "dev_data" {
  availability_zone = "eu-west-1a"
  size              = var.data_size
  type              = "io2"
  iops              = 6000

  tags = {
    environment = "dev"
  }
}

resource "aws_instance" "build" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  root_block_device {
    volume_size = 200
    volume_type = "gp3"
  }

  tags = {
    environment = "qa"
  }
}

resource "aws_launch_template" "runners" {
  name_prefix   = "runners-"
  instance_type = "c5.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = 300
      volume_type = "gp3"
    }
  }

  tags = {
    environment = "staging"
  }
}

# Production keeps the rule-wide caps.
resource "aws_db_instance" "ledger" {
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 2000
  storage_type      = "io1"
  iops              = 20000

  tags = {
    environment = "prod"
  }
}
