provider "azurerm" {
  features {}
}

locals {
  tags = {
    environment = "development"
  }
}

resource "azurerm_linux_virtual_machine" "app" {
  name                  = "vm-app"
  resource_group_name   = "rg-dev"
  location              = "westeurope"
  size                  = "Standard_D32s_v5"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = local.tags
}

# Windows pays a licence the catalog has no price for: no cost.
resource "azurerm_windows_virtual_machine" "reports" {
  name                  = "vm-reports"
  resource_group_name   = "rg-dev"
  location              = "westeurope"
  size                  = "standard_e64s_v5"
  admin_username        = "azureuser"
  admin_password        = "not-a-real-password-1!"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = local.tags
}

resource "azurerm_linux_virtual_machine_scale_set" "workers" {
  name                = "vmss-workers"
  resource_group_name = "rg-dev"
  location            = "westeurope"
  sku                 = "Standard_F72s_v2"
  instances           = 3
  admin_username      = "azureuser"

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = local.tags
}

resource "azurerm_kubernetes_cluster" "dev" {
  name                = "aks-dev"
  location            = "westeurope"
  resource_group_name = "rg-dev"
  dns_prefix          = "aks-dev"

  default_node_pool {
    name       = "system"
    node_count = 2
    vm_size    = "Standard_D16s_v5"
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name                  = "gpu"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.dev.id
  vm_size               = "Standard_NC6s_v3"
  auto_scaling_enabled  = true
  min_count             = 0
  max_count             = 2

  tags = local.tags
}
