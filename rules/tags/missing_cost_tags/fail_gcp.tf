provider "google" {
  project = "shop-4711"
  region  = "europe-west1"

  default_labels = {
    cost-center = "cc-2001"
  }
}

resource "google_compute_instance" "worker" {
  name         = "worker"
  machine_type = "n2-standard-4"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "prod"
  }
}

resource "google_container_cluster" "main" {
  name     = "main"
  location = "europe-west1"

  resource_labels = {
    owner = "platform"
  }
}

# Cloud SQL keeps its labels under settings, and provider default_labels
# do not reach them.
resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    user_labels = {
      owner       = "checkout"
      environment = "prod"
    }
  }
}

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"
}
