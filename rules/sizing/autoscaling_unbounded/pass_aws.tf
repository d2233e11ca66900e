variable "stage" {
  type = string
}

variable "max_nodes" {
  type = number
}

# At the rule-wide cap, not over it.
resource "aws_autoscaling_group" "at_cap" {
  min_size             = 1
  max_size             = 100
  launch_configuration = "web-lc"
}

# Development node group within the non-production cap.
resource "aws_eks_node_group" "dev" {
  cluster_name    = "shop-dev"
  node_group_name = "dev"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m5.xlarge"]

  scaling_config {
    desired_size = 3
    max_size     = 10
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

# Production within the rule-wide cap.
resource "aws_autoscaling_group" "prod" {
  min_size             = 10
  max_size             = 80
  launch_configuration = "web-lc"

  tag {
    key                 = "environment"
    value               = "prod"
    propagate_at_launch = true
  }
}

# Unknown environment, within the loosest cap.
resource "aws_autoscaling_group" "unknown_env" {
  min_size             = 1
  max_size             = 60
  launch_configuration = "web-lc"

  tag {
    key                 = "environment"
    value               = var.stage
    propagate_at_launch = true
  }
}

# Unknown bound in development: not reported.
resource "aws_autoscaling_group" "unknown_max" {
  min_size             = 1
  max_size             = var.max_nodes
  launch_configuration = "web-lc"

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}
