provider "google" {
  project = "shop-4711"
  region  = "europe-west1"

  default_labels = {
    owner       = "data"
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

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"
  labels = {
    environment = "prod"
  }
}
