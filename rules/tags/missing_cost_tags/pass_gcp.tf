resource "google_container_cluster" "main" {
  name     = "main"
  location = "europe-west1"

  resource_labels = {
    owner       = "platform"
    cost-center = "cc-2001"
    environment = "prod"
  }
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    user_labels = {
      owner       = "checkout"
      cost-center = "cc-1042"
      environment = "prod"
    }
  }
}
