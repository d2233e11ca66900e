# Within the configured rule-wide cap of 4,096 GiB.
resource "aws_ebs_volume" "archive" {
  availability_zone = "eu-west-1a"
  size              = 2048
}

# Over the configured cap for `staging`.
resource "aws_ebs_volume" "staging" {
  availability_zone = "eu-west-1a"
  size              = 600

  tags = {
    environment = "staging"
  }
}

# `pr-*` entries: 50 GiB is over 20; the IOPS cap comes from the
# built-in non-production class.
resource "aws_ebs_volume" "preview" {
  availability_zone = "eu-west-1a"
  size              = 50
  iops              = 4000
  type              = "gp3"

  tags = {
    environment = "pr-77"
  }
}
