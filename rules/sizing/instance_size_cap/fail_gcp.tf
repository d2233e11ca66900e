provider "google" {
  project = "shop-dev-1234"
  region  = "europe-west1"

  default_labels = {
    environment = "dev"
  }
}

# The environment comes from the provider's default labels.
resource "google_compute_instance" "etl" {
  name         = "etl"
  machine_type = "n2-standard-64"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}

# A GPU attached to an N1 machine in `dev`.
resource "google_compute_instance" "notebook" {
  name         = "notebook"
  machine_type = "n1-standard-8"
  zone         = "europe-west1-b"

  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = 1
  }

  scheduling {
    on_host_maintenance = "TERMINATE"
  }

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}

# A custom machine type, sized from its name; its own label wins over the
# provider's.
resource "google_compute_instance_template" "batch" {
  name_prefix  = "batch-"
  machine_type = "n2-custom-48-196608"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }

  labels = {
    environment = "staging"
  }
}

resource "google_container_node_pool" "highmem" {
  name    = "highmem"
  cluster = "dev"

  node_config {
    machine_type = "n2-highmem-32"

    resource_labels = {
      environment = "dev"
    }
  }
}

resource "google_container_cluster" "dev" {
  name     = "dev"
  location = "europe-west1"

  node_pool {
    name = "default"
    node_config {
      machine_type = "e2-standard-32"
      spot         = true
    }
  }

  resource_labels = {
    environment = "dev"
  }
}
