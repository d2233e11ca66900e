provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop"
  location = "West Europe"
  tags = {
    owner       = "shop"
    cost-center = "cc-3003"
    environment = "prod"
  }
}

# Azure does not copy the resource group's tags to the VM.
resource "azurerm_linux_virtual_machine" "app" {
  name                  = "vm-app"
  resource_group_name   = azurerm_resource_group.shop.name
  location              = azurerm_resource_group.shop.location
  size                  = "Standard_D4s_v5"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  tags = {
    environment = "prod"
  }
}

resource "azurerm_storage_account" "data" {
  name                     = "shopdata"
  resource_group_name      = azurerm_resource_group.shop.name
  location                 = azurerm_resource_group.shop.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
