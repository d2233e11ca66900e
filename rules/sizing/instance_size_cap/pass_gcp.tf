variable "machine_type" {
  type = string
}

resource "google_compute_instance" "worker" {
  name         = "worker"
  machine_type = "e2-standard-8"
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
    environment = "staging"
  }
}

resource "google_compute_instance_template" "custom" {
  name_prefix  = "custom-"
  machine_type = "n2-custom-8-32768"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "dev"
  }
}

# The default pool is removed right after the cluster is created: its
# machine type is never billed for long.
resource "google_container_cluster" "dev" {
  name                     = "dev"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1

  node_config {
    machine_type = "n2-standard-64"
  }

  resource_labels = {
    environment = "dev"
  }
}

resource "google_container_node_pool" "pool" {
  name    = "pool"
  cluster = google_container_cluster.dev.id

  node_config {
    machine_type = var.machine_type

    resource_labels = {
      environment = "dev"
    }
  }
}

resource "google_compute_instance" "unknown_type" {
  name         = "unknown"
  machine_type = "n9-standard-512"
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
    environment = "dev"
  }
}
