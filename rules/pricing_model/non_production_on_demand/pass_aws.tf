variable "template_id" {
  type = string
}

variable "capacity" {
  type = string
}

resource "aws_eks_node_group" "spot" {
  cluster_name    = "shop-dev"
  node_group_name = "spot"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  capacity_type   = "SPOT"
  instance_types  = ["m5.xlarge", "m5a.xlarge", "m6i.xlarge"]

  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

# Production stays on demand.
resource "aws_eks_node_group" "prod" {
  cluster_name    = "shop"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m5.xlarge"]

  scaling_config {
    desired_size = 6
    max_size     = 12
    min_size     = 3
  }

  tags = {
    environment = "prod"
  }
}

# No environment tag: not known to be non-production.
resource "aws_eks_node_group" "untagged" {
  cluster_name    = "shop"
  node_group_name = "misc"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m5.large"]

  scaling_config {
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }
}

# Capacity type not known before apply.
resource "aws_eks_node_group" "unknown" {
  cluster_name    = "shop-dev"
  node_group_name = "unknown"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  capacity_type   = var.capacity
  instance_types  = ["m5.large"]

  scaling_config {
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

# All capacity above the base on spot.
resource "aws_autoscaling_group" "mixed" {
  min_size = 1
  max_size = 4

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 1
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.spot.id
      }
    }
  }

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}

resource "aws_launch_template" "spot" {
  name_prefix   = "spot-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "c5.large"

  instance_market_options {
    market_type = "spot"
  }
}

# The template asks for spot capacity.
resource "aws_autoscaling_group" "spot_template" {
  min_size = 1
  max_size = 4

  launch_template {
    id = aws_launch_template.spot.id
  }

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}

# A template costlint cannot see may ask for spot capacity.
resource "aws_autoscaling_group" "external_template" {
  min_size = 1
  max_size = 4

  launch_template {
    id = var.template_id
  }

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}
