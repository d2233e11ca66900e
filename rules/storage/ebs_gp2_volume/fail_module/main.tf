# The type reaches the module through an input.
module "disk" {
  source = "./modules/disk"
  type   = "gp2"
}
