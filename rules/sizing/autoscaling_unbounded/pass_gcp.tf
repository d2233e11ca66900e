provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_container_node_pool" "apps" {
  name    = "apps"
  cluster = "shop"

  autoscaling {
    min_node_count = 1
    max_node_count = 50
  }

  node_config {
    machine_type = "n2-standard-8"
  }
}

resource "google_container_cluster" "dev" {
  name                     = "shop-dev"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1

  resource_labels = {
    environment = "dev"
  }

  node_pool {
    name = "apps"

    autoscaling {
      total_min_node_count = 1
      total_max_node_count = 6
    }
  }
}

resource "google_compute_autoscaler" "web" {
  name   = "web"
  zone   = "europe-west1-b"
  target = "projects/shop-4711/zones/europe-west1-b/instanceGroupManagers/web"

  autoscaling_policy {
    min_replicas = 2
    max_replicas = 100
  }
}
