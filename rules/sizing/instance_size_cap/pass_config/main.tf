resource "aws_instance" "build" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.24xlarge"
  tags          = { environment = "dev" }
}

resource "aws_instance" "big_build" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m6i.32xlarge"
  tags          = { environment = "dev" }
}

resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "p3.2xlarge"
  tags          = { environment = "pr-12" }
}

resource "azurerm_linux_virtual_machine" "gpu" {
  name                  = "vm-gpu"
  resource_group_name   = "rg-dev"
  location              = "westeurope"
  size                  = "Standard_NC6s_v3"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  tags = { environment = "dev" }
}
