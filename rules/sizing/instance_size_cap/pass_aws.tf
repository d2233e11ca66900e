variable "instance_type" {
  type = string
}

variable "environment" {
  type = string
}

# Within the non-production cap of 8 vCPU / 32 GiB.
resource "aws_instance" "dev_box" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.2xlarge"
  tags = {
    environment = "dev"
  }
}

# Exactly at the rule-wide cap of 32 vCPU is not over it.
resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.8xlarge"
  tags = {
    environment = "prod"
  }
}

# Production has no GPU limit.
resource "aws_instance" "inference" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "p3.2xlarge"
  tags = {
    environment = "production"
  }
}

# An instance type the catalog does not know is not a finding.
resource "aws_instance" "future" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m99.96xlarge"
  tags = {
    environment = "dev"
  }
}

# Not known before apply.
resource "aws_instance" "from_input" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  tags = {
    environment = "dev"
  }
}

# The environment is unknown, but no environment caps below 32 vCPU /
# 256 GiB could make this a fact.
resource "aws_instance" "unknown_environment" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.8xlarge"
  tags = {
    environment = var.environment
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = "dev"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = [var.instance_type, "t3.large"]

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }

  tags = {
    environment = "dev"
  }
}

# Attribute-based selection names no type.
resource "aws_autoscaling_group" "flexible" {
  max_size            = 10
  min_size            = 1
  vpc_zone_identifier = ["subnet-0123456789abcdef0"]

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = "lt-0123456789abcdef0"
      }
      override {
        instance_requirements {
          vcpu_count {
            min = 2
            max = 8
          }
          memory_mib {
            min = 4096
          }
        }
      }
    }
  }

  tag {
    key                 = "environment"
    value               = "dev"
    propagate_at_launch = true
  }
}
