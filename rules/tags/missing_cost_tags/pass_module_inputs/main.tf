locals {
  tags = {
    owner       = "checkout"
    cost-center = "cc-1042"
  }
}

module "orders" {
  source = "./modules/queue"

  name        = "orders"
  environment = "prod"
  tags        = local.tags
}
