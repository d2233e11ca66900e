variable "build_type" {
  default = "c5.12xlarge"
}

variable "team_environment" {
  type = string
}

locals {
  runners = {
    small = "m5.large"
    big   = "m5.16xlarge"
  }
}

# Over the non-production cap: 96 vCPU / 384 GiB in `dev`.
resource "aws_instance" "build" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.24xlarge"
  tags = {
    environment = "dev"
  }
}

# The type comes from a variable default.
resource "aws_instance" "from_variable" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.build_type
  tags = {
    Env = "staging"
  }
}

# A GPU in a preview environment: no GPU allowed.
resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "p3.2xlarge"
  tags = {
    environment = "pr-1234"
  }
}

# Three instances: the cost is for all three.
resource "aws_instance" "workers" {
  count         = 3
  ami           = "ami-0123456789abcdef0"
  instance_type = "r5.4xlarge"
  tags = {
    environment = "qa"
  }
}

# One instance per runner; only `big` is over the cap.
resource "aws_instance" "runner" {
  for_each      = local.runners
  ami           = "ami-0123456789abcdef0"
  instance_type = each.value
  tags = {
    environment = "test"
  }
}

# No environment tag: the rule-wide cap of 32 vCPU / 256 GiB.
resource "aws_instance" "untagged" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "x2idn.32xlarge"
}

# The environment is not known before apply: only what is over every
# environment's cap is reported.
resource "aws_instance" "unknown_environment" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m6i.32xlarge"
  tags = {
    environment = var.team_environment
  }
}

# Spot capacity has no list price.
resource "aws_spot_instance_request" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "c5.24xlarge"
  spot_price    = "1.20"
  tags = {
    environment = "dev"
  }
}

resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  instance_type = "m5.8xlarge"
  tags = {
    environment = "staging"
  }
}

resource "aws_launch_configuration" "legacy" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "c5.18xlarge"
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = "dev"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = ["m5.xlarge", "m5.12xlarge"]

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = "dev"
  node_group_name = "gpu"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = ["g5.2xlarge"]

  scaling_config {
    desired_size = 2
    max_size     = 2
    min_size     = 0
  }

  tags = {
    environment = "dev"
  }
}

resource "aws_autoscaling_group" "mixed" {
  max_size            = 10
  min_size            = 1
  vpc_zone_identifier = ["subnet-0123456789abcdef0"]

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = "lt-0123456789abcdef0"
      }
      override {
        instance_type = "c5.large"
      }
      override {
        instance_type = "c5.9xlarge"
      }
    }
  }

  tag {
    key                 = "environment"
    value               = "sandbox"
    propagate_at_launch = true
  }
}
