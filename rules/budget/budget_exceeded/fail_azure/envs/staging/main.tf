# 2 × Standard_D4s_v5 ($0.192/h): $280.32/month.
resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                  = "apps"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shop"
  vm_size               = "Standard_D4s_v5"
  node_count            = 2
}

# 1,000 GiB Premium_LRS, billed as P30: $135.17/month.
resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "eastus"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 1000
}
