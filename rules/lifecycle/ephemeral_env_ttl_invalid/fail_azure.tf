resource "azurerm_resource_group" "review" {
  name     = "rg-review-118"
  location = "westeurope"
  tags = {
    environment = "review"
    ttl         = "365d"
  }
}
