variable "ci_type" {
  type    = string
  default = "c5.large"
}
