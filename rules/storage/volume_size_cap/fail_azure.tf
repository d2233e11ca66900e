provider "azurerm" {
  features {}
}

resource "azurerm_managed_disk" "archive" {
  name                 = "archive"
  location             = "westeurope"
  resource_group_name  = "rg-shop"
  storage_account_type = "UltraSSD_LRS"
  create_option        = "Empty"
  disk_size_gb         = 2048
  disk_iops_read_write = 20000
}

resource "azurerm_postgresql_flexible_server" "dev" {
  name                = "psql-shop-dev"
  resource_group_name = "rg-shop-dev"
  location            = "westeurope"
  version             = "16"
  sku_name            = "B_Standard_B2s"
  storage_mb          = 262144

  tags = {
    environment = "dev"
  }
}

resource "azurerm_linux_virtual_machine" "build" {
  name                  = "vm-build"
  resource_group_name   = "rg-shop-dev"
  location              = "westeurope"
  size                  = "Standard_D4s_v5"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 256
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  tags = {
    environment = "test"
  }
}
