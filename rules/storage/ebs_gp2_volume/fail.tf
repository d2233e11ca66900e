variable "volume_type" {
  default = "gp2"
}

locals {
  disks = {
    logs  = "gp2"
    cache = "gp3"
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp2"
}

resource "aws_ebs_volume" "from_variable" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = var.volume_type
}

resource "aws_ebs_volume" "per_disk" {
  for_each          = local.disks
  availability_zone = "eu-west-1a"
  size              = 10
  type              = each.value
}

resource "aws_ebs_volume" "counted" {
  count             = 3
  availability_zone = "eu-west-1a"
  size              = 10
  type              = "gp2"
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  root_block_device {
    volume_type = "gp2"
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_type = "io1"
    iops        = 1000
  }
}

resource "aws_launch_template" "lt" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "gp2"
    }
  }

  dynamic "block_device_mappings" {
    for_each = ["/dev/sdb"]
    content {
      device_name = block_device_mappings.value
      ebs {
        volume_type = "io1"
      }
    }
  }
}

resource "aws_launch_configuration" "lc" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  root_block_device {
    volume_type = "gp2"
  }
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_type      = "gp2"
}

# One instance with two gp2 devices from a dynamic block: one finding for
# the one instance, not "2 instances: [0], [0]".
variable "devices" {
  default = [
    { device_name = "/dev/xvda", volume_type = "gp2" },
    { device_name = "/dev/xvdb", volume_type = "gp2" },
  ]
}

resource "aws_launch_template" "devices" {
  count         = 1
  name_prefix   = "lt-"
  instance_type = "t3.micro"

  dynamic "block_device_mappings" {
    for_each = var.devices
    content {
      device_name = block_device_mappings.value.device_name
      ebs {
        volume_size = 20
        volume_type = block_device_mappings.value.volume_type
      }
    }
  }
}
