provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster" "staging" {
  name                = "aks-shop-staging"
  location            = "westeurope"
  resource_group_name = "rg-shop-staging"
  dns_prefix          = "shop-staging"

  default_node_pool {
    name                 = "system"
    vm_size              = "Standard_D4s_v5"
    auto_scaling_enabled = true
    min_count            = 1
    max_count            = 20
  }

  identity {
    type = "SystemAssigned"
  }

  tags = {
    environment = "staging"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.staging.id
  vm_size               = "Standard_D8s_v5"
  auto_scaling_enabled  = true
  min_count             = 0
  max_count             = 150
}

resource "azurerm_monitor_autoscale_setting" "web" {
  name                = "web-autoscale"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  target_resource_id  = "/subscriptions/0000/resourceGroups/rg-shop/providers/Microsoft.Compute/virtualMachineScaleSets/web"

  profile {
    name = "default"

    capacity {
      default = 2
      minimum = 2
      maximum = 300
    }
  }
}
