# 3 nodes in one zone × n2-standard-4 ($0.194236/h): $425.38/month.
resource "google_container_node_pool" "workers" {
  name       = "workers"
  cluster    = "shop"
  location   = "us-central1-a"
  node_count = 3

  node_config {
    machine_type = "n2-standard-4"
  }
}

# 500 GB pd-ssd: $85/month.
resource "google_compute_disk" "data" {
  name = "data"
  type = "pd-ssd"
  size = 500
  zone = "us-central1-a"
}
