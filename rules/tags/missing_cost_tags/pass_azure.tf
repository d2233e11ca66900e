provider "azurerm" {
  features {}
}

locals {
  tags = {
    owner       = "shop"
    cost-center = "cc-3003"
    environment = "prod"
  }
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop"
  location = "West Europe"
  tags     = local.tags
}

resource "azurerm_storage_account" "data" {
  name                     = "shopdata"
  resource_group_name      = azurerm_resource_group.shop.name
  location                 = azurerm_resource_group.shop.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = azurerm_resource_group.shop.tags
}
