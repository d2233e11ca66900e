provider "aws" {
  region = "eu-west-1"
}

module "orders" {
  source = "./modules/queue"

  name = "orders"
  tags = {
    owner       = "checkout"
    environment = "prod"
  }
}
