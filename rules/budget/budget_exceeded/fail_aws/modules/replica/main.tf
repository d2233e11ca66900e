variable "instance_class" {
  type = string
}

resource "aws_db_instance" "this" {
  identifier        = "replica"
  engine            = "postgres"
  instance_class    = var.instance_class
  allocated_storage = 100
}
