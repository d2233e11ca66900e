variable "instance_type" {
  type = string
}

variable "replicas" {
  type = number
}

variable "environment" {
  type = string
}

resource "aws_instance" "this" {
  count         = var.replicas
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  tags = {
    environment = var.environment
  }
}
