resource "aws_autoscaling_group" "dev" {
  name                 = "shop-dev"
  min_size             = 1
  max_size             = 8
  launch_configuration = "dev-lc"

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_schedule" "dev_night" {
  scheduled_action_name  = "night"
  autoscaling_group_name = aws_autoscaling_group.dev.name
  recurrence             = "0 19 * * MON-FRI"
  time_zone              = "Europe/Berlin"
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}

# A schedule that names the group literally.
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

resource "aws_autoscaling_schedule" "qa_night" {
  scheduled_action_name  = "night"
  autoscaling_group_name = "shop-qa"
  recurrence             = "0 19 * * *"
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}

# Production runs around the clock on purpose.
resource "aws_autoscaling_group" "prod" {
  name                 = "shop"
  min_size             = 3
  max_size             = 12
  launch_configuration = "prod-lc"

  tag {
    key                 = "environment"
    value               = "prod"
    propagate_at_launch = true
  }
}

# Scaled to zero: nothing runs.
resource "aws_autoscaling_group" "parked" {
  name                 = "shop-parked"
  min_size             = 0
  max_size             = 0
  launch_configuration = "parked-lc"

  tag {
    key                 = "environment"
    value               = "staging"
    propagate_at_launch = true
  }
}
