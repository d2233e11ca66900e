provider "google" {
  project = "shop-4711"
  region  = "europe-west1"

  default_labels = {
    owner       = "data"
    cost-center = ""
  }
}

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"
  labels = {
    environment = "prod"
  }
}

resource "google_compute_disk" "scratch" {
  name = "scratch"
  zone = "europe-west1-b"
  size = 500
  labels = {
    environment = "prod"
  }
}
