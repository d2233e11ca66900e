provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

# No environment label: 200 nodes per zone is over the rule-wide cap.
resource "google_container_node_pool" "batch" {
  name    = "batch"
  cluster = "shop"

  autoscaling {
    min_node_count = 0
    max_node_count = 200
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
      total_max_node_count = 30
    }

    node_config {
      machine_type = "e2-standard-4"
    }
  }
}

resource "google_compute_region_autoscaler" "web" {
  name   = "web"
  region = "europe-west1"
  target = "projects/shop-4711/regions/europe-west1/instanceGroupManagers/web"

  autoscaling_policy {
    min_replicas = 2
    max_replicas = 150
  }
}
