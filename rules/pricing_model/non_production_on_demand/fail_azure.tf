provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster_node_pool" "dev" {
  name                  = "apps"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev"
  vm_size               = "Standard_D4s_v5"
  node_count            = 3

  tags = {
    environment = "dev"
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "test" {
  name                = "vmss-test"
  resource_group_name = "rg-test"
  location            = "westeurope"
  sku                 = "Standard_D2s_v5"
  instances           = 2
  admin_username      = "azureuser"
  priority            = "Regular"

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  os_disk {
    storage_account_type = "Standard_LRS"
    caching              = "ReadWrite"
  }

  network_interface {
    name    = "nic"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = "/subscriptions/0000/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
    }
  }

  tags = {
    environment = "test"
  }
}

resource "azurerm_orchestrated_virtual_machine_scale_set" "qa" {
  name                        = "vmss-qa"
  resource_group_name         = "rg-qa"
  location                    = "westeurope"
  sku_name                    = "Standard_D2s_v5"
  instances                   = 2
  platform_fault_domain_count = 1

  tags = {
    environment = "qa"
  }
}
