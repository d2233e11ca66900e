# `capacity_type` defaults to ON_DEMAND.
resource "aws_eks_node_group" "dev" {
  cluster_name    = "shop-dev"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m5.xlarge"]

  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

resource "aws_eks_node_group" "preview" {
  cluster_name    = "shop-preview"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  capacity_type   = "ON_DEMAND"
  instance_types  = ["m5.large", "m5a.large"]

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }

  tags = {
    environment = "pr-1234"
  }
}

resource "aws_launch_template" "staging" {
  name_prefix   = "staging-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "c5.large"
}

# No mixed-instances policy, and the template asks for no spot capacity.
resource "aws_autoscaling_group" "staging" {
  min_size         = 2
  max_size         = 6
  desired_capacity = 4

  launch_template {
    id      = aws_launch_template.staging.id
    version = "$Latest"
  }

  tag {
    key                 = "environment"
    value               = "staging"
    propagate_at_launch = true
  }
}

# A mixed-instances policy that keeps 100% on demand.
resource "aws_autoscaling_group" "qa" {
  min_size = 1
  max_size = 4

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 100
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.staging.id
      }

      override {
        instance_type = "c5.large"
      }

      override {
        instance_type = "c5a.large"
      }
    }
  }

  tag {
    key                 = "environment"
    value               = "qa"
    propagate_at_launch = true
  }
}
