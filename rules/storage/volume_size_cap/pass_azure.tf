provider "azurerm" {
  features {}
}

resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "westeurope"
  resource_group_name  = "rg-shop"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 512
}

resource "azurerm_postgresql_flexible_server" "dev" {
  name                = "psql-shop-dev"
  resource_group_name = "rg-shop-dev"
  location            = "westeurope"
  version             = "16"
  sku_name            = "B_Standard_B2s"
  storage_mb          = 65536

  tags = {
    environment = "dev"
  }
}
