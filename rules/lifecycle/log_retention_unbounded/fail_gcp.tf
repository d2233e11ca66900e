provider "google" {
  project = "shop-4711"
}

resource "google_logging_project_bucket_config" "audit" {
  project        = "shop-4711"
  location       = "global"
  bucket_id      = "audit"
  retention_days = 3650
}

resource "google_logging_organization_bucket_config" "security" {
  organization   = "123456789"
  location       = "global"
  bucket_id      = "security"
  retention_days = 400
}
