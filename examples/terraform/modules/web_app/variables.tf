variable "name" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "volume_type" {
  type    = string
  default = "gp2"
}

variable "tags" {
  type    = map(string)
  default = {}
}
