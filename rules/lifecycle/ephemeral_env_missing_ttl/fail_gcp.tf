locals {
  labels = {
    owner       = "data"
    environment = "sandbox"
  }
}

resource "google_compute_instance" "notebook" {
  name         = "notebook"
  machine_type = "n2-standard-8"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  labels = local.labels
}

resource "google_compute_disk" "scratch" {
  name   = "scratch"
  zone   = "europe-west1-b"
  size   = 500
  labels = merge(local.labels, { purpose = "scratch" })
}
