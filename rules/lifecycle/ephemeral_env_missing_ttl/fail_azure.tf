resource "azurerm_kubernetes_cluster" "review" {
  name                = "aks-review-118"
  location            = "westeurope"
  resource_group_name = "rg-review"
  dns_prefix          = "review118"

  default_node_pool {
    name       = "default"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }

  tags = {
    owner       = "web"
    environment = "review"
  }
}
