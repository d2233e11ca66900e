provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster_node_pool" "spot" {
  name                  = "spot"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev"
  vm_size               = "Standard_D4s_v5"
  node_count            = 3
  priority              = "Spot"
  eviction_policy       = "Delete"
  spot_max_price        = -1

  tags = {
    environment = "dev"
  }
}

# System pools cannot run on spot capacity.
resource "azurerm_kubernetes_cluster_node_pool" "system" {
  name                  = "system2"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev"
  vm_size               = "Standard_D2s_v5"
  node_count            = 2
  mode                  = "System"

  tags = {
    environment = "dev"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "prod" {
  name                  = "apps"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"
  vm_size               = "Standard_D4s_v5"
  node_count            = 6

  tags = {
    environment = "prod"
  }
}
