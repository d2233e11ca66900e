resource "azurerm_postgresql_flexible_server" "orders" {
  name                = "psql-orders-dev"
  resource_group_name = "rg-dev"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D16s_v3"
  storage_mb          = 65536

  tags = {
    environment = "dev"
  }
}

resource "azurerm_mysql_flexible_server" "legacy" {
  name                = "mysql-legacy"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku_name            = "MO_Standard_E64ds_v4"
}
