resource "aws_launch_template" "dev" {
  name_prefix   = "dev-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
}

resource "aws_autoscaling_group" "dev" {
  name             = "shop-dev"
  min_size         = 1
  max_size         = 8
  desired_capacity = 4

  launch_template {
    id = aws_launch_template.dev.id
  }

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}

# A schedule for another group does not count.
resource "aws_autoscaling_group" "qa" {
  name                 = "shop-qa"
  min_size             = 1
  max_size             = 2
  launch_configuration = "qa-lc"

  tag {
    key                 = "environment"
    value               = "qa"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_group" "other" {
  name                 = "shop-other"
  min_size             = 1
  max_size             = 2
  launch_configuration = "other-lc"
}

resource "aws_autoscaling_schedule" "other_night" {
  scheduled_action_name  = "night"
  autoscaling_group_name = aws_autoscaling_group.other.name
  recurrence             = "0 19 * * MON-FRI"
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}
