provider "google" {
  project = "shop-prod-4711"
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
