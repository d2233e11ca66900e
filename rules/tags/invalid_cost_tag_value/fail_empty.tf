resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
  tags = {
    owner       = ""
    cost-center = "cc-1042"
    environment = "prod"
  }
}

variable "owner" {
  type    = string
  default = " "
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop"
  location = "West Europe"
  tags = {
    owner       = var.owner
    cost-center = "cc-3003"
    environment = "prod"
  }
}
