provider "azurerm" {
  features {}
}

resource "azurerm_postgresql_flexible_server" "staging" {
  name                = "psql-shop-staging"
  resource_group_name = "rg-shop-staging"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
  zone                = "1"

  high_availability {
    mode                      = "ZoneRedundant"
    standby_availability_zone = "2"
  }

  tags = {
    environment = "staging"
  }
}

resource "azurerm_mssql_database" "test" {
  name           = "sqldb-shop-test"
  server_id      = "/subscriptions/0000/resourceGroups/rg-test/providers/Microsoft.Sql/servers/sql-test"
  sku_name       = "P1"
  zone_redundant = true

  tags = {
    environment = "test"
  }
}

resource "azurerm_cosmosdb_account" "preview" {
  name                = "cosmos-shop-pr-1234"
  location            = "westeurope"
  resource_group_name = "rg-preview"
  offer_type          = "Standard"

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
    zone_redundant    = true
  }

  tags = {
    environment = "pr-1234"
  }
}
