provider "google" {
  project = "shop-4711"
}

resource "google_storage_bucket" "logs" {
  name     = "shop-logs"
  location = "EU"

  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

# Autoclass moves cold objects to cheaper classes by itself.
resource "google_storage_bucket" "media" {
  name     = "shop-media"
  location = "EU"

  autoclass {
    enabled = true
  }
}
