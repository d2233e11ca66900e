# Background workers and the product catalog of the staging stack, copied
# from production.
resource "aws_launch_template" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = local.tags
}

resource "aws_autoscaling_group" "workers" {
  name                = "shop-workers"
  min_size            = 2
  max_size            = 40
  desired_capacity    = 3
  vpc_zone_identifier = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  launch_template {
    id      = aws_launch_template.workers.id
    version = "$Latest"
  }

  # Provider default_tags do not reach autoscaling groups.
  dynamic "tag" {
    for_each = merge(local.tags, { owner = "platform", cost-center = "cc-1042" })

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

resource "aws_cloudwatch_log_group" "workers" {
  name = "/shop/workers"
  tags = local.tags
}

resource "aws_db_instance" "catalog" {
  identifier        = "catalog"
  engine            = "postgres"
  instance_class    = "db.m5.large"
  allocated_storage = 500
  storage_type      = "gp3"
  multi_az          = true
  tags              = local.tags
}

resource "aws_s3_bucket" "exports" {
  bucket = "shop-catalog-exports"
  tags   = local.tags
}
