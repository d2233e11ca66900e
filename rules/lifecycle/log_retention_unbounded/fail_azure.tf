provider "azurerm" {
  features {}
}

resource "azurerm_log_analytics_workspace" "dev" {
  name                = "log-shop-dev"
  location            = "westeurope"
  resource_group_name = "rg-shop-dev"
  sku                 = "PerGB2018"
  retention_in_days   = 730

  tags = {
    environment = "dev"
  }
}

resource "azurerm_application_insights" "api" {
  name                = "appi-shop-api"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  application_type    = "web"
  retention_in_days   = 730
}
