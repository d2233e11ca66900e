provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster_node_pool" "dev" {
  name                  = "apps"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-dev"
  vm_size               = "Standard_D4s_v5"
  auto_scaling_enabled  = true
  min_count             = 1
  max_count             = 10

  tags = {
    environment = "dev"
  }
}

# Fixed size: `max_count` does not apply.
resource "azurerm_kubernetes_cluster_node_pool" "fixed" {
  name                  = "fixed"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"
  vm_size               = "Standard_D4s_v5"
  node_count            = 3
}

# A disabled autoscale setting scales nothing.
resource "azurerm_monitor_autoscale_setting" "web" {
  name                = "web-autoscale"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  target_resource_id  = "/subscriptions/0000/resourceGroups/rg-shop/providers/Microsoft.Compute/virtualMachineScaleSets/web"
  enabled             = false

  profile {
    name = "default"

    capacity {
      default = 2
      minimum = 2
      maximum = 500
    }
  }
}
