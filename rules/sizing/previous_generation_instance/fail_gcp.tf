resource "google_compute_instance" "sap" {
  name         = "sap"
  machine_type = "n1-ultramem-40"
  zone         = "europe-west4-a"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}

# Obsolete, with no like-for-like type.
resource "google_compute_instance_template" "hana" {
  name_prefix  = "hana-"
  machine_type = "m2-ultramemx-96"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }
}

resource "google_container_node_pool" "cache" {
  name    = "cache"
  cluster = "prod"

  node_config {
    machine_type = "z3-highmem-88"
  }
}
