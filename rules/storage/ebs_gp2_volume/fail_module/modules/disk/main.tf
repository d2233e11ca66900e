variable "type" {
  type = string
}

resource "aws_ebs_volume" "this" {
  availability_zone = "eu-west-1a"
  size              = 50
  type              = var.type
}
