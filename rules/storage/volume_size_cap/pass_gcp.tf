provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_compute_disk" "data" {
  name = "data"
  zone = "europe-west1-b"
  size = 500
}

resource "google_compute_instance" "dev" {
  name         = "dev"
  machine_type = "e2-standard-4"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 50
    }
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "dev"
  }
}
