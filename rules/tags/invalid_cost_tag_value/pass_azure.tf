variable "owner" {
  type = string
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

resource "azurerm_role_assignment" "reader" {
  scope                = azurerm_resource_group.shop.id
  role_definition_name = "Reader"
  principal_id         = "00000000-0000-0000-0000-000000000000"
}
