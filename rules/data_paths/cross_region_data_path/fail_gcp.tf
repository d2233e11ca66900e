provider "google" {
  project = "shop"
  region  = "us-central1"
}

resource "google_storage_bucket" "eu" {
  name     = "shop-eu"
  location = "EU"
}

resource "google_sql_database_instance" "db" {
  name             = "db"
  region           = "asia-northeast1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-custom-2-7680"
  }
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "us-docker.pkg.dev/shop/api:1"
      env {
        name  = "BUCKET"
        value = google_storage_bucket.eu.url
      }
      env {
        name  = "DB"
        value = google_sql_database_instance.db.connection_name
      }
    }
  }
}
