# Within the configured rule-wide cap of 200.
resource "aws_autoscaling_group" "web" {
  min_size             = 2
  max_size             = 150
  launch_configuration = "web-lc"
}

# Over the configured cap for `staging`.
resource "aws_autoscaling_group" "staging" {
  min_size             = 1
  max_size             = 40
  launch_configuration = "staging-lc"

  tag {
    key                 = "environment"
    value               = "staging"
    propagate_at_launch = true
  }
}

# `qa` keeps the built-in non-production cap of 10.
resource "aws_autoscaling_group" "qa" {
  min_size             = 1
  max_size             = 20
  launch_configuration = "qa-lc"

  tag {
    key                 = "environment"
    value               = "qa"
    propagate_at_launch = true
  }
}
