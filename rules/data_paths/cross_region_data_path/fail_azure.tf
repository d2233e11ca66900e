provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "eu" {
  name     = "rg-eu"
  location = "West Europe"
}

resource "azurerm_resource_group" "us" {
  name     = "rg-us"
  location = "East US"
}

resource "azurerm_storage_account" "data" {
  name                     = "shopdata"
  resource_group_name      = azurerm_resource_group.us.name
  location                 = azurerm_resource_group.us.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_linux_function_app" "fn" {
  name                       = "fn"
  resource_group_name        = azurerm_resource_group.eu.name
  location                   = azurerm_resource_group.eu.location
  service_plan_id            = "plan"
  storage_account_name       = azurerm_storage_account.data.name
  storage_account_access_key = azurerm_storage_account.data.primary_access_key
  site_config {}
}

resource "azurerm_virtual_network" "eu" {
  name                = "vnet-eu"
  location            = azurerm_resource_group.eu.location
  resource_group_name = azurerm_resource_group.eu.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_virtual_network" "us" {
  name                = "vnet-us"
  location            = azurerm_resource_group.us.location
  resource_group_name = azurerm_resource_group.us.name
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_virtual_network_peering" "eu_to_us" {
  name                      = "eu-to-us"
  resource_group_name       = azurerm_resource_group.eu.name
  virtual_network_name      = azurerm_virtual_network.eu.name
  remote_virtual_network_id = azurerm_virtual_network.us.id
}
