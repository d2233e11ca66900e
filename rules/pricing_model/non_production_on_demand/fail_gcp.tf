provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_container_node_pool" "dev" {
  name       = "apps"
  cluster    = "shop-dev"
  node_count = 3

  node_config {
    machine_type = "e2-standard-4"

    resource_labels = {
      environment = "dev"
    }
  }
}

resource "google_container_cluster" "staging" {
  name               = "shop-staging"
  location           = "europe-west1"
  initial_node_count = 1

  resource_labels = {
    environment = "staging"
  }

  node_config {
    machine_type = "e2-standard-4"
    spot         = false
  }
}

resource "google_compute_instance_template" "qa" {
  name_prefix  = "qa-"
  machine_type = "n2-standard-4"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "qa"
  }
}

resource "google_compute_region_instance_template" "sandbox" {
  name_prefix  = "sandbox-"
  region       = "europe-west1"
  machine_type = "e2-standard-2"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }

  scheduling {
    provisioning_model = "STANDARD"
  }

  labels = {
    environment = "sandbox"
  }
}
