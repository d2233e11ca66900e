variable "batch_max" {
  type    = number
  default = 250
}

variable "stage" {
  type = string
}

resource "aws_launch_template" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m5.large"
}

# No environment tag: over the rule-wide cap of 100.
resource "aws_autoscaling_group" "workers" {
  min_size         = 2
  max_size         = 500
  desired_capacity = 4

  launch_template {
    id      = aws_launch_template.workers.id
    version = "$Latest"
  }
}

# A development node group allowed 40 nodes.
resource "aws_eks_node_group" "dev" {
  cluster_name    = "shop-dev"
  node_group_name = "dev"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m5.xlarge"]

  scaling_config {
    desired_size = 3
    max_size     = 40
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

# The bound comes from a variable; production keeps the rule-wide cap.
resource "aws_autoscaling_group" "batch" {
  min_size             = 0
  max_size             = var.batch_max
  launch_configuration = "batch-lc"

  tag {
    key                 = "environment"
    value               = "prod"
    propagate_at_launch = true
  }
}

# The environment is not known statically: the loosest cap (100) applies.
resource "aws_autoscaling_group" "unknown_env" {
  min_size             = 1
  max_size             = 150
  launch_configuration = "web-lc"

  tag {
    key                 = "environment"
    value               = var.stage
    propagate_at_launch = true
  }
}
