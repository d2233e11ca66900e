variable "size" {
  type = number
}

variable "stage" {
  type = string
}

# At the rule-wide cap.
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 1024
  type              = "gp3"
}

# Development within the caps: gp3's free 3,000 IOPS baseline.
resource "aws_ebs_volume" "dev" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
  iops              = 3000

  tags = {
    environment = "dev"
  }
}

# A size not known before apply.
resource "aws_ebs_volume" "sized_later" {
  availability_zone = "eu-west-1a"
  size              = var.size

  tags = {
    environment = "dev"
  }
}

# Unknown environment: the loosest caps apply.
resource "aws_ebs_volume" "unknown_env" {
  availability_zone = "eu-west-1a"
  size              = 800

  tags = {
    environment = var.stage
  }
}

resource "aws_db_instance" "orders" {
  engine            = "postgres"
  instance_class    = "db.r5.large"
  allocated_storage = 1000
  iops              = 12000
  storage_type      = "io2"

  tags = {
    environment = "prod"
  }
}

resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  root_block_device {
    volume_size = 50
  }

  tags = {
    environment = "dev"
  }
}
