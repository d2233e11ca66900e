# Production allows 96 vCPU: this one is within, the next is not.
resource "aws_instance" "search" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.24xlarge"
  tags          = { environment = "live" }
}

resource "aws_instance" "analytics" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m6i.32xlarge"
  tags          = { environment = "prod" }
}

# Non-production is raised to 16 vCPU / 64 GiB: m5.4xlarge fits, the CI
# runner from terraform.tfvars does not.
resource "aws_instance" "dev_box" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.4xlarge"
  tags          = { environment = "dev" }
}

resource "aws_instance" "ci" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.ci_type
  tags          = { environment = "dev" }
}

# `ml-dev` is in no class: one GPU allowed, the rule-wide 64 vCPU / 512 GiB.
resource "aws_instance" "training" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.12xlarge"
  tags          = { environment = "ml-dev" }
}

# `preview-*` environments get 2 vCPU; memory and GPUs come from the
# non-production class.
resource "aws_instance" "preview" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.xlarge"
  tags          = { environment = "preview-17" }
}

# One instance per environment, each checked against its own cap.
resource "aws_instance" "per_environment" {
  for_each      = toset(["staging", "prod"])
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.16xlarge"
  tags          = { environment = each.key }
}

# The x2idn family is allowed everywhere.
resource "aws_instance" "in_memory" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "x2idn.32xlarge"
}
