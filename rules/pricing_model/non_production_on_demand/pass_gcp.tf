provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_container_node_pool" "dev" {
  name    = "apps"
  cluster = "shop-dev"

  node_config {
    machine_type = "e2-standard-4"
    spot         = true

    resource_labels = {
      environment = "dev"
    }
  }
}

# The default pool is removed; the remaining pool is preemptible.
resource "google_container_cluster" "staging" {
  name                     = "shop-staging"
  location                 = "europe-west1"
  initial_node_count       = 1
  remove_default_node_pool = true

  resource_labels = {
    environment = "staging"
  }

  node_pool {
    name = "apps"

    node_config {
      machine_type = "e2-standard-4"
      preemptible  = true
    }
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

  scheduling {
    provisioning_model = "SPOT"
    preemptible        = true
    automatic_restart  = false
  }

  labels = {
    environment = "qa"
  }
}
