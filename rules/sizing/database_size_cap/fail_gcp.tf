resource "google_sql_database_instance" "orders" {
  name             = "orders-dev"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-16-65536"

    user_labels = {
      environment = "dev"
    }
  }
}

resource "google_sql_database_instance" "analytics" {
  name             = "analytics"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    edition = "ENTERPRISE_PLUS"
    tier    = "db-perf-optimized-N-48"
  }
}
