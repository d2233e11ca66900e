provider "azurerm" {
  features {}
}

resource "azurerm_postgresql_flexible_server" "prod" {
  name                = "psql-shop"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D4s_v3"

  high_availability {
    mode = "ZoneRedundant"
  }

  tags = {
    environment = "prod"
  }
}

resource "azurerm_mssql_database" "dev" {
  name           = "sqldb-shop-dev"
  server_id      = "/subscriptions/0000/resourceGroups/rg-dev/providers/Microsoft.Sql/servers/sql-dev"
  sku_name       = "S0"
  zone_redundant = false

  tags = {
    environment = "dev"
  }
}
