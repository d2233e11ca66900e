variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "tags" {
  type = map(string)
}

resource "aws_sqs_queue" "this" {
  name = var.name
  tags = merge(var.tags, { environment = var.environment })
}

resource "aws_sqs_queue" "dead_letter" {
  name = "${var.name}-dlq"
  tags = merge(var.tags, { environment = var.environment })
}
