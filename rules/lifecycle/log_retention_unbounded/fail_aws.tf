variable "retention" {
  type    = number
  default = 0
}

# No retention: CloudWatch keeps the logs forever.
resource "aws_cloudwatch_log_group" "api" {
  name = "/shop/api"
}

# 0 means never expire, here through a variable.
resource "aws_cloudwatch_log_group" "worker" {
  name              = "/shop/worker"
  retention_in_days = var.retention
}

# Over the rule-wide maximum of 365 days.
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/shop/audit"
  retention_in_days = 3653
}

# Over the non-production maximum of 90 days.
resource "aws_cloudwatch_log_group" "dev" {
  name              = "/shop/dev"
  retention_in_days = 180

  tags = {
    environment = "dev"
  }
}

# Every instance of a `for_each` block keeps its logs forever.
resource "aws_cloudwatch_log_group" "lambda" {
  for_each = toset(["checkout", "refunds"])
  name     = "/aws/lambda/${each.key}"
}
