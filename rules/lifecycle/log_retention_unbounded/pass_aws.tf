variable "retention" {
  type = number
}

variable "log_class" {
  type = string
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/shop/api"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "prod" {
  name              = "/shop/prod"
  retention_in_days = 365

  tags = {
    environment = "prod"
  }
}

resource "aws_cloudwatch_log_group" "dev" {
  name              = "/shop/dev"
  retention_in_days = 90

  tags = {
    environment = "dev"
  }
}

# Delivery log groups keep events for a day whatever their retention.
resource "aws_cloudwatch_log_group" "delivery" {
  name            = "/shop/delivery"
  log_group_class = "DELIVERY"
}

# A class not known before apply may be DELIVERY.
resource "aws_cloudwatch_log_group" "class_unknown" {
  name            = "/shop/other"
  log_group_class = var.log_class
}

# A retention not known before apply.
resource "aws_cloudwatch_log_group" "retention_unknown" {
  name              = "/shop/later"
  retention_in_days = var.retention
}
