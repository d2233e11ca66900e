variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "data_volume_type" {
  type    = string
  default = "gp3"
}
