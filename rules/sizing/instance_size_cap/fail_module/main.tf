module "staging_api" {
  source        = "./modules/node"
  instance_type = "r5.8xlarge"
  replicas      = 2
  environment   = "staging"
}

module "prod_api" {
  source        = "./modules/node"
  instance_type = "r5.8xlarge"
  replicas      = 2
  environment   = "prod"
}
