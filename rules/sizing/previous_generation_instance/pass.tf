variable "instance_type" {
  type = string
}

resource "aws_instance" "current" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m7i.large"
}

# AWS still lists t2 and m4 as current generation.
resource "aws_instance" "t2" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t2.micro"
}

resource "aws_launch_template" "m4" {
  name_prefix   = "m4-"
  instance_type = "m4.large"
}

resource "aws_instance" "unknown" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_type
}

resource "aws_db_instance" "current" {
  identifier        = "current"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
}

# ElastiCache T2 is not on tflint's previous-generation list.
resource "aws_elasticache_cluster" "t2" {
  cluster_id      = "t2"
  engine          = "redis"
  node_type       = "cache.t2.micro"
  num_cache_nodes = 1
}

resource "google_compute_instance" "current" {
  name         = "current"
  machine_type = "m1-ultramem-40"
  zone         = "europe-west4-a"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}

# Azure publishes no generation flag.
resource "azurerm_linux_virtual_machine" "old" {
  name                  = "vm-old"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_D4_v2"
  admin_username        = "azureuser"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
