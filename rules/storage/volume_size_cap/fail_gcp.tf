provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_compute_disk" "warehouse" {
  name             = "warehouse"
  zone             = "europe-west1-b"
  type             = "hyperdisk-extreme"
  size             = 4096
  provisioned_iops = 50000
}

resource "google_compute_instance" "dev" {
  name         = "dev"
  machine_type = "e2-standard-4"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 200
    }
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "dev"
  }
}

resource "google_sql_database_instance" "qa" {
  name             = "orders-qa"
  database_version = "POSTGRES_16"

  settings {
    tier      = "db-custom-2-7680"
    disk_size = 500

    user_labels = {
      environment = "qa"
    }
  }
}
