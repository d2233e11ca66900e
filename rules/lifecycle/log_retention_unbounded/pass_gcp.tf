provider "google" {
  project = "shop-4711"
}

resource "google_logging_project_bucket_config" "app" {
  project        = "shop-4711"
  location       = "global"
  bucket_id      = "app"
  retention_days = 30
}

# No retention_days: Cloud Logging keeps 30 days.
resource "google_logging_project_bucket_config" "default" {
  project   = "shop-4711"
  location  = "global"
  bucket_id = "default-logs"
}
