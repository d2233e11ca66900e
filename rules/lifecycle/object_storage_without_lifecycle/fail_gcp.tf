provider "google" {
  project = "shop-4711"
}

resource "google_storage_bucket" "exports" {
  name     = "shop-exports"
  location = "EU"
}

# Versioned; the only rule deletes live objects.
resource "google_storage_bucket" "assets" {
  name     = "shop-assets"
  location = "EU"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age        = 365
      with_state = "LIVE"
    }
    action {
      type = "Delete"
    }
  }
}
