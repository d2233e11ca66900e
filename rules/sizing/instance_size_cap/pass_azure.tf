variable "vm_size" {
  type = string
}

resource "azurerm_linux_virtual_machine" "app" {
  name                  = "vm-app"
  resource_group_name   = "rg-dev"
  location              = "westeurope"
  size                  = "standard_d8s_v5"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = {
    environment = "dev"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"
  vm_size               = var.vm_size

  tags = {
    environment = "dev"
  }
}

resource "azurerm_orchestrated_virtual_machine_scale_set" "mixed" {
  name                        = "vmss-mixed"
  resource_group_name         = "rg-dev"
  location                    = "westeurope"
  sku_name                    = "Mix"
  platform_fault_domain_count = 1

  tags = {
    environment = "dev"
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "unknown_size" {
  name                = "vmss"
  resource_group_name = "rg-dev"
  location            = "westeurope"
  sku                 = "Standard_D4s_v99"
  instances           = 2
  admin_username      = "azureuser"

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = {
    environment = "dev"
  }
}
